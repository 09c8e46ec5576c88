package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"html"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/gcrun/gcrun/engine/result"
	"github.com/google/go-cmp/cmp"
)

// golang.org/x/net/html is not a requirement of this module (only in
// go.sum), so these tests take the page apart with regular expressions.
// That is enough here: the page comes from one template whose shape the
// patterns below follow, and the browser test checks what a real HTML
// parser makes of it.

func htmlRender(t testing.TB, r *Report) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteHTML(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func htmlLoadGolden(t testing.TB, name string) *Report {
	t.Helper()
	data, err := os.ReadFile("../runner/testdata/golden/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var r Report
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &r
}

var (
	htmlReDataBlock  = regexp.MustCompile(`(?s)<script type="application/json" id="report-data">(.*?)</script>`)
	htmlReStyle      = regexp.MustCompile(`(?s)<style>(.*?)</style>`)
	htmlReScript     = regexp.MustCompile(`(?s)<script>(.*?)</script>`)
	htmlReCSP        = regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`)
	htmlReRuleRow    = regexp.MustCompile(`<tr class="rule" id="rule-(\d+)" data-index="(\d+)" data-status="([^"]*)" data-severity="([^"]*)">\n<td class="id mono">([^<]*)</td>`)
	htmlReLegendItem = regexp.MustCompile(`<li data-status="([a-z_]+)"><span class="swatch [^"]*" aria-hidden="true"></span><span class="label">[^<]*</span> <span class="count">(\d+)</span>`)
	htmlReSevBar     = regexp.MustCompile(`(?s)<g class="bar [^"]*" data-severity="([^"]*)"[^>]*>.*?<rect class="fill" x="72" y="4" width="([0-9.]+)"[^>]*></rect>\n<text class="count"[^>]*>(\d+)</text>`)
	htmlReDonutTotal = regexp.MustCompile(`<text class="donut-total"[^>]*>(\d+)</text>`)
	// Any attribute that makes a browser fetch or navigate.
	htmlReFetchAttr = regexp.MustCompile(`(?i)\s(src|href|xlink:href|action|formaction|poster|srcset|background|data|ping|manifest|codebase|cite|longdesc|usemap)\s*=`)
	htmlReURLAttr   = regexp.MustCompile(`(?i)\s(src|href|xlink:href)\s*=\s*["']?\s*https?:`)
)

type htmlRow struct {
	Index             int
	Status, Severity  string
	ID                string
	DOMIndex, DataIdx string
}

func htmlRows(t testing.TB, page string) []htmlRow {
	t.Helper()
	var rows []htmlRow
	for _, m := range htmlReRuleRow.FindAllStringSubmatch(page, -1) {
		i, err := strconv.Atoi(m[2])
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, htmlRow{Index: i, DOMIndex: m[1], DataIdx: m[2], Status: html.UnescapeString(m[3]),
			Severity: html.UnescapeString(m[4]), ID: html.UnescapeString(m[5])})
	}
	return rows
}

// htmlOutsideData is the page without its report data block: what the
// reader sees.
func htmlOutsideData(page string) string {
	return htmlReDataBlock.ReplaceAllString(page, "")
}

// htmlEmbedded returns the report data block of a page, parsed.
func htmlEmbedded(t testing.TB, page string) (raw string, r map[string]any) {
	t.Helper()
	m := htmlReDataBlock.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no report-data script element")
	}
	if err := json.Unmarshal([]byte(m[1]), &r); err != nil {
		t.Fatalf("report-data is not JSON: %v", err)
	}
	return m[1], r
}

