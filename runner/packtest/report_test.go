package packtest

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// testReport tests the four testdata packs with coverage and a minimum of
// 94.73%: acme passes, failrego fails (and is below the minimum),
// failfixture fails a fixture, syntax is broken.
func testReport(t *testing.T) *Report {
	t.Helper()
	min, err := ParsePercent("94.73")
	if err != nil {
		t.Fatal(err)
	}
	rep := &Report{CoverageMin: min}
	for _, dir := range []string{"testdata/pass", "testdata/failrego", "testdata/failfixture", "testdata/syntax"} {
		res, err := Run(context.Background(), dir, Options{Coverage: true})
		rep.Packs = append(rep.Packs, PackReport{Dir: dir, Result: res, Err: err})
	}
	return rep
}

func TestReportStatus(t *testing.T) {
	rep := testReport(t)
	var got []PackStatus
	for _, p := range rep.Packs {
		got = append(got, p.Status(rep.CoverageMin))
	}
	if diff := cmp.Diff([]PackStatus{PackPass, PackFail, PackFail, PackError}, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	if rep.Status() != PackError {
		t.Errorf("report status %s, want error", rep.Status())
	}
	if !rep.Packs[1].BelowMin(rep.CoverageMin) || rep.Packs[0].BelowMin(rep.CoverageMin) || rep.Packs[2].BelowMin(rep.CoverageMin) {
		t.Error("BelowMin wrong")
	}
	// Coverage alone fails a pack whose tests pass.
	higher, _ := ParsePercent("94.74")
	only := &Report{Packs: rep.Packs[:1], CoverageMin: higher}
	if only.Status() != PackFail {
		t.Errorf("acme at 36/38 lines with minimum 94.74: %s, want fail", only.Status())
	}
	only.CoverageMin = nil
	if only.Status() != PackPass {
		t.Errorf("acme without minimum: %s, want pass", only.Status())
	}
}

func TestWriteJSON(t *testing.T) {
	rep := testReport(t)
	var buf bytes.Buffer
	if err := rep.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Status      string `json:"status"`
		CoverageMin string `json:"coverage_min"`
		Packs       []struct {
			Dir      string `json:"dir"`
			Name     string `json:"name"`
			Status   string `json:"status"`
			Problems []struct {
				File    string `json:"file"`
				Line    int    `json:"line"`
				Message string `json:"message"`
			} `json:"problems"`
			Summary  *counts `json:"summary"`
			BelowMin bool    `json:"coverage_below_min"`
			Coverage *struct {
				Total struct {
					Covered int     `json:"covered"`
					Total   int     `json:"total"`
					Percent float64 `json:"percent"`
					Display string  `json:"display"`
				} `json:"total"`
			} `json:"coverage"`
			Tests []struct {
				Name       string   `json:"name"`
				Status     string   `json:"status"`
				DurationMs *float64 `json:"duration_ms"`
			} `json:"tests"`
			Fixtures []struct {
				Name   string `json:"name"`
				Status string `json:"status"`
				Diff   string `json:"diff"`
			} `json:"fixtures"`
		} `json:"packs"`
	}
	dec := json.NewDecoder(&buf)
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc.Status != "error" || doc.CoverageMin != "94.73" || len(doc.Packs) != 4 {
		t.Fatalf("status %s, minimum %s, %d packs", doc.Status, doc.CoverageMin, len(doc.Packs))
	}
	type packSummary struct {
		Dir, Name, Status string
		Summary           *counts
		BelowMin          bool
		Coverage          string
		Problems          []string
	}
	var got []packSummary
	for _, p := range doc.Packs {
		s := packSummary{Dir: p.Dir, Name: p.Name, Status: p.Status, Summary: p.Summary, BelowMin: p.BelowMin}
		if p.Coverage != nil {
			s.Coverage = p.Coverage.Total.Display
		}
		for _, pr := range p.Problems {
			s.Problems = append(s.Problems, fmt.Sprintf("%s:%d: %s", pr.File, pr.Line, pr.Message))
		}
		for _, tt := range p.Tests {
			if tt.DurationMs == nil {
				t.Errorf("%s: no duration_ms", tt.Name)
			}
		}
		got = append(got, s)
	}
	want := []packSummary{
		{Dir: "testdata/pass", Name: "acme", Status: "pass", Coverage: "94.73%",
			Summary: &counts{Tests: 15, Passed: 15, Fixtures: 3, FixturesPassed: 3}},
		{Dir: "testdata/failrego", Name: "acme-failrego", Status: "fail", Coverage: "87.50%", BelowMin: true,
			Summary: &counts{Tests: 4, Passed: 1, Failed: 1, Errors: 1, Skipped: 1}},
		{Dir: "testdata/failfixture", Name: "acme-failfixture", Status: "fail", Coverage: "94.73%",
			Summary: &counts{Tests: 15, Passed: 15, Fixtures: 2, FixturesPassed: 1, FixturesFailed: 1}},
		{Dir: "testdata/syntax", Status: "error", Problems: []string{"testdata/syntax/rules/broken.rego:12: unexpected eof token"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("packs (-want +got):\n%s", diff)
	}
	for _, f := range doc.Packs[2].Fixtures {
		if (f.Name == "wrong") != (f.Diff != "") {
			t.Errorf("fixture %s: %s with diff %q", f.Name, f.Status, f.Diff)
		}
	}
}

// junitSummary is what a CI reader sees of a JUnit document: per suite,
// the counts and each testcase with its outcome.
func junitSummary(t *testing.T, data []byte) (junitSuites, map[string][]string) {
	t.Helper()
	// Well-formed to the end, and one root element.
	dec := xml.NewDecoder(bytes.NewReader(data))
	roots := 0
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, data)
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	if roots != 1 {
		t.Fatalf("%d root elements", roots)
	}
	var doc junitSuites
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	cases := map[string][]string{}
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			outcome := "pass"
			switch {
			case c.Failure != nil:
				outcome = "failure: " + c.Failure.Message
			case c.Error != nil:
				outcome = "error: " + c.Error.Message
			case c.Skipped != nil:
				outcome = "skipped"
			}
			cases[s.Name] = append(cases[s.Name], c.Classname+" "+c.Name+": "+outcome)
		}
	}
	return doc, cases
}

