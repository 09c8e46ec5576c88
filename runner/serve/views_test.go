package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gcrun/gcrun/engine/result"
	"github.com/gcrun/gcrun/report"
	"github.com/gcrun/gcrun/runner/serve/store"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const (
	pass = result.StatusPass
	fail = result.StatusFail
	na   = result.StatusNotApplicable
	errS = result.StatusError
)

// fleetEnv builds a small fleet through the API:
//
//	alpha  two reports (the second fixes SSH-002, breaks PKG-001), current
//	beta   all pass on two baselines, current
//	gamma  failing, but last seen 3 h ago: stale
//	delta  enrolled, never reported: stale, Unknown
//	eps    reported, then revoked
func fleetEnv(t *testing.T) (*env, map[string]*host) {
	t.Helper()
	return fleetEnvWith(t, newFakeStore())
}

func fleetEnvWith(t *testing.T, st store.Store) (*env, map[string]*host) {
	t.Helper()
	e := newEnv(t, st, nil)
	hosts := map[string]*host{}
	for _, n := range []string{"alpha", "beta", "gamma", "delta", "eps"} {
		hosts[n] = e.enroll(n)
	}
	send := func(h *host, at time.Time, rules []rule) {
		t.Helper()
		e.clock.Set(at)
		id, env := h.next(t, at.Add(-time.Minute), rules)
		if status, body := e.deliver(h.id, id, env); status != 200 {
			t.Fatalf("%s: %d %s", h.name, status, body)
		}
	}
	send(hosts["alpha"], t0.Add(-time.Hour), []rule{
		{id: "GCL-SSH-001", severity: "high", status: pass},
		{id: "GCL-SSH-002", severity: "medium", status: fail},
		{id: "GCL-PKG-001", severity: "critical", status: pass},
	})
	send(hosts["alpha"], t0.Add(-10*time.Minute), []rule{
		{id: "GCL-SSH-001", severity: "high", status: pass},
		{id: "GCL-SSH-002", severity: "medium", status: pass},
		{id: "GCL-PKG-001", severity: "critical", status: fail},
		{id: "GCL-PKG-002", severity: "low", status: errS},
	})
	send(hosts["beta"], t0.Add(-5*time.Minute), []rule{
		{id: "GCL-SSH-001", severity: "high", status: pass},
		{id: "GCL-SSH-002", severity: "medium", status: pass},
		{id: "GCL-PKG-001", severity: "critical", status: pass},
		{id: "GCL-PKG-002", severity: "low", status: na},
		{id: "CIS-1.1", severity: "info", status: pass, baseline: "cis"},
	})
	send(hosts["gamma"], t0.Add(-3*time.Hour), []rule{
		{id: "GCL-SSH-001", severity: "high", status: fail},
		{id: "GCL-SSH-002", severity: "medium", status: fail},
	})
	send(hosts["eps"], t0.Add(-2*time.Minute), []rule{
		{id: "GCL-SSH-001", severity: "high", status: fail},
	})
	if err := st.RevokeHost(context.Background(), hosts["eps"].id, t0.Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(t0)
	return e, hosts
}

func TestFleetJSON(t *testing.T) {
	e, hosts := fleetEnv(t)
	status, body := e.do("GET", "/v1/fleet", nil, nil)
	if status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	// Host ids are random (fresh keys): name them for the golden file.
	norm := string(body)
	for n, h := range hosts {
		norm = strings.ReplaceAll(norm, h.id, "<"+n+">")
	}
	golden := filepath.Join("testdata", "fleet.json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(norm), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), norm); diff != "" {
		t.Errorf("fleet JSON differs from %s (-want +got):\n%s", golden, diff)
	}

	// The facts the golden file encodes, stated independently.
	var f Fleet
	if err := json.Unmarshal(body, &f); err != nil {
		t.Fatal(err)
	}
	// alpha's latest states: SSH-001 pass, SSH-002 pass, PKG-001 fail,
	// PKG-002 error: 2 / 4 = 50; beta 100; the average of the current
	// hosts 75.
	wantTotals := FleetTotals{Hosts: 4, Current: 2, Stale: 2, Revoked: 1, Compliant: 1, NonCompliant: 1, AverageScore: 75}
	if diff := cmp.Diff(wantTotals, f.Totals); diff != "" {
		t.Errorf("totals (-want +got):\n%s", diff)
	}
	byName := map[string]FleetHost{}
	for _, h := range f.Hosts {
		byName[h.Hostname] = h
	}
	type flags struct {
		Stale, Revoked bool
		Compliance     string
		Score          float64
		Never          bool
	}
	got := map[string]flags{}
	for n, h := range byName {
		fl := flags{Stale: h.Stale, Revoked: h.Revoked, Compliance: h.ComplianceStatus, Never: h.LastSeen == nil}
		if h.Score != nil {
			fl.Score = *h.Score
		}
		got[n] = fl
	}
	wantFlags := map[string]flags{
		"alpha": {Compliance: "NonCompliant", Score: 50},
		"beta":  {Compliance: "Compliant", Score: 100},
		"gamma": {Stale: true, Compliance: "NonCompliant", Score: 0},
		"delta": {Stale: true, Compliance: "Unknown", Never: true},
		"eps":   {Revoked: true, Compliance: "NonCompliant", Score: 0},
	}
	if diff := cmp.Diff(wantFlags, got); diff != "" {
		t.Errorf("hosts (-want +got):\n%s", diff)
	}
	// Rules count current hosts only (alpha, beta): gamma's and eps's
	// failures of GCL-SSH-001 are left out.
	rules := map[string]report.Summary{}
	for _, r := range f.Rules {
		rules[r.Baseline+"/"+r.ID] = r.Summary
	}
	wantRules := map[string]report.Summary{
		"cis/CIS-1.1":       {Total: 1, Pass: 1},
		"linux/GCL-PKG-001": {Total: 2, Pass: 1, Fail: 1},
		"linux/GCL-PKG-002": {Total: 2, NotApplicable: 1, Error: 1},
		"linux/GCL-SSH-001": {Total: 2, Pass: 2},
		"linux/GCL-SSH-002": {Total: 2, Pass: 2},
	}
	if diff := cmp.Diff(wantRules, rules); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	var worst []string
	for _, r := range f.WorstRules {
		worst = append(worst, r.ID)
	}
	// Both fail on one host; critical before low.
	if diff := cmp.Diff([]string{"GCL-PKG-001", "GCL-PKG-002"}, worst); diff != "" {
		t.Errorf("worst rules (-want +got):\n%s", diff)
	}
	if len(f.WorstHosts) != 1 || f.WorstHosts[0].Hostname != "alpha" {
		t.Errorf("worst hosts %+v, want alpha only", f.WorstHosts)
	}
	beta := byName["beta"]
	var bl []string
	for _, b := range beta.Baselines {
		bl = append(bl, b.Name+"="+b.ComplianceStatus)
	}
	if diff := cmp.Diff([]string{"cis=Compliant", "linux=Compliant"}, bl); diff != "" {
		t.Errorf("beta's baselines (-want +got):\n%s", diff)
	}

	// Time passes: beta and alpha go stale too.
	e.clock.Set(t0.Add(time.Hour))
	_, body = e.do("GET", "/v1/fleet", nil, nil)
	var later Fleet
	if err := json.Unmarshal(body, &later); err != nil {
		t.Fatal(err)
	}
	if later.Totals.Current != 0 || later.Totals.Stale != 4 || len(later.Rules) != 0 {
		t.Errorf("an hour later: totals %+v, %d rules; want everything stale", later.Totals, len(later.Rules))
	}
}

func TestFleetStoreError(t *testing.T) {
	st := newFakeStore()
	e := newEnv(t, st, nil)
	st.setFail(errors.New("boom"), "LatestStates")
	status, body := e.do("GET", "/v1/fleet", nil, nil)
	if status != 503 || errCode(t, body) != codeUnavailable {
		t.Errorf("%d %s", status, body)
	}
	if status, _ := e.do("GET", "/v1/fleet?format=xml", nil, nil); status != 400 {
		t.Errorf("format=xml: %d, want 400", status)
	}
}

// externalURL finds URLs that would make a page fetch or link outside the
// server.
var (
	attrURL     = regexp.MustCompile(`(?i)\b(src|href|action|srcset|poster|data)\s*=\s*["']?([^"'\s>]*)`)
	absoluteURL = regexp.MustCompile(`(?i)^([a-z][a-z0-9+.-]*:|//)`)
)

func checkPage(t *testing.T, resp *http.Response, page []byte) {
	t.Helper()
	s := string(page)
	if !strings.HasPrefix(s, "<!DOCTYPE html>") || !strings.HasSuffix(strings.TrimSpace(s), "</html>") {
		t.Errorf("not a whole page: %.80q...", s)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(s, `<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;sha256-`) {
		t.Errorf("CSP missing: header %q", csp)
	}
	if strings.Contains(s, "http://") || strings.Contains(s, "https://") {
		t.Error("page mentions an http(s) URL")
	}
	for _, m := range attrURL.FindAllStringSubmatch(s, -1) {
		if absoluteURL.MatchString(m[2]) {
			t.Errorf("external reference %s=%q", m[1], m[2])
		}
	}
	if strings.Count(s, "<style>") != 1 || strings.Contains(s, "<script") || strings.Contains(s, "style=") {
		t.Error("page has scripts or inline style attributes (not allowed by the CSP)")
	}
	// Balanced tables: a crude parse sanity check.
	for _, tag := range []string{"table", "tr", "dl", "html", "body", "head"} {
		open := regexp.MustCompile(`<` + tag + `[\s>]`)
		if o, c := len(open.FindAllString(s, -1)), strings.Count(s, "</"+tag+">"); o != c || o == 0 && tag != "dl" {
			t.Errorf("<%s>: %d opened, %d closed", tag, o, c)
		}
	}
}

func TestFleetHTML(t *testing.T) {
	st := newFakeStore()
	e := newEnv(t, st, nil)
	// A hostile hostname: markup and a bidirectional override.
	pub, key := newKey(t)
	hostile := "<script>alert(1)</script>\u202eevil"
	status, body := e.do("POST", "/v1/enroll", nil, mustJSON(t, EnrollRequest{Secret: testSecret, PublicKey: pemOf(t, pub), Hostname: hostile}))
	if status != 400 {
		t.Fatalf("hostile hostname enrolled: %d %s", status, body)
	}
	// Enrol through the store (as an admin could), then report.
	h := &host{id: HostID(pub), pub: pub, key: key}
	if _, err := st.EnrollHost(context.Background(), hostStoreRecord(h, hostile)); err != nil {
		t.Fatal(err)
	}
	id, env := h.next(t, t0, []rule{{id: "R-<b>1</b>", severity: "high", status: fail}})
	if status, body := e.deliver(h.id, id, env); status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	resp := e.doResp("GET", "/v1/fleet?format=html", nil, nil)
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, buf.Bytes())
	}
	page := buf.String()
	checkPage(t, resp, buf.Bytes())
	if strings.Contains(page, "<b>1</b>") || strings.Contains(page, "\u202e") {
		t.Error("host-supplied text is not escaped")
	}
	if !strings.Contains(page, `&lt;script&gt;alert(1)&lt;/script&gt;\u202eevil`) {
		t.Error("hostile hostname not shown escaped")
	}
	if !strings.Contains(page, `href="hosts/`+h.id+`/reports?format=html"`) {
		t.Error("no link to the host's history")
	}
}

