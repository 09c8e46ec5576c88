package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// WriteSummaryJSON writes s as indented JSON with a final newline. Field
// names are camelCase like the report's; everything, including every host
// and rule, is in it.
func WriteSummaryJSON(w io.Writer, s *FleetSummary) error {
	if s == nil {
		return errors.New("write summary json: nil summary")
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		return fmt.Errorf("write summary json: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write summary json: %w", err)
	}
	return nil
}

// WriteSummaryText writes s for a terminal: the totals, the worst hosts
// and rules, the hosts with several reports, and the files that were not
// counted. It leaves out the full host and rule lists, which for a fleet
// are too long to read on a terminal: they are in the JSON and HTML.
// Strings from the reports are sanitised as by WriteText.
func WriteSummaryText(w io.Writer, s *FleetSummary, opts TextOptions) error {
	if s == nil {
		return errors.New("write summary text: nil summary")
	}
	t := textWriter{color: opts.Color}
	tot := s.Totals
	t.printf("%s\n", t.paint(sgrBold, "gcrun fleet summary"))
	field := func(label, format string, args ...any) {
		t.printf("  %-12s %s\n", label+":", fmt.Sprintf(format, args...))
	}
	field("files", "%d (%d %s counted, %d superseded, %d %s)", tot.Files,
		tot.Hosts, plural(tot.Hosts, "host", "hosts"), tot.Superseded, tot.Problems, plural(tot.Problems, "problem", "problems"))
	if tot.Hosts > 0 {
		field("compliance", "%d compliant, %s (%.1f%% compliant)", tot.Compliant,
			t.paint(nonZeroColor(tot.NonCompliant, sgrBoldRed), fmt.Sprintf("%d non-compliant", tot.NonCompliant)), tot.CompliantPercent)
		field("score", "average %.1f%% (pass / (pass + fail + error) per host)", tot.AverageScore)
		field("reports", "%s to %s", tot.OldestReport.UTC().Format(time.RFC3339), tot.NewestReport.UTC().Format(time.RFC3339))
	}
	if s.SignaturesRequired {
		field("signatures", "required: %d verified", tot.Verified)
	} else {
		field("signatures", "not checked (no keys): %d signed, %d unsigned", tot.Unverified, tot.Unsigned)
	}

	if len(s.WorstHosts) > 0 {
		t.printf("\n%s\n", t.paint(sgrBoldRed, fmt.Sprintf("WORST HOSTS (%d of %d non-compliant)", len(s.WorstHosts), tot.NonCompliant)))
		rows := [][]string{{"HOST", "SCORE", "FAIL", "ERROR", "PASS", "N/A", "WAIVED", "REPORT"}}
		for _, h := range s.WorstHosts {
			rows = append(rows, []string{hostLabel(h.Hostname, h.MachineID), fmt.Sprintf("%.1f%%", h.Score),
				fmt.Sprint(h.Summary.Fail), fmt.Sprint(h.Summary.Error), fmt.Sprint(h.Summary.Pass),
				fmt.Sprint(h.Summary.NotApplicable), fmt.Sprint(h.Summary.Waived), clean(h.Path)})
		}
		t.table(rows, map[int]bool{1: true, 2: true, 3: true, 4: true, 5: true, 6: true})
	}
	if len(s.WorstRules) > 0 {
		failing := 0
		for _, r := range s.Rules {
			if r.Summary.Fail+r.Summary.Error > 0 {
				failing++
			}
		}
		t.printf("\n%s\n", t.paint(sgrBoldRed, fmt.Sprintf("WORST RULES (%d of %d failing on some host)", len(s.WorstRules), failing)))
		rows := [][]string{{"RULE", "SEVERITY", "FAILING", "FAIL", "ERROR", "PASS", "N/A", "WAIVED", "TITLE"}}
		for _, r := range s.WorstRules {
			applicable := r.Summary.Pass + r.Summary.Fail + r.Summary.Error
			rows = append(rows, []string{clean(r.ID), clean(string(r.Severity)),
				fmt.Sprintf("%d/%d (%.1f%%)", r.Summary.Fail+r.Summary.Error, applicable, r.FailPercent),
				fmt.Sprint(r.Summary.Fail), fmt.Sprint(r.Summary.Error), fmt.Sprint(r.Summary.Pass),
				fmt.Sprint(r.Summary.NotApplicable), fmt.Sprint(r.Summary.Waived), clean(r.Title)})
		}
		t.table(rows, map[int]bool{2: true, 3: true, 4: true, 5: true, 6: true, 7: true})
	}
	if len(s.Duplicates) > 0 {
		t.printf("\n%s\n", t.paint(sgrBoldYel, fmt.Sprintf("HOSTS WITH SEVERAL REPORTS (%d): only the latest of each is counted", len(s.Duplicates))))
		for _, d := range s.Duplicates {
			t.printf("  %s\n", hostLabel(d.Hostname, d.MachineID))
			if len(d.Hostnames) > 0 {
				names := make([]string, len(d.Hostnames))
				for i, n := range d.Hostnames {
					names[i] = clean(n)
				}
				t.printf("    note:       machine id %s is shared by hostnames %s (renamed, or cloned without a new machine id?)\n",
					clean(d.MachineID), strings.Join(names, ", "))
			}
			t.printf("    counted:    %s\n", clean(d.Kept))
			for _, p := range d.Superseded {
				t.printf("    superseded: %s\n", clean(p))
			}
		}
	}
	if len(s.Problems) > 0 {
		t.printf("\n%s\n", t.paint(sgrMagenta, fmt.Sprintf("NOT COUNTED (%d)", len(s.Problems))))
		for _, p := range s.Problems {
			t.printf("  %s: %s\n", clean(p.Path), clean(strings.ReplaceAll(p.Kind, "_", " ")))
			t.block("    ", "    ", p.Error)
		}
	}
	if _, err := w.Write(t.buf.Bytes()); err != nil {
		return fmt.Errorf("write summary text: %w", err)
	}
	return nil
}