func TestWriteJUnit(t *testing.T) {
	rep := testReport(t)
	var buf bytes.Buffer
	if err := rep.WriteJUnit(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), `<?xml version="1.0" encoding="UTF-8"?>`) {
		t.Errorf("no XML declaration:\n%.100s", buf.String())
	}
	doc, cases := junitSummary(t, buf.Bytes())
	type counted struct {
		Name                             string
		Tests, Failures, Errors, Skipped int
	}
	var got []counted
	for _, s := range doc.Suites {
		got = append(got, counted{s.Name, s.Tests, s.Failures, s.Errors, s.Skipped})
	}
	// Each Rego test and each fixture is a testcase, and the coverage
	// minimum one more.
	want := []counted{
		{"acme", 15 + 3 + 1, 0, 0, 0},
		{"acme-failrego", 4 + 1, 2, 1, 1},
		{"acme-failfixture", 15 + 2 + 1, 1, 0, 0},
		{"testdata/syntax", 1, 0, 1, 0},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("suites (-want +got):\n%s", diff)
	}
	if doc.Tests != 43 || doc.Failures != 3 || doc.Errors != 2 || doc.Skipped != 1 {
		t.Errorf("testsuites totals: %d tests, %d failures, %d errors, %d skipped", doc.Tests, doc.Failures, doc.Errors, doc.Skipped)
	}
	wantFailrego := []string{
		"data.acme.rules.max_sessions_test test_error_not_a_number: error: testdata/failrego/rules/max_sessions.rego:9: to_number: strconv.ParseFloat: parsing \"ten\": invalid syntax",
		"data.acme.rules.max_sessions_test test_fail_wrong: failure: failed at testdata/failrego/rules/max_sessions_test.rego:13: count(deny) == 0",
		"data.acme.rules.max_sessions_test test_pass: pass",
		"data.acme.rules.max_sessions_test todo_test_later: skipped",
		"coverage total >= 94.73%: failure: coverage 87.50% (7 of 8 lines) is below the minimum of 94.73%",
	}
	if diff := cmp.Diff(wantFailrego, cases["acme-failrego"]); diff != "" {
		t.Errorf("acme-failrego testcases (-want +got):\n%s", diff)
	}
	wantFixtures := []string{
		"fixtures hardened: pass",
		"fixtures wrong: failure: 2 of 2 rules differ",
		"coverage total >= 94.73%: pass",
	}
	if diff := cmp.Diff(wantFixtures, cases["acme-failfixture"][15:]); diff != "" {
		t.Errorf("acme-failfixture fixture testcases (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"testdata/syntax load: error: the pack is broken: testdata/syntax/rules/broken.rego:12: unexpected eof token"}, cases["testdata/syntax"]); diff != "" {
		t.Errorf("broken pack (-want +got):\n%s", diff)
	}
}