// htmlAsJSON is r the way a JSON reader sees it, for comparison with the
// embedded data.
func htmlAsJSON(t testing.TB, r *Report) map[string]any {
	t.Helper()
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestHTMLGolden(t *testing.T) {
	page := htmlRender(t, sampleReport())
	golden(t, "html/sample.golden.html", []byte(page))
}

func TestHTMLRenderer(t *testing.T) {
	rd := newHTMLRenderer(RenderOptions{Color: true})
	if got, want := rd.MediaType(), "text/html; charset=utf-8"; got != want {
		t.Errorf("MediaType() = %q, want %q", got, want)
	}
	var buf bytes.Buffer
	if err := rd.Render(&buf, sampleReport()); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(htmlRender(t, sampleReport()), buf.String()); diff != "" {
		t.Errorf("Render differs from WriteHTML (-WriteHTML +Render):\n%s", diff)
	}
	if err := rd.Render(&buf, nil); err == nil {
		t.Error("Render(nil) succeeded")
	}
}

// TestHTMLDeterministic renders reports full of maps (evidence, references)
// many times: Go randomises map iteration, so any unsorted map shows up as
// a difference.
func TestHTMLDeterministic(t *testing.T) {
	r := sampleReport()
	ev := map[string]any{}
	refs := map[string][]string{}
	for i := range 30 {
		k := strconv.Itoa(i)
		ev["k"+k] = map[string]any{"a" + k: i, "b" + k: []any{"x", i}}
		refs["bench-"+k] = []string{k}
	}
	r.Rules[1].Evidence = ev
	r.Rules[1].References = refs
	r.Rules[1].Reasons[0].Evidence = ev
	r.Rules[4].Severity = "zeta"
	r.Rules[5].Severity = "alpha"
	r.Rules[6].Status = "bogus"
	r.Rules[0].Status = "another"
	first := htmlRender(t, r)
	for range 20 {
		if diff := cmp.Diff(first, htmlRender(t, r)); diff != "" {
			t.Fatalf("rendering the same report twice differs:\n%s", diff)
		}
	}
	big := htmlLoadGolden(t, "noncompliant.json")
	if a, b := htmlRender(t, big), htmlRender(t, big); a != b {
		t.Error("rendering noncompliant.json twice differs")
	}
}

// TestHTMLSelfContained: the page loads nothing. No element has an
// attribute that fetches or navigates, there is no element that embeds
// something, the style sheet imports nothing, and the CSP allows exactly
// the inline style and script (by hash) and nothing else.
func TestHTMLSelfContained(t *testing.T) {
	for name, r := range map[string]*Report{
		"sample":       sampleReport(),
		"noncompliant": htmlLoadGolden(t, "noncompliant.json"),
		"compliant":    htmlLoadGolden(t, "compliant.json"),
	} {
		t.Run(name, func(t *testing.T) {
			page := htmlRender(t, r)
			if m := htmlReURLAttr.FindAllString(page, -1); m != nil {
				t.Errorf("http(s) URLs in src/href attributes: %q", m)
			}
			if m := htmlReFetchAttr.FindAllString(page, -1); m != nil {
				t.Errorf("attributes that fetch or navigate: %q", m)
			}
			lower := strings.ToLower(page)
			for _, s := range []string{"<link", "<img", "<iframe", "<object", "<embed", "<image", "<use", "<base", "<audio", "<video", "@import", "url(", "http://", "https://"} {
				if strings.Contains(lower, s) {
					t.Errorf("page contains %q", s)
				}
			}
			if n := strings.Count(lower, "<script"); n != 2 {
				t.Errorf("%d script elements, want 2 (data and code)", n)
			}
			if n := strings.Count(lower, "<style"); n != 1 {
				t.Errorf("%d style elements, want 1", n)
			}

			m := htmlReCSP.FindStringSubmatch(page)
			if m == nil {
				t.Fatal("no Content-Security-Policy meta element")
			}
			if strings.Index(page, m[0]) > strings.Index(page, "<style>") {
				t.Error("the CSP meta element comes after the style element, which it must cover")
			}
			style := htmlReStyle.FindStringSubmatch(page)
			script := htmlReScript.FindStringSubmatch(page)
			if style == nil || script == nil {
				t.Fatal("no inline style or script")
			}
			hash := func(s string) string {
				sum := sha256.Sum256([]byte(s))
				return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
			}
			want := map[string]string{
				"default-src": "'none'",
				"style-src":   hash(style[1]),
				"script-src":  hash(script[1]),
				"base-uri":    "'none'",
				"form-action": "'none'",
			}
			got := map[string]string{}
			for _, d := range strings.Split(html.UnescapeString(m[1]), ";") {
				name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
				got[name] = value
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("CSP (-want +got):\n%s", diff)
			}
		})
	}
}

const (
	htmlHostileScript = `<script>alert(1)</script>`
	htmlHostileImg    = `"><img src=x onerror=alert(2)>`
	htmlRLO           = "\u202e"
)

// htmlHostileReport puts markup, attribute breakers, control characters and a
// right-to-left override into every string of a report.
func htmlHostileReport() *Report {
	h := func(s string) string {
		return s + " " + htmlHostileScript + htmlHostileImg + htmlRLO + "gnp.exe\x1b[31m\x00"
	}
	res := []result.Result{
		{Rule: &result.Rule{
			ID: h("id"), Title: h("title"), Description: h("desc"), Severity: result.Severity(h("sev")),
			References: map[string][]string{h("bench"): {h("ref")}}, Remediation: h("fix"),
			Tags: []string{h("tag")}, Baseline: h("baseline"),
		}, Status: result.StatusFail, Reasons: []result.Reason{{
			Code: h("code"), Phrase: h("phrase") + "\nsecond line",
			Expected: h("expected"), Actual: map[string]any{h("k"): h("v")},
			Evidence: map[string]any{"file": h("/etc/passwd"), h("key"): []any{h("item"), 1.0}},
		}}, Evidence: map[string]any{h("ek"): h("ev")}},
		{Rule: &result.Rule{ID: "w", Title: "waived", Severity: result.SeverityLow}, Status: result.StatusWaived,
			Waiver: &result.Waiver{Justification: h("just"), Expires: t0, Run: true, RawStatus: result.StatusError},
			Error:  h("error")},
	}
	meta := sampleMeta()
	meta.Host.Hostname = h("host")
	meta.Host.OS.PrettyName = h("os")
	meta.Host.MachineID = h("mid")
	meta.Root = h("root")
	meta.Tool.Version = h("ver")
	meta.Image = &Image{Format: h("fmt"), Reference: h("ref"), Digest: h("dig"), Layers: 2}
	meta.Baselines = []Baseline{{Name: h("b"), Version: h("v"), Digest: h("d")}}
	meta.Collectors = []Collector{{Name: h("col"), Status: CollectorError, Error: h("cerr")}}
	meta.Waivers = []Waiver{{ID: h("wid"), Justification: h("wj"), Expires: t0, Run: true, State: h("state")}}
	r := New(meta, res)
	r.ComplianceStatus = h("verdict")
	r.Rules = append(r.Rules, RuleResult{ID: "u", Title: "unknown status", Status: result.Status(h("st")), Severity: "", Reasons: []result.Reason{}})
	return r
}

func TestHTMLEscapesHostileStrings(t *testing.T) {
	r := htmlHostileReport()
	page := htmlRender(t, r)
	lower := strings.ToLower(page)
	// The escaped text of the img tag still reads "onerror=alert(2)", so
	// what matters is that no such element exists.
	for _, bad := range []string{htmlHostileScript, "<img", "<script>alert"} {
		if strings.Contains(lower, strings.ToLower(bad)) {
			t.Errorf("page contains %q unescaped", bad)
		}
	}
	if n := strings.Count(lower, "<script"); n != 2 {
		t.Errorf("%d script elements, want 2", n)
	}
	// No raw control characters (but newlines) and no bidirectional
	// formatting anywhere, not even in the data block.
	for i, c := range page {
		if (unicode.IsControl(c) && c != '\n') || unicode.Is(unicode.Bidi_Control, c) {
			t.Fatalf("raw %U at byte %d: %q", c, i, page[max(0, i-40):min(len(page), i+40)])
		}
	}
	// What the reader sees instead: the markup as text, the override as
	// an escape.
	for _, want := range []string{
		`&lt;script&gt;alert(1)&lt;/script&gt;`,
		`&#34;&gt;&lt;img src=x onerror=alert(2)&gt;`,
		`\u202egnp.exe\x1b[31m\x00`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks the escaped form %q", want)
		}
	}
	// Every string of the report shows up, escaped, somewhere.
	for _, label := range []string{"id", "title", "desc", "sev", "bench", "ref", "fix", "tag", "baseline", "code", "phrase",
		"expected", "k", "v", "/etc/passwd", "key", "item", "ek", "ev", "just", "error", "host", "os", "mid", "root", "ver",
		"fmt", "dig", "b", "d", "col", "cerr", "wid", "wj", "state", "verdict", "st"} {
		if !strings.Contains(htmlOutsideData(page), label+" &lt;script&gt;alert(1)") {
			t.Errorf("%q is not shown", label)
		}
	}
	// The data block is the report, and no character in it can end the
	// element or hide.
	raw, got := htmlEmbedded(t, page)
	if strings.ContainsAny(raw, "<>&") {
		t.Error("report-data contains <, > or & unescaped")
	}
	if diff := cmp.Diff(htmlAsJSON(t, r), got); diff != "" {
		t.Errorf("embedded report differs (-want +got):\n%s", diff)
	}
	// The unknown status gets a row and a filter, but a class of ours.
	if !strings.Contains(page, `<span class="badge st-unknown">st &lt;script&gt;`) {
		t.Error("the row with an unknown status lacks its badge")
	}
	if !strings.Contains(page, `name="status" value="st &lt;script&gt;`) {
		t.Error("no filter for the unknown status")
	}
	if strings.Contains(page, `class="sev-sev`) || strings.Contains(page, `class="badge st-st`) {
		t.Error("a class name comes from the report")
	}
}

