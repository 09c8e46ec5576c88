package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gcrun/gcrun/engine/result"
	"github.com/google/go-cmp/cmp"
)

// github.com/prometheus/common/expfmt is in the module graph (through OPA)
// but not required by go.mod, so importing it would change go.mod. This
// strict parser checks what node_exporter's textfile collector (which
// uses expfmt) insists on instead.

// promSample is one parsed sample.
type promSample struct {
	Name   string
	Labels map[string]string
	Value  float64
}

// promFamily is one parsed metric family.
type promFamily struct {
	Help, Type string
	Samples    []promSample
}

var (
	promMetricName = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)
	promLabelName  = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
)

// parseProm parses the text exposition format strictly: every line a
// HELP, a TYPE or a sample; HELP and TYPE at most once per family and
// before its samples; a family's samples contiguous; valid metric and label
// names; label values with only the \\, \" and \n escapes; no timestamps;
// no duplicate series; a final newline. It returns the families in order.
func parseProm(text string) (order []string, fams map[string]*promFamily, err error) {
	if !strings.HasSuffix(text, "\n") {
		return nil, nil, fmt.Errorf("output does not end in a newline")
	}
	fams = map[string]*promFamily{}
	seen := map[string]bool{}
	current := ""
	get := func(name string, lineNo int) (*promFamily, error) {
		if !promMetricName.MatchString(name) {
			return nil, fmt.Errorf("line %d: bad metric name %q", lineNo, name)
		}
		f, ok := fams[name]
		if !ok {
			f = &promFamily{}
			fams[name] = f
			order = append(order, name)
		} else if current != name {
			return nil, fmt.Errorf("line %d: family %s is not contiguous", lineNo, name)
		}
		current = name
		return f, nil
	}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "# HELP "):
			name, help, ok := strings.Cut(strings.TrimPrefix(line, "# HELP "), " ")
			if !ok {
				return nil, nil, fmt.Errorf("line %d: HELP without text", n)
			}
			f, err := get(name, n)
			if err != nil {
				return nil, nil, err
			}
			if f.Help != "" || len(f.Samples) > 0 {
				return nil, nil, fmt.Errorf("line %d: second or late HELP for %s", n, name)
			}
			f.Help = help
		case strings.HasPrefix(line, "# TYPE "):
			name, typ, _ := strings.Cut(strings.TrimPrefix(line, "# TYPE "), " ")
			f, err := get(name, n)
			if err != nil {
				return nil, nil, err
			}
			if f.Type != "" || len(f.Samples) > 0 {
				return nil, nil, fmt.Errorf("line %d: second or late TYPE for %s", n, name)
			}
			if typ != "gauge" {
				return nil, nil, fmt.Errorf("line %d: type %q, want gauge", n, typ)
			}
			f.Type = typ
		case line == "" || strings.HasPrefix(line, "#"):
			return nil, nil, fmt.Errorf("line %d: unexpected line %q", n, line)
		default:
			s, rest, err := parsePromSample(n, line)
			if err != nil {
				return nil, nil, err
			}
			if rest != "" {
				return nil, nil, fmt.Errorf("line %d: trailing %q (a timestamp? the textfile collector rejects them)", n, rest)
			}
			f, err := get(s.Name, n)
			if err != nil {
				return nil, nil, err
			}
			if f.Type == "" {
				return nil, nil, fmt.Errorf("line %d: sample before TYPE", n)
			}
			key := s.Name + fmt.Sprint(s.Labels)
			if seen[key] {
				return nil, nil, fmt.Errorf("line %d: duplicate series %s", n, key)
			}
			seen[key] = true
			f.Samples = append(f.Samples, s)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, nil, err
	}
	return order, fams, nil
}