func TestHistory(t *testing.T) {
	e, hosts := fleetEnv(t)
	a := hosts["alpha"]
	status, body := e.do("GET", "/v1/hosts/"+a.id+"/reports", nil, nil)
	if status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	var h History
	if err := json.Unmarshal(body, &h); err != nil {
		t.Fatal(err)
	}
	type row struct {
		ID         string
		Sequence   int64
		Compliance string
		Fail       int
		End        time.Time
	}
	var got []row
	for _, r := range h.Reports {
		got = append(got, row{r.ID, r.Sequence, r.ComplianceStatus, r.Summary.Fail + r.Summary.Error, r.EndTime})
		if !strings.HasPrefix(r.Digest, "sha256:") || r.Seq == 0 || r.Assignment != "linux" {
			t.Errorf("row %+v", r)
		}
	}
	want := []row{
		{"r-" + a.id + "-2", 2, "NonCompliant", 2, t0.Add(-11 * time.Minute)},
		{"r-" + a.id + "-1", 1, "NonCompliant", 1, t0.Add(-61 * time.Minute)},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	if h.Host.ID != a.id || h.Host.LastSequence != 2 || h.Host.Stale || h.Host.LastSeen == nil || h.Host.RevokedAt != nil {
		t.Errorf("host %+v", h.Host)
	}

	st := e.st.(*fakeStore)
	for _, c := range []struct {
		query     string
		status    int
		wantLimit int
	}{
		{"", 200, DefaultHistoryLimit},
		{"?limit=1", 200, 1},
		{"?limit=100000", 200, MaxHistoryLimit},
		{"?limit=0", 400, 0},
		{"?limit=-5", 400, 0},
		{"?limit=ten", 400, 0},
		{"?format=csv", 400, 0},
	} {
		st.lastLimit = 0
		status, body := e.do("GET", "/v1/hosts/"+a.id+"/reports"+c.query, nil, nil)
		if status != c.status || st.lastLimit != c.wantLimit {
			t.Errorf("%q: %d (limit %d), want %d (limit %d): %s", c.query, status, st.lastLimit, c.status, c.wantLimit, body)
		}
	}
	if status, body := e.do("GET", "/v1/hosts/h-nope/reports", nil, nil); status != 404 || errCode(t, body) != codeNotFound {
		t.Errorf("unknown host: %d %s", status, body)
	}

	// The envelope, byte for byte, and it verifies.
	rid := "r-" + a.id + "-1"
	resp := e.doResp("GET", "/v1/hosts/"+a.id+"/reports/"+rid, nil, nil)
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	resp.Body.Close()
	stored, _ := st.Envelope(context.Background(), a.id, rid)
	if resp.StatusCode != 200 || !bytes.Equal(buf.Bytes(), stored) || resp.Header.Get("Content-Type") != EnvelopeMediaType {
		t.Fatalf("envelope: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	rep, _, err := report.Verify(buf.Bytes(), a.pub)
	if err != nil || rep.Agent.ReportID != rid {
		t.Errorf("served envelope does not verify: %v", err)
	}
	for _, p := range []string{"/v1/hosts/" + a.id + "/reports/r-missing", "/v1/hosts/" + hosts["beta"].id + "/reports/" + rid} {
		if status, _ := e.do("GET", p, nil, nil); status != 404 {
			t.Errorf("%s: %d, want 404", p, status)
		}
	}

	resp = e.doResp("GET", "/v1/hosts/"+a.id+"/reports?format=html", nil, nil)
	buf.Reset()
	_, _ = buf.ReadFrom(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("html: %d", resp.StatusCode)
	}
	checkPage(t, resp, buf.Bytes())
	if !strings.Contains(buf.String(), `href="reports/`+rid+`"`) || !strings.Contains(buf.String(), `href="../../fleet?format=html"`) {
		t.Error("history page lacks its links")
	}
}

func TestViewToken(t *testing.T) {
	e := newEnv(t, newFakeStore(), func(o *Options) { o.ViewToken = "view-me" })
	for _, p := range []string{"/v1/fleet", "/metrics", "/v1/hosts/h-x/reports", "/v1/hosts/h-x/reports/r"} {
		for _, auth := range []string{"", "Bearer wrong", "view-me", "Basic view-me"} {
			hdr := http.Header{}
			if auth != "" {
				hdr.Set("Authorization", auth)
			}
			if status, _ := e.do("GET", p, hdr, nil); status != 401 {
				t.Errorf("%s with %q: %d, want 401", p, auth, status)
			}
		}
		status, _ := e.do("GET", p, http.Header{"Authorization": {"Bearer view-me"}}, nil)
		if status == 401 {
			t.Errorf("%s with the token: 401", p)
		}
	}
	// Agents' endpoints need no view token.
	if status, _ := e.do("GET", "/healthz", nil, nil); status != 200 {
		t.Errorf("healthz: %d", status)
	}
}