func TestHTMLEmbeddedReport(t *testing.T) {
	for name, r := range map[string]*Report{
		"sample":       sampleReport(),
		"noncompliant": htmlLoadGolden(t, "noncompliant.json"),
	} {
		_, got := htmlEmbedded(t, htmlRender(t, r))
		if diff := cmp.Diff(htmlAsJSON(t, r), got); diff != "" {
			t.Errorf("%s: embedded report differs (-want +got):\n%s", name, diff)
		}
	}
}

// TestHTMLSample checks the sample's page against the report: rows in the
// order of the text format, each pointing at its rule, and the details of
// a failed and a waived rule.
func TestHTMLSample(t *testing.T) {
	r := sampleReport()
	page := htmlRender(t, r)
	var ids []string
	for _, row := range htmlRows(t, page) {
		ids = append(ids, row.ID)
		if row.DOMIndex != row.DataIdx {
			t.Errorf("row %s: id rule-%s but data-index %s", row.ID, row.DOMIndex, row.DataIdx)
		}
		if rr := r.Rules[row.Index]; rr.ID != row.ID || string(rr.Status) != row.Status || string(rr.Severity) != row.Severity {
			t.Errorf("row %+v points at rule %s %s %s", row, rr.ID, rr.Status, rr.Severity)
		}
	}
	want := []string{"ssh.permit_root_login", "files.shadow_mode", "pkg.aide_installed", "sudo.use_pty", "audit.immutable",
		"mac.selinux_enforcing", "net.firewall_enabled", "kernel.core_dumps", "banner.motd"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("row order (-want +got):\n%s", diff)
	}
	for _, s := range []string{
		// header
		`<span id="compliance" class="verdict bad">NonCompliant</span>`,
		`<dt>Machine ID</dt><dd class="mono">4c4c4544003957108052b4c04f384833</dd>`,
		`<span class="mono digest" title="sha256:` + hex64('a') + `">sha256:aaaaaaaaaaaa</span>`,
		`<dt>Started</dt><dd><time datetime="2026-03-01T12:00:00Z">2026-03-01 12:00:00 UTC</time></dd>`,
		// a reason with expected and actual side by side, and its evidence
		`<div class="compare"><div class="expected"><span class="k">Expected</span><pre>no</pre></div><div class="actual"><span class="k">Actual</span><pre>yes</pre></div></div>`,
		`<tr><th scope="row">location</th><td><pre>{&#34;file&#34;:&#34;/etc/ssh/sshd_config&#34;,&#34;line&#34;:12}</pre></td></tr>`,
		"<p class=\"phrase\">/etc/shadow is owned by uid 1000,\nwant root <code class=\"code\">owner</code></p>",
		`<dt>cis</dt><dd>5.2.7</dd>`,
		`<p class="text">Set PermitRootLogin no in /etc/ssh/sshd_config.</p>`,
		// an error and the waivers
		`<pre>collector packages failed: read /var/lib/dpkg/status: permission denied</pre>`,
		`<dt>Real status</dt><dd><span class="badge st-fail">fail</span></dd>`,
		`<dt>Real status</dt><dd>not evaluated (run: false)</dd>`,
		`<time datetime="2027-04-01T00:00:00Z">2027-03-31, end of day UTC</time>`,
		`<p>2 active, 1 expired, 1 unused</p>`,
		`<span class="badge st-fail">expired</span>`,
		// the failed collector
		`<tr><td class="mono">packages</td><td><pre>read /var/lib/dpkg/status: permission denied</pre></td><td class="num">3 ms</td></tr>`,
		`<p id="shown-count" aria-live="polite">Showing 9 of 9 rules</p>`,
	} {
		if !strings.Contains(page, s) {
			t.Errorf("page lacks %q", s)
		}
	}
}