func parsePromSample(n int, line string) (promSample, string, error) {
	s := promSample{Labels: map[string]string{}}
	i := strings.IndexAny(line, "{ ")
	if i < 0 {
		return s, "", fmt.Errorf("line %d: no value", n)
	}
	s.Name, line = line[:i], line[i:]
	if strings.HasPrefix(line, "{") {
		line = line[1:]
		for !strings.HasPrefix(line, "}") {
			eq := strings.Index(line, `="`)
			if eq < 0 {
				return s, "", fmt.Errorf("line %d: bad label syntax at %q", n, line)
			}
			name := line[:eq]
			if !promLabelName.MatchString(name) {
				return s, "", fmt.Errorf("line %d: bad label name %q", n, name)
			}
			if _, dup := s.Labels[name]; dup {
				return s, "", fmt.Errorf("line %d: duplicate label %s", n, name)
			}
			line = line[eq+2:]
			var val strings.Builder
			for {
				if line == "" {
					return s, "", fmt.Errorf("line %d: unterminated label value", n)
				}
				c := line[0]
				line = line[1:]
				if c == '"' {
					break
				}
				if c == '\\' {
					if line == "" {
						return s, "", fmt.Errorf("line %d: dangling backslash", n)
					}
					switch line[0] {
					case '\\':
						val.WriteByte('\\')
					case '"':
						val.WriteByte('"')
					case 'n':
						val.WriteByte('\n')
					default:
						return s, "", fmt.Errorf("line %d: invalid escape \\%c", n, line[0])
					}
					line = line[1:]
					continue
				}
				val.WriteByte(c)
			}
			if !promUTF8Valid(val.String()) {
				return s, "", fmt.Errorf("line %d: label value is not UTF-8", n)
			}
			s.Labels[name] = val.String()
			if strings.HasPrefix(line, ",") {
				line = line[1:]
			} else if !strings.HasPrefix(line, "}") {
				return s, "", fmt.Errorf("line %d: want , or } at %q", n, line)
			}
		}
		line = line[1:]
	}
	if !strings.HasPrefix(line, " ") {
		return s, "", fmt.Errorf("line %d: want a space before the value", n)
	}
	fields := strings.SplitN(line[1:], " ", 2)
	v, err := strconv.ParseFloat(fields[0], 64)
	if err != nil || math.IsNaN(v) {
		return s, "", fmt.Errorf("line %d: bad value %q", n, fields[0])
	}
	s.Value = v
	if len(fields) == 2 {
		return s, fields[1], nil
	}
	return s, "", nil
}

func promUTF8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

func mustParseProm(t *testing.T, text string) ([]string, map[string]*promFamily) {
	t.Helper()
	order, fams, err := parseProm(text)
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	return order, fams
}

// The test parser must itself be strict, or the tests above prove little.
func TestPromTestParserRejects(t *testing.T) {
	head := "# HELP m x\n# TYPE m gauge\n"
	for name, text := range map[string]string{
		"no final newline":   head + "m 1",
		"bad escape":         head + `m{a="\t"} 1` + "\n",
		"unterminated value": head + `m{a="x} 1` + "\n",
		"bad label name":     head + `m{1a="x"} 1` + "\n",
		"duplicate label":    head + `m{a="x",a="y"} 1` + "\n",
		"duplicate series":   head + `m{a="x"} 1` + "\n" + `m{a="x"} 0` + "\n",
		"timestamp":          head + "m 1 1700000000000\n",
		"bad value":          head + "m one\n",
		"no TYPE":            "m 1\n",
		"late TYPE":          head + "m 1\n# TYPE m gauge\n",
		"not contiguous":     head + "m 1\n# HELP n x\n# TYPE n gauge\nn 1\nm{a=\"b\"} 1\n",
		"counter":            "# TYPE m counter\nm 1\n",
		"bad metric name":    "# TYPE 1m gauge\n1m 1\n",
		"blank line":         head + "\nm 1\n",
		"invalid UTF-8":      head + "m{a=\"\xff\"} 1\n",
	} {
		if _, _, err := parseProm(text); err == nil {
			t.Errorf("%s: accepted %q", name, text)
		}
	}
	if _, _, err := parseProm(head + `m{a="q\"\\\n",b=""} 1.5` + "\n"); err != nil {
		t.Errorf("valid input rejected: %v", err)
	}
}

