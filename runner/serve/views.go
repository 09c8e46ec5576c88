package serve

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gcrun/gcrun/report"
	"github.com/gcrun/gcrun/runner/serve/store"
	"github.com/sirupsen/logrus"
)

// History limits: GET /v1/hosts/{id}/reports lists DefaultHistoryLimit
// reports unless ?limit= asks for another number, at most MaxHistoryLimit.
const (
	DefaultHistoryLimit = 50
	MaxHistoryLimit     = 1000
)

// fleetTop is the length of the worst-hosts and worst-rules lists.
const fleetTop = 10

// Compliance of a host or baseline without any result yet.
const complianceUnknown = "Unknown"

// Fleet is GET /v1/fleet: every host's latest state and every rule's
// failures across the fleet, built from the store's latest-state table
// (one row per host and rule), never from the report history.
//
// A host is current when it is neither revoked nor stale (no report for
// 2 × the interval, or never). Totals' compliance counts and average
// score, Rules, WorstHosts and WorstRules count current hosts only; Hosts
// lists every host with its flags.
type Fleet struct {
	GeneratedAt time.Time `json:"generatedAt"`
	// StaleAfter is how long a host may go without a report before it is
	// stale (2 × the interval), in seconds.
	StaleAfterSeconds int64       `json:"staleAfterSeconds"`
	Totals            FleetTotals `json:"totals"`
	// WorstHosts are the current non-compliant hosts with the lowest
	// scores (then most rules failing or in error, hostname, id), at
	// most 10.
	WorstHosts []FleetHost `json:"worstHosts"`
	// WorstRules are the rules failing or in error on the most current
	// hosts (then severity, fail percentage, baseline, id), at most 10.
	WorstRules []FleetRule `json:"worstRules"`
	// Hosts are all hosts, by hostname and id.
	Hosts []FleetHost `json:"hosts"`
	// Rules are the rules with a result on some current host, by
	// baseline and id.
	Rules []FleetRule `json:"rules"`
}

// FleetTotals are the fleet's headline counts.
type FleetTotals struct {
	// Hosts counts the hosts that are not revoked; Current those of them
	// that are not stale either; Stale and Revoked the others.
	Hosts   int `json:"hosts"`
	Current int `json:"current"`
	Stale   int `json:"stale"`
	Revoked int `json:"revoked"`
	// Compliant, NonCompliant and Unknown (no result yet) split Current.
	Compliant    int `json:"compliant"`
	NonCompliant int `json:"nonCompliant"`
	Unknown      int `json:"unknown"`
	// AverageScore is the mean score of the current hosts with results
	// (0 without any), rounded to one decimal.
	AverageScore float64 `json:"averageScore"`
}

// FleetHost is one host's latest state.
type FleetHost struct {
	ID        string `json:"id"`
	Hostname  string `json:"hostname"`
	MachineID string `json:"machineId"`
	// LastSeen is when the host's last report was stored; null if never.
	LastSeen *time.Time `json:"lastSeen"`
	Stale    bool       `json:"stale"`
	Revoked  bool       `json:"revoked"`
	// ComplianceStatus is NonCompliant when a rule's latest status is
	// fail or error, Unknown without any result, else Compliant.
	ComplianceStatus string `json:"complianceStatus"`
	// Score is pass / (pass + fail + error) × 100 over the host's latest
	// rule states, rounded to one decimal (100 when no rule could fail);
	// null without any result.
	Score   *float64       `json:"score"`
	Summary report.Summary `json:"summary"`
	// Baselines is the latest compliance per baseline evaluated on the
	// host, by name.
	Baselines []FleetBaseline `json:"baselines"`
}