// htmlChartCounts reads the numbers the charts show.
func htmlChartCounts(t testing.TB, page string) (legend map[string]int, total int, bars map[string]int, widths map[string]float64) {
	t.Helper()
	legend, bars, widths = map[string]int{}, map[string]int{}, map[string]float64{}
	for _, m := range htmlReLegendItem.FindAllStringSubmatch(page, -1) {
		legend[m[1]], _ = strconv.Atoi(m[2])
	}
	m := htmlReDonutTotal.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no donut total")
	}
	total, _ = strconv.Atoi(m[1])
	for _, m := range htmlReSevBar.FindAllStringSubmatch(page, -1) {
		bars[html.UnescapeString(m[1])], _ = strconv.Atoi(m[3])
		widths[html.UnescapeString(m[1])], _ = strconv.ParseFloat(m[2], 64)
	}
	return legend, total, bars, widths
}

func htmlSummaryMap(s Summary) map[string]int {
	return map[string]int{"pass": s.Pass, "fail": s.Fail, "not_applicable": s.NotApplicable, "error": s.Error, "waived": s.Waived}
}

func htmlFailingBySeverity(r *Report) map[string]int {
	want := map[string]int{"critical": 0, "high": 0, "medium": 0, "low": 0, "info": 0}
	for _, rule := range r.Rules {
		if rule.Status == result.StatusFail {
			want[string(rule.Severity)]++
		}
	}
	return want
}

