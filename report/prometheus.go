package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gcrun/gcrun/engine/result"
)

// prometheusMediaType is the media type of the Prometheus text exposition
// format, version 0.0.4, the format node_exporter's textfile collector reads.
const prometheusMediaType = "text/plain; version=0.0.4; charset=utf-8"

// newPrometheusRenderer renders a report as Prometheus metrics in the text
// exposition format (format "prometheus"), to be written to a *.prom file in
// node_exporter's textfile collector directory after each scan:
//
//	gcrun_info{version,hostname,os}                   1
//	gcrun_compliant                                   0 or 1
//	gcrun_report_timestamp_seconds                    end of the scan, Unix time
//	gcrun_scan_duration_seconds                       end minus start
//	gcrun_rules{baseline,status}                      number of rules
//	gcrun_rule_status{baseline,rule_id,severity,status} 0 or 1
//	gcrun_collector_ok{collector}                     0 or 1
//
// Every metric is a gauge. No sample carries a timestamp: the textfile
// collector refuses them; staleness is what gcrun_report_timestamp_seconds
// is for (alert on time() - gcrun_report_timestamp_seconds > 2 * interval).
//
// gcrun_rule_status follows kube-state-metrics (kube_pod_status_phase): one
// series per rule and possible status, 1 for the rule's status and 0 for
// the four others, rather than a single series whose status label changes.
// With a changing label, a status change ends one series and starts
// another: the old one goes stale, `for:` clauses restart, and "rules that
// stopped failing" or "how long has this been failing" need absent() tricks.
// With all five series always present, `gcrun_rule_status{status="fail"}
// == 1` is an ordinary alert expression, `changes(...)` sees each
// transition, and `sum by (status)` counts without gaps. The price is five
// series per rule (about 1,100 for the 217-rule linux baseline), which a
// textfile on one host easily affords. gcrun_rules likewise lists all five
// statuses for every baseline, zeros included.
//
// Statuses other than the five known ones (only a hand-made report has
// them) are counted as error, as Report.Summary counts them, so they can
// never look healthy. A rule listed twice (same baseline and id, again only
// in a hand-made report) gets the worse of its statuses, error first, since
// duplicate series would make the textfile collector reject the whole file.
// Label values are escaped as the format requires (backslash, double
// quote, newline); other control characters, bidirectional formatting
// characters and invalid UTF-8 are shown as escapes (see clean), because
// label values reach dashboards and alert messages. Output is sorted and a
// pure function of the report.
func newPrometheusRenderer(RenderOptions) Renderer {
	return rendererFunc{mediaType: prometheusMediaType, render: writePrometheus}
}

// promStatuses are the statuses gcrun_rule_status and gcrun_rules list for
// every rule and baseline, in output order (alphabetical, as Prometheus
// tools sort label values).
var promStatuses = []result.Status{
	result.StatusError,
	result.StatusFail,
	result.StatusNotApplicable,
	result.StatusPass,
	result.StatusWaived,
}

// promStatusBadness ranks statuses for merging duplicate rules: lower is
// worse. An unknown state (error) is worse than a known failure.
var promStatusBadness = map[result.Status]int{
	result.StatusError:         0,
	result.StatusFail:          1,
	result.StatusWaived:        2,
	result.StatusNotApplicable: 3,
	result.StatusPass:          4,
}

// promStatus maps a rule status to one of promStatuses.
func promStatus(s result.Status) result.Status {
	if _, ok := promStatusBadness[s]; ok {
		return s
	}
	return result.StatusError
}

type promRuleKey struct{ baseline, id string }