// FleetBaseline is a host's latest compliance with one baseline.
type FleetBaseline struct {
	Name             string         `json:"name"`
	ComplianceStatus string         `json:"complianceStatus"`
	Summary          report.Summary `json:"summary"`
	// ReportID is the newest report the states come from, UpdatedAt its
	// end time.
	ReportID  string    `json:"reportId"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// FleetRule is one rule across the current hosts.
type FleetRule struct {
	Baseline string `json:"baseline"`
	ID       string `json:"id"`
	// Title and Severity are those of the newest state.
	Title    string `json:"title"`
	Severity string `json:"severity"`
	// Summary counts current hosts by the rule's latest status on them.
	Summary report.Summary `json:"summary"`
	// FailPercent is (fail + error) / (pass + fail + error) × 100,
	// rounded to one decimal; 0 when the rule applies nowhere.
	FailPercent float64 `json:"failPercent"`
}

// stale reports whether h has not delivered a report for 2 × the interval
// (or never).
func (s *Server) stale(h store.Host, now time.Time) bool {
	return h.LastSeen.IsZero() || now.Sub(h.LastSeen) > 2*s.interval
}

// Fleet builds the fleet view from the store.
func (s *Server) Fleet(ctx context.Context) (*Fleet, error) {
	hosts, err := s.store.Hosts(ctx)
	if err != nil {
		return nil, fmt.Errorf("fleet: hosts: %w", err)
	}
	states, err := s.store.LatestStates(ctx)
	if err != nil {
		return nil, fmt.Errorf("fleet: latest states: %w", err)
	}
	return buildFleet(hosts, states, s.now(), 2*s.interval), nil
}

func buildFleet(hosts []store.Host, states []store.LatestState, now time.Time, staleAfter time.Duration) *Fleet {
	f := &Fleet{
		GeneratedAt:       now.UTC(),
		StaleAfterSeconds: int64(staleAfter / time.Second),
		WorstHosts:        []FleetHost{}, WorstRules: []FleetRule{},
		Hosts: []FleetHost{}, Rules: []FleetRule{},
	}
	byHost := map[string][]store.LatestState{}
	for _, st := range states {
		byHost[st.HostID] = append(byHost[st.HostID], st)
	}
	type ruleAcc struct {
		rule   FleetRule
		newest time.Time
	}
	rules := map[[2]string]*ruleAcc{}
	scoreSum, scored := 0.0, 0

	for _, h := range hosts {
		fh := FleetHost{
			ID: h.ID, Hostname: h.Hostname, MachineID: h.MachineID,
			Stale:     h.LastSeen.IsZero() || now.Sub(h.LastSeen) > staleAfter,
			Revoked:   h.RevokedAt != nil,
			Baselines: []FleetBaseline{},
		}
		if !h.LastSeen.IsZero() {
			t := h.LastSeen.UTC()
			fh.LastSeen = &t
		}
		baselines := map[string]*FleetBaseline{}
		for _, st := range byHost[h.ID] {
			count(&fh.Summary, st.Status)
			b := baselines[st.Baseline]
			if b == nil {
				b = &FleetBaseline{Name: st.Baseline}
				baselines[st.Baseline] = b
			}
			count(&b.Summary, st.Status)
			if st.UpdatedAt.After(b.UpdatedAt) || b.ReportID == "" {
				b.ReportID, b.UpdatedAt = st.ReportID, st.UpdatedAt.UTC()
			}
		}
		for _, b := range baselines {
			b.ComplianceStatus = compliance(b.Summary)
			fh.Baselines = append(fh.Baselines, *b)
		}
		sort.Slice(fh.Baselines, func(i, j int) bool { return fh.Baselines[i].Name < fh.Baselines[j].Name })
		fh.ComplianceStatus = compliance(fh.Summary)
		if fh.Summary.Total > 0 {
			sc := 100.0
			if d := fh.Summary.Pass + fh.Summary.Fail + fh.Summary.Error; d > 0 {
				sc = 100 * float64(fh.Summary.Pass) / float64(d)
			}
			sc = round1(sc)
			fh.Score = &sc
		}
		f.Hosts = append(f.Hosts, fh)

		t := &f.Totals
		switch {
		case fh.Revoked:
			t.Revoked++
			continue
		case fh.Stale:
			t.Hosts++
			t.Stale++
			continue
		}
		t.Hosts++
		t.Current++
		switch fh.ComplianceStatus {
		case report.Compliant:
			t.Compliant++
		case report.NonCompliant:
			t.NonCompliant++
			f.WorstHosts = append(f.WorstHosts, fh)
		default:
			t.Unknown++
		}
		if fh.Score != nil {
			scoreSum += *fh.Score
			scored++
		}
		for _, st := range byHost[h.ID] {
			key := [2]string{st.Baseline, st.RuleID}
			a := rules[key]
			if a == nil {
				a = &ruleAcc{rule: FleetRule{Baseline: st.Baseline, ID: st.RuleID, Title: st.Title, Severity: st.Severity}, newest: st.UpdatedAt}
				rules[key] = a
			} else if st.UpdatedAt.After(a.newest) {
				a.rule.Title, a.rule.Severity, a.newest = st.Title, st.Severity, st.UpdatedAt
			}
			count(&a.rule.Summary, st.Status)
		}
	}
	if scored > 0 {
		f.Totals.AverageScore = round1(scoreSum / float64(scored))
	}
	sort.Slice(f.Hosts, func(i, j int) bool { return hostLess(f.Hosts[i], f.Hosts[j]) })

	for _, a := range rules {
		r := a.rule
		if d := r.Summary.Pass + r.Summary.Fail + r.Summary.Error; d > 0 {
			r.FailPercent = round1(100 * float64(r.Summary.Fail+r.Summary.Error) / float64(d))
		}
		f.Rules = append(f.Rules, r)
		if r.Summary.Fail+r.Summary.Error > 0 {
			f.WorstRules = append(f.WorstRules, r)
		}
	}
	sort.Slice(f.Rules, func(i, j int) bool {
		a, b := f.Rules[i], f.Rules[j]
		if a.Baseline != b.Baseline {
			return a.Baseline < b.Baseline
		}
		return a.ID < b.ID
	})
	sort.Slice(f.WorstHosts, func(i, j int) bool {
		a, b := f.WorstHosts[i], f.WorstHosts[j]
		if *a.Score != *b.Score {
			return *a.Score < *b.Score
		}
		if fa, fb := a.Summary.Fail+a.Summary.Error, b.Summary.Fail+b.Summary.Error; fa != fb {
			return fa > fb
		}
		return hostLess(a, b)
	})
	sort.Slice(f.WorstRules, func(i, j int) bool {
		a, b := f.WorstRules[i], f.WorstRules[j]
		if fa, fb := a.Summary.Fail+a.Summary.Error, b.Summary.Fail+b.Summary.Error; fa != fb {
			return fa > fb
		}
		if ra, rb := sevRank(a.Severity), sevRank(b.Severity); ra != rb {
			return ra < rb
		}
		if a.FailPercent != b.FailPercent {
			return a.FailPercent > b.FailPercent
		}
		if a.Baseline != b.Baseline {
			return a.Baseline < b.Baseline
		}
		return a.ID < b.ID
	})
	f.WorstHosts = f.WorstHosts[:min(fleetTop, len(f.WorstHosts))]
	f.WorstRules = f.WorstRules[:min(fleetTop, len(f.WorstRules))]
	return f
}

// count adds a rule status to a summary; a status gcrun does not define
// counts as error, so that it can never look compliant.
func count(s *report.Summary, status string) {
	s.Total++
	switch status {
	case "pass":
		s.Pass++
	case "fail":
		s.Fail++
	case "not_applicable":
		s.NotApplicable++
	case "waived":
		s.Waived++
	default:
		s.Error++
	}
}

func compliance(s report.Summary) string {
	switch {
	case s.Total == 0:
		return complianceUnknown
	case s.Fail+s.Error > 0:
		return report.NonCompliant
	}
	return report.Compliant
}

func hostLess(a, b FleetHost) bool {
	if a.Hostname != b.Hostname {
		return a.Hostname < b.Hostname
	}
	return a.ID < b.ID
}

func sevRank(s string) int {
	for i, v := range []string{"critical", "high", "medium", "low", "info"} {
		if s == v {
			return i
		}
	}
	return 5
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// wantHTML reads ?format=: "" or "json" is JSON, "html" HTML.
func wantHTML(r *http.Request) (bool, *refusal) {
	switch f := r.URL.Query().Get("format"); f {
	case "", "json":
		return false, nil
	case "html":
		return true, nil
	default:
		return false, refuse(http.StatusBadRequest, codeBadRequest, "format must be json or html")
	}
}

// handleFleet is GET /v1/fleet[?format=html].
func (s *Server) handleFleet(w http.ResponseWriter, r *http.Request) {
	html, ref := wantHTML(r)
	if ref != nil {
		writeRefusal(w, ref)
		return
	}
	f, err := s.Fleet(r.Context())
	if err != nil {
		writeRefusal(w, s.storeFailure(r.Context(), "fleet", err, nil))
		return
	}
	if html {
		s.writeHTML(w, "fleet", f)
		return
	}
	writeJSON(w, http.StatusOK, f)
}

// History is GET /v1/hosts/{id}/reports: a host and its newest reports.
type History struct {
	Host    HostInfo        `json:"host"`
	Reports []HistoryReport `json:"reports"`
}

// HostInfo describes an enrolled host.
type HostInfo struct {
	ID           string     `json:"id"`
	Hostname     string     `json:"hostname"`
	MachineID    string     `json:"machineId"`
	KeyID        string     `json:"keyId"`
	EnrolledAt   time.Time  `json:"enrolledAt"`
	RevokedAt    *time.Time `json:"revokedAt"`
	LastSequence int64      `json:"lastSequence"`
	LastSeen     *time.Time `json:"lastSeen"`
	Stale        bool       `json:"stale"`
}

// HistoryReport is one stored report's row.
type HistoryReport struct {
	Seq              int64          `json:"seq"`
	ID               string         `json:"id"`
	Sequence         int64          `json:"sequence"`
	Assignment       string         `json:"assignment"`
	Digest           string         `json:"digest"`
	ComplianceStatus string         `json:"complianceStatus"`
	Summary          report.Summary `json:"summary"`
	EndTime          time.Time      `json:"endTime"`
	ReceivedAt       time.Time      `json:"receivedAt"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

// handleHistory is GET /v1/hosts/{id}/reports[?limit=N][&format=html].
func (s *Server) handleHistory(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	html, ref := wantHTML(r)
	if ref != nil {
		writeRefusal(w, ref)
		return
	}
	limit := DefaultHistoryLimit
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeError(w, http.StatusBadRequest, codeBadRequest, fmt.Sprintf("limit must be a number from 1 to %d", MaxHistoryLimit))
			return
		}
		limit = min(n, MaxHistoryLimit)
	}
	id := r.PathValue("id")
	if !validID(id) {
		writeError(w, http.StatusNotFound, codeNotFound, "no such host")
		return
	}
	h, err := s.store.Host(ctx, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, codeNotFound, "no such host")
		return
	case err != nil:
		writeRefusal(w, s.storeFailure(ctx, "history: host", err, logrus.Fields{"host": id}))
		return
	}
	rows, err := s.store.HostReports(ctx, id, limit)
	if err != nil {
		writeRefusal(w, s.storeFailure(ctx, "history: reports", err, logrus.Fields{"host": id}))
		return
	}
	hist := History{
		Host: HostInfo{
			ID: h.ID, Hostname: h.Hostname, MachineID: h.MachineID, KeyID: h.KeyID,
			EnrolledAt: h.EnrolledAt.UTC(), LastSequence: h.LastSequence,
			LastSeen: timePtr(h.LastSeen), Stale: s.stale(h, s.now()),
		},
		Reports: make([]HistoryReport, 0, len(rows)),
	}
	if h.RevokedAt != nil {
		hist.Host.RevokedAt = timePtr(*h.RevokedAt)
	}
	for _, row := range rows {
		hist.Reports = append(hist.Reports, HistoryReport{
			Seq: row.Seq, ID: row.ID, Sequence: row.Sequence, Assignment: row.Assignment,
			Digest: row.Digest, ComplianceStatus: row.Compliance, Summary: row.Summary,
			EndTime: row.EndTime.UTC(), ReceivedAt: row.ReceivedAt.UTC(),
		})
	}
	if html {
		s.writeHTML(w, "history", hist)
		return
	}
	writeJSON(w, http.StatusOK, hist)
}