func nonZeroColor(n int, sgr string) string {
	if n == 0 {
		return ""
	}
	return sgr
}

// hostLabel names a host: its hostname, or its machine id when it has
// none, sanitised.
func hostLabel(hostname, machineID string) string {
	switch {
	case hostname != "":
		return clean(hostname)
	case machineID != "":
		return "(machine id " + clean(machineID) + ")"
	}
	return "(unknown host)"
}

// table writes rows (the first a header) in aligned columns, right-aligning
// the columns in right. Cells must already be sanitised.
func (t *textWriter) table(rows [][]string, right map[int]bool) {
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, c := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	for ri, row := range rows {
		var sb strings.Builder
		sb.WriteString("  ")
		for i, c := range row {
			if i > 0 {
				sb.WriteString("  ")
			}
			switch {
			case i == len(row)-1:
				sb.WriteString(c)
			case right[i]:
				sb.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c)) + c)
			default:
				sb.WriteString(pad(c, widths[i]))
			}
		}
		line := strings.TrimRight(sb.String(), " ")
		if ri == 0 {
			line = t.paint(sgrDim, line)
		}
		t.printf("%s\n", line)
	}
}

// WriteSummaryHTML writes s as one self-contained HTML page: inline CSS,
// no scripts, nothing loaded from the network (a Content-Security-Policy
// forbids it), so it can be mailed or archived. It shows the totals, the
// worst hosts and rules with bars, every rule, every host (folded), the
// hosts with several reports and the files not counted. Every string goes
// through html/template's contextual escaping.
func WriteSummaryHTML(w io.Writer, s *FleetSummary) error {
	if s == nil {
		return errors.New("write summary html: nil summary")
	}
	var buf bytes.Buffer
	if err := summaryHTML.Execute(&buf, s); err != nil {
		return fmt.Errorf("write summary html: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write summary html: %w", err)
	}
	return nil
}