func writePrometheus(w io.Writer, r *Report) error {
	if r == nil {
		return errors.New("write prometheus metrics: nil report")
	}
	var p promWriter

	osName := r.Host.OS.PrettyName
	if osName == "" {
		osName = strings.TrimSpace(r.Host.OS.ID + " " + r.Host.OS.VersionID)
	}
	p.family("gcrun_info", "Information about the gcrun scan that produced these metrics; always 1.")
	p.sample("gcrun_info", []string{"version", r.Tool.Version, "hostname", r.Host.Hostname, "os", osName}, 1)

	// Judged like Report.ExitCode: the rules, the summary and the recorded
	// status all have to agree before a report counts as compliant.
	compliant := 0.0
	if r.ExitCode() == ExitCompliant {
		compliant = 1
	}
	p.family("gcrun_compliant", "Whether the last gcrun scan found the host compliant (1) or not (0).")
	p.sample("gcrun_compliant", nil, compliant)

	p.family("gcrun_report_timestamp_seconds", "End time of the last gcrun scan, in seconds since the Unix epoch.")
	p.sample("gcrun_report_timestamp_seconds", nil, unixSeconds(r.EndTime))

	dur := 0.0
	if !r.StartTime.IsZero() && !r.EndTime.IsZero() && r.EndTime.After(r.StartTime) {
		dur = r.EndTime.Sub(r.StartTime).Seconds()
	}
	p.family("gcrun_scan_duration_seconds", "Duration of the last gcrun scan, in seconds.")
	p.sample("gcrun_scan_duration_seconds", nil, dur)

	// Per rule, the worst status seen (see the doc comment on duplicates).
	rules := map[promRuleKey]RuleResult{}
	for _, rr := range r.Rules {
		k := promRuleKey{rr.Baseline, rr.ID}
		rr.Status = promStatus(rr.Status)
		if old, ok := rules[k]; ok && promStatusBadness[old.Status] <= promStatusBadness[rr.Status] {
			continue
		}
		rules[k] = rr
	}
	keys := make([]promRuleKey, 0, len(rules))
	for k := range rules {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].baseline != keys[j].baseline {
			return keys[i].baseline < keys[j].baseline
		}
		return keys[i].id < keys[j].id
	})

	// Baselines that were evaluated but contributed no rule still get
	// their zero counts, so "this baseline has no failing rules" is a
	// present 0, not an absent series.
	counts := map[string]map[result.Status]int{}
	for _, b := range r.Baselines {
		counts[b.Name] = map[result.Status]int{}
	}
	for _, k := range keys {
		if counts[k.baseline] == nil {
			counts[k.baseline] = map[result.Status]int{}
		}
		counts[k.baseline][rules[k].Status]++
	}
	baselines := make([]string, 0, len(counts))
	for b := range counts {
		baselines = append(baselines, b)
	}
	sort.Strings(baselines)
	p.family("gcrun_rules", "Number of rules by baseline and status in the last gcrun scan.")
	for _, b := range baselines {
		for _, s := range promStatuses {
			p.sample("gcrun_rules", []string{"baseline", b, "status", string(s)}, float64(counts[b][s]))
		}
	}

	p.family("gcrun_rule_status", "Status of each rule in the last gcrun scan: 1 for the rule's status, 0 for the others.")
	for _, k := range keys {
		rr := rules[k]
		for _, s := range promStatuses {
			v := 0.0
			if rr.Status == s {
				v = 1
			}
			p.sample("gcrun_rule_status", []string{"baseline", k.baseline, "rule_id", k.id, "severity", string(rr.Severity), "status", string(s)}, v)
		}
	}

	// A collector listed twice is ok only if every run of it was.
	collectors := map[string]bool{}
	for _, c := range r.Collectors {
		ok, seen := collectors[c.Name]
		collectors[c.Name] = c.Status == CollectorOK && (ok || !seen)
	}
	names := make([]string, 0, len(collectors))
	for n := range collectors {
		names = append(names, n)
	}
	sort.Strings(names)
	p.family("gcrun_collector_ok", "Whether each fact collector of the last gcrun scan succeeded (1) or failed (0).")
	for _, n := range names {
		v := 0.0
		if collectors[n] {
			v = 1
		}
		p.sample("gcrun_collector_ok", []string{"collector", n}, v)
	}

	if _, err := w.Write(p.buf.Bytes()); err != nil {
		return fmt.Errorf("write prometheus metrics: %w", err)
	}
	return nil
}

// unixSeconds is t as fractional Unix seconds. It avoids UnixNano, which
// overflows for the zero time of a report without times.
func unixSeconds(t time.Time) float64 {
	return float64(t.Unix()) + float64(t.Nanosecond())/1e9
}

// promWriter accumulates the exposition text.
type promWriter struct {
	buf bytes.Buffer
}

// family writes the HELP and TYPE lines of a gauge.
func (p *promWriter) family(name, help string) {
	p.buf.WriteString("# HELP " + name + " " + promEscape(help, false) + "\n")
	p.buf.WriteString("# TYPE " + name + " gauge\n")
}

// sample writes one sample; labels alternate names and values.
func (p *promWriter) sample(name string, labels []string, v float64) {
	p.buf.WriteString(name)
	if len(labels) > 0 {
		p.buf.WriteByte('{')
		for i := 0; i+1 < len(labels); i += 2 {
			if i > 0 {
				p.buf.WriteByte(',')
			}
			p.buf.WriteString(labels[i] + `="` + promEscape(labels[i+1], true) + `"`)
		}
		p.buf.WriteByte('}')
	}
	p.buf.WriteByte(' ')
	p.buf.WriteString(strconv.FormatFloat(v, 'f', -1, 64))
	p.buf.WriteByte('\n')
}

// promEscape escapes s for a label value (quote true) or a HELP text: the
// format's escapes (\\, \n, and \" in label values), plus clean's visible
// escapes for the characters the format would pass through raw but that must
// not reach a terminal or an alert message. Those escapes start with a
// backslash, which is itself escaped, so a parser reads them back as text,
// e.g. the label value `a\x1bb` for a, ESC, b.
func promEscape(s string, quote bool) string {
	var sb strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&sb, `\\x%02x`, s[i])
		case r == '\\':
			sb.WriteString(`\\`)
		case r == '\n':
			sb.WriteString(`\n`)
		case r == '"' && quote:
			sb.WriteString(`\"`)
		case r == '\t':
			sb.WriteByte(' ')
		case r < 0x80 && unicode.IsControl(r):
			fmt.Fprintf(&sb, `\\x%02x`, r)
		case unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r):
			fmt.Fprintf(&sb, `\\u%04x`, r)
		default:
			sb.WriteString(s[i : i+size])
		}
		i += size
	}
	return sb.String()
}