// TestWriteJUnitHostileText: print output and messages may hold anything;
// the document stays well-formed and keeps what XML can carry.
func TestWriteJUnitHostileText(t *testing.T) {
	out := "ok ]]> <b>&amp; \x00\x1b[31mred\x1b[0m \xff\n"
	rep := &Report{Packs: []PackReport{{Dir: "x", Result: &Result{Name: "x", Dir: "x", Tests: []Test{{
		Name: "data.p.test_a", Package: "p", Status: StatusFail, Message: "failed at x:1: a == \"]]>\"", Output: out, Duration: time.Millisecond,
	}}}}}}
	var buf bytes.Buffer
	if err := rep.WriteJUnit(&buf); err != nil {
		t.Fatal(err)
	}
	doc, _ := junitSummary(t, buf.Bytes())
	c := doc.Suites[0].Cases[0]
	if c.SystemOut == nil || c.Failure == nil {
		t.Fatalf("testcase %+v", c)
	}
	if want := "ok ]]> <b>&amp; \uFFFD\uFFFD[31mred\uFFFD[0m \uFFFD\n"; c.SystemOut.Text != want {
		t.Errorf("system-out %q, want %q", c.SystemOut.Text, want)
	}
	if c.Failure.Text != "failed at x:1: a == \"]]>\"" || c.Name != "test_a" || c.Classname != "data.p" || c.Time != "0.001" {
		t.Errorf("testcase %+v", c)
	}
}

func TestWriteText(t *testing.T) {
	rep := testReport(t)
	var buf bytes.Buffer
	if err := rep.WriteText(&buf, false); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	for _, s := range []string{
		"PASS acme 1.2.0 (testdata/pass): Rego tests 15 (15 passed), fixtures 3 (3 passed), ",
		"FAIL  data.acme.rules.max_sessions_test.test_fail_wrong (testdata/failrego/rules/max_sessions_test.rego:10, ",
		"    failed at testdata/failrego/rules/max_sessions_test.rego:13: count(deny) == 0\n    print output:\n        deny: {{",
		"ERROR data.acme.rules.max_sessions_test.test_error_not_a_number (testdata/failrego/rules/max_sessions_test.rego:17, ",
		"SKIP  data.acme.rules.max_sessions_test.todo_test_later (",
		"FAIL acme-failrego 0.1.0 (testdata/failrego): Rego tests 4 (1 passed, 1 failed, 1 errors, 1 skipped), fixtures 0, ",
		"  total 87.50% (7 of 8 lines): below the minimum of 94.73%\n",
		"  total 94.73% (36 of 38 lines): meets the minimum of 94.73%\n",
		"FAIL  fixture wrong (testdata/failfixture/fixtures/wrong, 2 rules, ",
		"    2 of 2 rules differ (-want +got):\n",
		"    ACME-002 is fail\n      openssh_outdated: openssh-server is 1:9.2p1-2+deb12u2, expected 1:9.2p1-2+deb12u3 or later\n",
		"ERROR testdata/syntax: the pack is broken:\n    testdata/syntax/rules/broken.rego:12: unexpected eof token\n",
		"   100.00%       5/5  acme.lib.modes\n",
		"    92.30%     12/13  acme.rules.openssh (ACME-002)\n",
	} {
		if !strings.Contains(text, s) {
			t.Errorf("text lacks %q:\n%s", s, text)
		}
	}
	// Passing tests are listed only with verbose, with the lines
	// coverage missed.
	if strings.Contains(text, "PASS  ") || strings.Contains(text, "not covered:") {
		t.Errorf("passing tests listed without verbose:\n%s", text)
	}
	buf.Reset()
	if err := rep.WriteText(&buf, true); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		"PASS  data.acme.rules.shadow_test.test_pass (testdata/pass/rules/shadow_test.rego:11, ",
		"PASS  fixture hardened (testdata/pass/fixtures/hardened, 2 rules, ",
		"             not covered: testdata/pass/rules/openssh.rego:16\n",
	} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("verbose text lacks %q:\n%s", s, buf.String())
		}
	}
}