var summaryHTML = template.Must(template.New("summary").Funcs(template.FuncMap{
	"pct": func(x float64) string { return fmt.Sprintf("%.1f", x) },
	// bar clamps a percentage for a bar's width.
	"bar": func(x float64) string { return fmt.Sprintf("%.1f", min(100, max(0, x))) },
	"time": func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.UTC().Format(time.RFC3339)
	},
	"failing": func(s Summary) int { return s.Fail + s.Error },
	"applicable": func(s Summary) int {
		return s.Pass + s.Fail + s.Error
	},
	"kind": func(k string) string { return strings.ReplaceAll(k, "_", " ") },
	// c sanitises a string from a report as the text output does (control
	// and bidirectional formatting characters shown as escapes) before
	// html/template escapes it for its context.
	"c": func(v any) string { return clean(fmt.Sprint(v)) },
}).Parse(summaryHTMLTemplate))

const summaryHTMLTemplate = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gcrun fleet summary</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; }
table { border-collapse: collapse; margin: .5em 0; }
th, td { padding: .25em .6em; text-align: left; border-bottom: 1px solid #ddd; vertical-align: top; }
th { background: #f4f4f4; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td:first-child { white-space: nowrap; }
.bar { width: 10em; height: .8em; background: #e6e6e6; display: inline-block; vertical-align: middle; }
.bar span { display: block; height: 100%; }
.good span { background: #2e7d32; } .bad span { background: #c62828; }
.NonCompliant { color: #c62828; } .Compliant { color: #2e7d32; }
code { font-size: .95em; }
dl { display: grid; grid-template-columns: max-content auto; gap: .2em 1em; }
dt { font-weight: bold; }
</style>
</head>
<body>
<h1>gcrun fleet summary</h1>
{{with .Totals}}<dl>
<dt>Files</dt><dd>{{.Files}} ({{.Hosts}} hosts counted, {{.Superseded}} superseded, {{.Problems}} not counted)</dd>
<dt>Compliance</dt><dd>{{.Compliant}} compliant, {{.NonCompliant}} non-compliant ({{pct .CompliantPercent}}% compliant)
 <span class="bar good"><span style="width: {{bar .CompliantPercent}}%"></span></span></dd>
<dt>Average score</dt><dd>{{pct .AverageScore}}% <span class="bar good"><span style="width: {{bar .AverageScore}}%"></span></span></dd>
<dt>Reports</dt><dd>{{time .OldestReport}} to {{time .NewestReport}}</dd>
{{end}}<dt>Signatures</dt><dd>{{if .SignaturesRequired}}required: {{.Totals.Verified}} verified{{else}}not checked (no keys): {{.Totals.Unverified}} signed, {{.Totals.Unsigned}} unsigned{{end}}</dd>
</dl>
<p>A host's score is pass / (pass + fail + error); a rule's failure rate is (fail + error) / (pass + fail + error) over the hosts whose report lists it. Not applicable and waived rules count for neither.</p>
{{if .WorstHosts}}
<h2>Worst hosts</h2>
<table>
<tr><th>Host</th><th>Score</th><th></th><th>Fail</th><th>Error</th><th>Pass</th><th>N/A</th><th>Waived</th><th>OS</th><th>Report</th></tr>
{{range .WorstHosts}}<tr><td>{{c .Hostname}}{{if not .Hostname}}{{c .MachineID}}{{end}}</td><td class="n">{{pct .Score}}%</td><td><span class="bar good"><span style="width: {{bar .Score}}%"></span></span></td><td class="n">{{.Summary.Fail}}</td><td class="n">{{.Summary.Error}}</td><td class="n">{{.Summary.Pass}}</td><td class="n">{{.Summary.NotApplicable}}</td><td class="n">{{.Summary.Waived}}</td><td>{{c .OS}}</td><td><code>{{c .Path}}</code></td></tr>
{{end}}</table>
{{end}}{{if .WorstRules}}
<h2>Worst rules</h2>
<table>
<tr><th>Rule</th><th>Severity</th><th>Failing</th><th></th><th>Title</th></tr>
{{range .WorstRules}}<tr><td><code>{{c .ID}}</code></td><td>{{c .Severity}}</td><td class="n">{{failing .Summary}}/{{applicable .Summary}} ({{pct .FailPercent}}%)</td><td><span class="bar bad"><span style="width: {{bar .FailPercent}}%"></span></span></td><td>{{c .Title}}</td></tr>
{{end}}</table>
{{end}}
<h2>Rules ({{len .Rules}})</h2>
<table>
<tr><th>Baseline</th><th>Rule</th><th>Severity</th><th>Fail</th><th>Error</th><th>Pass</th><th>N/A</th><th>Waived</th><th>Failing</th><th></th><th>Title</th></tr>
{{range .Rules}}<tr><td>{{c .Baseline}}</td><td><code>{{c .ID}}</code></td><td>{{c .Severity}}</td><td class="n">{{.Summary.Fail}}</td><td class="n">{{.Summary.Error}}</td><td class="n">{{.Summary.Pass}}</td><td class="n">{{.Summary.NotApplicable}}</td><td class="n">{{.Summary.Waived}}</td><td class="n">{{pct .FailPercent}}%</td><td><span class="bar bad"><span style="width: {{bar .FailPercent}}%"></span></span></td><td>{{c .Title}}</td></tr>
{{end}}</table>
<details>
<summary><h2 style="display: inline">Hosts ({{len .Hosts}})</h2></summary>
<table>
<tr><th>Host</th><th>Machine id</th><th>Status</th><th>Score</th><th>Fail</th><th>Error</th><th>Pass</th><th>N/A</th><th>Waived</th><th>Scanned</th><th>Signature</th><th>Report</th></tr>
{{range .Hosts}}<tr><td>{{c .Hostname}}</td><td><code>{{c .MachineID}}</code></td><td class="{{.ComplianceStatus}}">{{.ComplianceStatus}}</td><td class="n">{{pct .Score}}%</td><td class="n">{{.Summary.Fail}}</td><td class="n">{{.Summary.Error}}</td><td class="n">{{.Summary.Pass}}</td><td class="n">{{.Summary.NotApplicable}}</td><td class="n">{{.Summary.Waived}}</td><td>{{time .EndTime}}</td><td>{{c .Signature}}</td><td><code>{{c .Path}}</code></td></tr>
{{end}}</table>
</details>
{{if .Duplicates}}
<h2>Hosts with several reports ({{len .Duplicates}})</h2>
<p>Only the latest report of each host is counted.</p>
<table>
<tr><th>Host</th><th>Counted</th><th>Superseded</th></tr>
{{range .Duplicates}}<tr><td>{{c .Hostname}} <code>{{c .MachineID}}</code>{{if .Hostnames}}<br>hostnames: {{range $i, $n := .Hostnames}}{{if $i}}, {{end}}{{c $n}}{{end}} (renamed, or cloned without a new machine id?){{end}}</td><td><code>{{c .Kept}}</code></td><td>{{range $i, $p := .Superseded}}{{if $i}}<br>{{end}}<code>{{c $p}}</code>{{end}}</td></tr>
{{end}}</table>
{{end}}{{if .Problems}}
<h2>Not counted ({{len .Problems}})</h2>
<table>
<tr><th>File</th><th>Problem</th><th>Error</th></tr>
{{range .Problems}}<tr><td><code>{{c .Path}}</code></td><td>{{kind .Kind}}</td><td>{{c .Error}}</td></tr>
{{end}}</table>
{{end}}</body>
</html>
`