// TestHTMLGoldenReports renders the realistic reports of the runner's
// tests: every rule gets a row, and the charts show the summary.
func TestHTMLGoldenReports(t *testing.T) {
	for _, tt := range []struct {
		file    string
		verdict string
	}{
		{"noncompliant.json", `<span id="compliance" class="verdict bad">NonCompliant</span>`},
		{"compliant.json", `<span id="compliance" class="verdict ok">Compliant</span>`},
	} {
		t.Run(tt.file, func(t *testing.T) {
			r := htmlLoadGolden(t, tt.file)
			page := htmlRender(t, r)
			rows := htmlRows(t, page)
			if len(rows) != len(r.Rules) || strings.Count(page, `<tr class="rule"`) != len(r.Rules) {
				t.Fatalf("%d rows, want %d", len(rows), len(r.Rules))
			}
			seen := map[int]bool{}
			count := map[string]int{}
			rank := map[string]int{"fail": 0, "error": 1, "waived": 2, "not_applicable": 3, "pass": 4}
			for i, row := range rows {
				if seen[row.Index] {
					t.Errorf("rule %d has two rows", row.Index)
				}
				seen[row.Index] = true
				if r.Rules[row.Index].ID != row.ID {
					t.Errorf("row %d shows %s but points at %s", i, row.ID, r.Rules[row.Index].ID)
				}
				count[row.Status]++
				if i > 0 && rank[rows[i-1].Status] > rank[row.Status] {
					t.Errorf("row %d (%s) after a %s row", i, row.Status, rows[i-1].Status)
				}
			}
			for st, n := range htmlSummaryMap(r.Summary) {
				if count[st] != n {
					t.Errorf("%d %s rows, summary says %d", count[st], st, n)
				}
			}
			legend, total, bars, widths := htmlChartCounts(t, page)
			if diff := cmp.Diff(htmlSummaryMap(r.Summary), legend); diff != "" {
				t.Errorf("status legend vs summary (-want +got):\n%s", diff)
			}
			if total != r.Summary.Total {
				t.Errorf("donut total %d, want %d", total, r.Summary.Total)
			}
			if diff := cmp.Diff(htmlFailingBySeverity(r), bars); diff != "" {
				t.Errorf("severity bars vs failing rules (-want +got):\n%s", diff)
			}
			for sev, n := range bars {
				if (n > 0) != (widths[sev] > 0) {
					t.Errorf("severity %s: %d rules but bar width %v", sev, n, widths[sev])
				}
			}
			if !strings.Contains(page, tt.verdict) {
				t.Errorf("page lacks %q", tt.verdict)
			}
			if !strings.Contains(page, `<p id="shown-count" aria-live="polite">Showing `+strconv.Itoa(len(r.Rules))+` of `+strconv.Itoa(len(r.Rules))+` rules</p>`) {
				t.Error("shown count does not say all rules")
			}
		})
	}
}