func renderProm(t *testing.T, r *Report) string {
	t.Helper()
	rd := newPrometheusRenderer(RenderOptions{})
	var buf bytes.Buffer
	if err := rd.Render(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestPrometheusGolden(t *testing.T) {
	out := renderProm(t, sampleReport())
	golden(t, "prometheus/sample.prom", []byte(out))
	mustParseProm(t, out)
	if got := newPrometheusRenderer(RenderOptions{}).MediaType(); got != "text/plain; version=0.0.4; charset=utf-8" {
		t.Errorf("MediaType = %q", got)
	}
}

func TestPrometheusMetrics(t *testing.T) {
	r := sampleReport()
	order, fams := mustParseProm(t, renderProm(t, r))
	wantOrder := []string{"gcrun_info", "gcrun_compliant", "gcrun_report_timestamp_seconds",
		"gcrun_scan_duration_seconds", "gcrun_rules", "gcrun_rule_status", "gcrun_collector_ok"}
	if diff := cmp.Diff(wantOrder, order); diff != "" {
		t.Errorf("families (-want +got):\n%s", diff)
	}
	one := func(name string) promSample {
		t.Helper()
		if len(fams[name].Samples) != 1 {
			t.Fatalf("%s has %d samples, want 1", name, len(fams[name].Samples))
		}
		return fams[name].Samples[0]
	}
	if diff := cmp.Diff(promSample{Name: "gcrun_info", Value: 1, Labels: map[string]string{
		"version": "0.4.0", "hostname": "web-01", "os": "Ubuntu 24.04.1 LTS"}}, one("gcrun_info")); diff != "" {
		t.Errorf("gcrun_info (-want +got):\n%s", diff)
	}
	if v := one("gcrun_compliant").Value; v != 0 {
		t.Errorf("gcrun_compliant = %v, want 0", v)
	}
	if v := one("gcrun_report_timestamp_seconds").Value; v != float64(t0.Unix())+1.5 {
		t.Errorf("gcrun_report_timestamp_seconds = %v, want %v", v, float64(t0.Unix())+1.5)
	}
	if v := one("gcrun_scan_duration_seconds").Value; v != 1.5 {
		t.Errorf("gcrun_scan_duration_seconds = %v, want 1.5", v)
	}

	// gcrun_rules agrees with the summary, per baseline, zeros included.
	counts := map[string]float64{}
	for _, s := range fams["gcrun_rules"].Samples {
		counts[s.Labels["baseline"]+"/"+s.Labels["status"]] = s.Value
	}
	wantCounts := map[string]float64{
		"linux-base/pass": 3, "linux-base/fail": 2, "linux-base/error": 1, "linux-base/waived": 2, "linux-base/not_applicable": 0,
		"rhel-extra/pass": 0, "rhel-extra/fail": 0, "rhel-extra/error": 0, "rhel-extra/waived": 0, "rhel-extra/not_applicable": 1,
	}
	if diff := cmp.Diff(wantCounts, counts); diff != "" {
		t.Errorf("gcrun_rules (-want +got):\n%s", diff)
	}

	// gcrun_rule_status: five series per rule, exactly one of them 1, the
	// rule's status.
	status := map[string]string{}
	series := map[string]int{}
	for _, s := range fams["gcrun_rule_status"].Samples {
		k := s.Labels["baseline"] + "/" + s.Labels["rule_id"]
		series[k]++
		if s.Value == 1 {
			if prev, dup := status[k]; dup {
				t.Errorf("%s is both %s and %s", k, prev, s.Labels["status"])
			}
			status[k] = s.Labels["status"]
		} else if s.Value != 0 {
			t.Errorf("%s: value %v", k, s.Value)
		}
	}
	wantStatus := map[string]string{}
	for _, rr := range r.Rules {
		k := rr.Baseline + "/" + rr.ID
		wantStatus[k] = string(rr.Status)
		if series[k] != 5 {
			t.Errorf("%s has %d series, want 5", k, series[k])
		}
	}
	if diff := cmp.Diff(wantStatus, status); diff != "" {
		t.Errorf("rule statuses (-want +got):\n%s", diff)
	}
	for _, s := range fams["gcrun_rule_status"].Samples {
		if s.Labels["rule_id"] == "ssh.permit_root_login" && s.Labels["severity"] != "critical" {
			t.Errorf("severity label %q", s.Labels["severity"])
		}
	}

	collectors := map[string]float64{}
	for _, s := range fams["gcrun_collector_ok"].Samples {
		collectors[s.Labels["collector"]] = s.Value
	}
	if diff := cmp.Diff(map[string]float64{"files": 1, "packages": 0, "sshd": 1}, collectors); diff != "" {
		t.Errorf("gcrun_collector_ok (-want +got):\n%s", diff)
	}
}

func TestPrometheusCompliant(t *testing.T) {
	r := New(sampleMeta(), []result.Result{
		{Rule: ruleMOTD, Status: result.StatusPass},
		{Rule: ruleSELinux, Status: result.StatusNotApplicable},
	})
	_, fams := mustParseProm(t, renderProm(t, r))
	if v := fams["gcrun_compliant"].Samples[0].Value; v != 1 {
		t.Errorf("gcrun_compliant = %v, want 1", v)
	}
	// A report whose recorded status contradicts its rules is judged by
	// the worse of the two.
	r.ComplianceStatus = NonCompliant
	_, fams = mustParseProm(t, renderProm(t, r))
	if v := fams["gcrun_compliant"].Samples[0].Value; v != 0 {
		t.Errorf("inconsistent report: gcrun_compliant = %v, want 0", v)
	}
}

// Hostile strings from the report are escaped so that they can neither
// break the format nor smuggle control characters into dashboards.
func TestPrometheusEscaping(t *testing.T) {
	r := sampleReport()
	r.Host.Hostname = "evil\"host\\name\nline2\x1b[31m\u202e\xff\ttab"
	r.Tool.Version = `1.0"} gcrun_compliant 1`
	r.Rules[0].ID = "id\"with}quote"
	r.Rules[0].Severity = "weird\nsev"
	r.Collectors[0].Name = `col\"lector`
	out := renderProm(t, r)
	_, fams := mustParseProm(t, out)
	info := fams["gcrun_info"].Samples[0].Labels
	if want := "evil\"host\\name\nline2\\x1b[31m\\u202e\\xff tab"; info["hostname"] != want {
		t.Errorf("hostname label %q, want %q", info["hostname"], want)
	}
	if info["version"] != r.Tool.Version {
		t.Errorf("version label %q, want %q", info["version"], r.Tool.Version)
	}
	if len(fams["gcrun_compliant"].Samples) != 1 || fams["gcrun_compliant"].Samples[0].Value != 0 {
		t.Errorf("injected sample: %+v", fams["gcrun_compliant"].Samples)
	}
	found := false
	for _, s := range fams["gcrun_rule_status"].Samples {
		if s.Labels["rule_id"] == r.Rules[0].ID && s.Labels["severity"] == "weird\nsev" {
			found = true
		}
	}
	if !found {
		t.Error("rule with hostile id/severity not found intact")
	}
	if _, ok := fams["gcrun_collector_ok"]; !ok || fams["gcrun_collector_ok"].Samples[0].Labels["collector"] != `col\"lector` {
		t.Errorf("collector label: %+v", fams["gcrun_collector_ok"].Samples)
	}
	for i := 0; i < len(out); i++ {
		if c := out[i]; (c < 0x20 && c != '\n') || c == 0x7f {
			t.Fatalf("control byte %#x at %d in output", c, i)
		}
	}
}

// Unknown statuses count as error; duplicate rules and collectors yield one
// series set with the worse outcome; nothing panics.
func TestPrometheusOddReports(t *testing.T) {
	r := sampleReport()
	r.Rules = []RuleResult{
		{ID: "a", Baseline: "b", Status: "bogus", Severity: "nonsense"},
		{ID: "d", Baseline: "b", Status: result.StatusPass},
		{ID: "d", Baseline: "b", Status: result.StatusFail},
		{ID: "d", Baseline: "b", Status: result.StatusPass},
	}
	r.Baselines = nil
	r.Collectors = []Collector{{Name: "x", Status: CollectorOK}, {Name: "x", Status: CollectorError}, {Name: "y", Status: "strange"}}
	r.StartTime, r.EndTime = time.Time{}, time.Time{}
	_, fams := mustParseProm(t, renderProm(t, r))
	status := map[string]string{}
	for _, s := range fams["gcrun_rule_status"].Samples {
		if s.Value == 1 {
			status[s.Labels["rule_id"]] = s.Labels["status"]
		}
	}
	if diff := cmp.Diff(map[string]string{"a": "error", "d": "fail"}, status); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	if n := len(fams["gcrun_rule_status"].Samples); n != 10 {
		t.Errorf("%d rule_status series, want 10", n)
	}
	col := map[string]float64{}
	for _, s := range fams["gcrun_collector_ok"].Samples {
		col[s.Labels["collector"]] = s.Value
	}
	if diff := cmp.Diff(map[string]float64{"x": 0, "y": 0}, col); diff != "" {
		t.Errorf("collectors (-want +got):\n%s", diff)
	}
	if v := fams["gcrun_scan_duration_seconds"].Samples[0].Value; v != 0 {
		t.Errorf("duration without times = %v", v)
	}
	if v := fams["gcrun_report_timestamp_seconds"].Samples[0].Value; v != float64(time.Time{}.Unix()) {
		t.Errorf("timestamp of the zero time = %v", v)
	}

	if err := newPrometheusRenderer(RenderOptions{}).Render(&bytes.Buffer{}, nil); err == nil {
		t.Error("nil report: no error")
	}
}

// The output does not depend on the order of rules and collectors.
func TestPrometheusDeterministic(t *testing.T) {
	data, err := os.ReadFile("../runner/testdata/golden/noncompliant.json")
	if err != nil {
		t.Fatal(err)
	}
	var r Report
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	want := renderProm(t, &r)
	_, fams := mustParseProm(t, want)
	if n := len(fams["gcrun_rule_status"].Samples); n != 5*len(r.Rules) {
		t.Errorf("%d rule_status series for %d rules", n, len(r.Rules))
	}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 3; i++ {
		rng.Shuffle(len(r.Rules), func(a, b int) { r.Rules[a], r.Rules[b] = r.Rules[b], r.Rules[a] })
		rng.Shuffle(len(r.Collectors), func(a, b int) { r.Collectors[a], r.Collectors[b] = r.Collectors[b], r.Collectors[a] })
		if got := renderProm(t, &r); got != want {
			t.Fatalf("output changed after shuffling rules and collectors")
		}
	}
}