// handleEnvelope is GET /v1/hosts/{id}/reports/{rid}: the stored envelope,
// byte for byte as the host signed it (verify it with the host's key).
func (s *Server) handleEnvelope(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, rid := r.PathValue("id"), r.PathValue("rid")
	if !validID(id) || !validID(rid) {
		writeError(w, http.StatusNotFound, codeNotFound, "no such report")
		return
	}
	env, err := s.store.Envelope(ctx, id, rid)
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, codeNotFound, "no such report")
		return
	case err != nil:
		writeRefusal(w, s.storeFailure(ctx, "envelope", err, logrus.Fields{"host": id, "report": rid}))
		return
	}
	w.Header().Set("Content-Type", EnvelopeMediaType)
	w.Header().Set("Content-Length", strconv.Itoa(len(env)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(env)
}

// pageStyle is the views' only style sheet, inlined and allowed by hash.
const pageStyle = `body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; }
table { border-collapse: collapse; margin: .5em 0; }
th, td { padding: .25em .6em; text-align: left; border-bottom: 1px solid #ddd; vertical-align: top; }
th { background: #f4f4f4; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.NonCompliant { color: #c62828; } .Compliant { color: #2e7d32; } .Unknown, .stale { color: #8a6d00; }
dl { display: grid; grid-template-columns: max-content auto; gap: .2em 1em; } dt { font-weight: bold; }
`

// pageCSP allows the inline style sheet and nothing else: no script, no
// fetch, no form, no frame.
func pageCSP() string {
	sum := sha256.Sum256([]byte(pageStyle))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; base-uri 'none'; form-action 'none'"
}

type pageData struct {
	CSP   string
	Style template.CSS
	Data  any
}

// writeHTML renders a view into memory first (a failure writes nothing)
// and serves it with the CSP as a header too.
func (s *Server) writeHTML(w http.ResponseWriter, name string, data any) {
	csp := pageCSP()
	var buf bytes.Buffer
	if err := s.pages.ExecuteTemplate(&buf, name, pageData{CSP: csp, Style: template.CSS(pageStyle), Data: data}); err != nil {
		s.log.WithError(err).Error("rendering HTML view")
		writeError(w, http.StatusInternalServerError, "internal", "cannot render the page")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", csp+"; frame-ancestors 'none'")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
}

// parsePages parses the view templates; NewServer does it once.
func parsePages() *template.Template {
	return template.Must(template.New("views").Funcs(template.FuncMap{
		"c": func(v any) string { return sanitize(fmt.Sprint(v)) },
		"time": func(v any) string {
			switch t := v.(type) {
			case time.Time:
				if !t.IsZero() {
					return t.UTC().Format(time.RFC3339)
				}
			case *time.Time:
				if t != nil && !t.IsZero() {
					return t.UTC().Format(time.RFC3339)
				}
			}
			return "never"
		},
		"pct": func(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) },
		"score": func(p *float64) string {
			if p == nil {
				return "-"
			}
			return strconv.FormatFloat(*p, 'f', 1, 64) + "%"
		},
		"scoreval": func(p *float64) float64 {
			if p == nil {
				return 0
			}
			return *p
		},
		"failing": func(s report.Summary) int { return s.Fail + s.Error },
		"join":    strings.Join,
	}).Parse(viewTemplates))
}

const viewTemplates = `{{define "head"}}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{.CSP}}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<style>{{.Style}}</style>
{{end}}

{{define "fleet"}}{{template "head" .}}<title>gcrun fleet</title>
</head>
<body>
{{with .Data}}<h1>gcrun fleet</h1>
<dl>
<dt>Generated</dt><dd>{{time .GeneratedAt}}</dd>
<dt>Hosts</dt><dd>{{.Totals.Hosts}} enrolled: {{.Totals.Current}} current, {{.Totals.Stale}} stale (no report for {{.StaleAfterSeconds}} s); {{.Totals.Revoked}} revoked</dd>
<dt>Compliance</dt><dd>{{.Totals.Compliant}} compliant, {{.Totals.NonCompliant}} non-compliant, {{.Totals.Unknown}} without results (current hosts)</dd>
<dt>Average score</dt><dd>{{pct .Totals.AverageScore}}% <meter min="0" max="100" value="{{.Totals.AverageScore}}"></meter></dd>
</dl>
<p>A host's score is pass / (pass + fail + error) over its latest rule states; a rule's failure rate is (fail + error) / (pass + fail + error) over the current hosts. Not applicable and waived rules count for neither. Stale and revoked hosts are left out of the counts.</p>
{{if .WorstHosts}}<h2>Worst hosts</h2>
<table>
<tr><th>Host</th><th>Score</th><th></th><th>Fail</th><th>Error</th><th>Pass</th><th>Last seen</th></tr>
{{range .WorstHosts}}<tr><td><a href="hosts/{{.ID}}/reports?format=html">{{c .Hostname}}</a> <code>{{.ID}}</code></td><td class="n">{{score .Score}}</td><td><meter min="0" max="100" value="{{scoreval .Score}}"></meter></td><td class="n">{{.Summary.Fail}}</td><td class="n">{{.Summary.Error}}</td><td class="n">{{.Summary.Pass}}</td><td>{{time .LastSeen}}</td></tr>
{{end}}</table>
{{end}}{{if .WorstRules}}<h2>Worst rules</h2>
<table>
<tr><th>Rule</th><th>Severity</th><th>Failing hosts</th><th></th><th>Title</th></tr>
{{range .WorstRules}}<tr><td><code>{{c .ID}}</code></td><td>{{c .Severity}}</td><td class="n">{{failing .Summary}} ({{pct .FailPercent}}%)</td><td><meter min="0" max="100" value="{{.FailPercent}}"></meter></td><td>{{c .Title}}</td></tr>
{{end}}</table>
{{end}}<h2>Hosts ({{len .Hosts}})</h2>
<table>
<tr><th>Host</th><th>Id</th><th>Status</th><th>Score</th><th>Fail</th><th>Error</th><th>Pass</th><th>N/A</th><th>Waived</th><th>Baselines</th><th>Last seen</th></tr>
{{range .Hosts}}<tr><td><a href="hosts/{{.ID}}/reports?format=html">{{c .Hostname}}</a></td><td><code>{{.ID}}</code></td><td class="{{.ComplianceStatus}}">{{.ComplianceStatus}}{{if .Revoked}} (revoked){{else if .Stale}} <span class="stale">(stale)</span>{{end}}</td><td class="n">{{score .Score}}</td><td class="n">{{.Summary.Fail}}</td><td class="n">{{.Summary.Error}}</td><td class="n">{{.Summary.Pass}}</td><td class="n">{{.Summary.NotApplicable}}</td><td class="n">{{.Summary.Waived}}</td><td>{{range $i, $b := .Baselines}}{{if $i}}, {{end}}{{c $b.Name}}: <span class="{{$b.ComplianceStatus}}">{{$b.ComplianceStatus}}</span>{{end}}</td><td>{{time .LastSeen}}</td></tr>
{{end}}</table>
<h2>Rules ({{len .Rules}})</h2>
<table>
<tr><th>Baseline</th><th>Rule</th><th>Severity</th><th>Fail</th><th>Error</th><th>Pass</th><th>N/A</th><th>Waived</th><th>Failing</th><th>Title</th></tr>
{{range .Rules}}<tr><td>{{c .Baseline}}</td><td><code>{{c .ID}}</code></td><td>{{c .Severity}}</td><td class="n">{{.Summary.Fail}}</td><td class="n">{{.Summary.Error}}</td><td class="n">{{.Summary.Pass}}</td><td class="n">{{.Summary.NotApplicable}}</td><td class="n">{{.Summary.Waived}}</td><td class="n">{{pct .FailPercent}}%</td><td>{{c .Title}}</td></tr>
{{end}}</table>
{{end}}</body>
</html>
{{end}}

{{define "history"}}{{template "head" .}}<title>gcrun host {{.Data.Host.ID}}</title>
</head>
<body>
{{with .Data}}<p><a href="../../fleet?format=html">Fleet</a></p>
<h1>{{c .Host.Hostname}} <code>{{.Host.ID}}</code></h1>
<dl>
<dt>Machine id</dt><dd><code>{{c .Host.MachineID}}</code></dd>
<dt>Key id</dt><dd><code>{{.Host.KeyID}}</code></dd>
<dt>Enrolled</dt><dd>{{time .Host.EnrolledAt}}</dd>
<dt>Last seen</dt><dd>{{time .Host.LastSeen}}{{if .Host.Stale}} <span class="stale">(stale)</span>{{end}}</dd>
{{if .Host.RevokedAt}}<dt>Revoked</dt><dd>{{time .Host.RevokedAt}}</dd>{{end}}
<dt>Last sequence</dt><dd>{{.Host.LastSequence}}</dd>
</dl>
<h2>Reports ({{len .Reports}}, newest first)</h2>
<table>
<tr><th>Seq</th><th>Report</th><th>Sequence</th><th>Assignment</th><th>Status</th><th>Fail</th><th>Error</th><th>Pass</th><th>N/A</th><th>Waived</th><th>Ended</th><th>Received</th></tr>
{{range .Reports}}<tr><td class="n">{{.Seq}}</td><td><a href="reports/{{.ID}}"><code>{{c .ID}}</code></a></td><td class="n">{{.Sequence}}</td><td>{{c .Assignment}}</td><td class="{{.ComplianceStatus}}">{{c .ComplianceStatus}}</td><td class="n">{{.Summary.Fail}}</td><td class="n">{{.Summary.Error}}</td><td class="n">{{.Summary.Pass}}</td><td class="n">{{.Summary.NotApplicable}}</td><td class="n">{{.Summary.Waived}}</td><td>{{time .EndTime}}</td><td>{{time .ReceivedAt}}</td></tr>
{{end}}</table>
{{end}}</body>
</html>
{{end}}`