// TestHTMLStatusChart checks the donut's geometry: the arcs follow each
// other around the ring, each as long as its share, and together close it.
func TestHTMLStatusChart(t *testing.T) {
	for _, s := range []Summary{
		{Total: 9, Pass: 3, Fail: 2, NotApplicable: 1, Error: 1, Waived: 2},
		{Total: 217, Pass: 74, Fail: 125, NotApplicable: 18},
		{Total: 1, Fail: 1},
		{Total: 3, Pass: 1, Fail: 1, Error: 1},
		{},
	} {
		d := htmlStatusChart(s)
		sum := s.Pass + s.Fail + s.NotApplicable + s.Error + s.Waived
		next := 0.0
		for _, seg := range d.Segments {
			dash, gap, ok := strings.Cut(seg.Dash, " ")
			if !ok {
				t.Fatalf("%+v: dash %q", s, seg.Dash)
			}
			a, _ := strconv.ParseFloat(dash, 64)
			b, _ := strconv.ParseFloat(gap, 64)
			off, _ := strconv.ParseFloat(seg.Offset, 64)
			if math.Abs(a+b-100) > 0.002 {
				t.Errorf("%+v: %s dash %q does not span the ring", s, seg.Status, seg.Dash)
			}
			if want := float64(seg.Count) * 100 / float64(sum); math.Abs(a-want) > 0.001 {
				t.Errorf("%+v: %s arc %v, want %v", s, seg.Status, a, want)
			}
			if math.Abs(-off-next) > 0.002 {
				t.Errorf("%+v: %s starts at %v, want %v", s, seg.Status, -off, next)
			}
			next += a
		}
		if sum > 0 && math.Abs(next-100) > 0.005 {
			t.Errorf("%+v: arcs cover %v of 100", s, next)
		}
		if sum == 0 && len(d.Segments) != 0 {
			t.Errorf("empty summary has arcs %+v", d.Segments)
		}
		if d.Total != s.Total || len(d.Items) != 5 {
			t.Errorf("%+v: total %d, %d legend items", s, d.Total, len(d.Items))
		}
	}
}

func TestHTMLEmptyReport(t *testing.T) {
	r := New(Meta{}, nil)
	page := htmlRender(t, r)
	for _, s := range []string{
		`<span id="compliance" class="verdict ok">Compliant</span>`,
		`<dt>Host</dt><dd>unknown host</dd>`,
		`<dt>Started</dt><dd>unknown</dd>`,
		`<p>No collectors ran.</p>`,
		`Showing 0 of 0 rules`,
	} {
		if !strings.Contains(page, s) {
			t.Errorf("page lacks %q", s)
		}
	}
	if strings.Contains(page, `id="waivers"`) {
		t.Error("waivers section without waivers")
	}
	if strings.Contains(page, "NaN") || strings.Contains(page, "Inf") {
		t.Error("chart coordinates of an empty report are not numbers")
	}
}

type htmlFailWriter struct{}

func (htmlFailWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestHTMLErrors(t *testing.T) {
	if err := WriteHTML(&bytes.Buffer{}, nil); err == nil {
		t.Error("WriteHTML(nil) succeeded")
	}
	if err := WriteHTML(htmlFailWriter{}, sampleReport()); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("WriteHTML to a failing writer: %v", err)
	}
	// A value JSON cannot encode (only a hand-built report can hold one)
	// fails the page as a whole: no half-written document.
	r := sampleReport()
	r.Rules[1].Evidence = map[string]any{"x": math.NaN()}
	var buf bytes.Buffer
	if err := WriteHTML(&buf, r); err == nil {
		t.Error("WriteHTML with NaN evidence succeeded")
	}
	if buf.Len() != 0 {
		t.Errorf("a failed WriteHTML wrote %d bytes", buf.Len())
	}
}

func TestHTMLValue(t *testing.T) {
	long := map[string]any{"a": strings.Repeat("x", 50), "b": strings.Repeat("y", 50)}
	for _, tt := range []struct {
		in   any
		want string
	}{
		{"plain <b>", "plain <b>"},
		{"two\nlines\x1b", "two\nlines\\x1b"},
		{12.0, "12"},
		{true, "true"},
		{[]any{"a", 1.5}, `["a",1.5]`},
		{map[string]any{"z": 1, "a": "<=5"}, `{"a":"<=5","z":1}`},
		{long, "{\n  \"a\": \"" + strings.Repeat("x", 50) + "\",\n  \"b\": \"" + strings.Repeat("y", 50) + "\"\n}"},
	} {
		if got := htmlValue(tt.in); got != tt.want {
			t.Errorf("htmlValue(%#v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHTMLShowsRemediation(t *testing.T) {
	r := remediatedReport(t)
	page := htmlRender(t, r)
	for _, want := range []string{"Remediation actions (status before: fail)", "set PermitRootLogin no in /etc/ssh/sshd_config", "offline root: run on the booted system", "changed since the plan was made"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
