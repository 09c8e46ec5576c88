package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sirupsen/logrus"
)

const packs = "../packtest/testdata/"

// runTest runs `gcrun ARGS` like Main, with the test command registered
// (until cli.go registers it itself).
func runTest(t *testing.T, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	a := &app{io: IO{Stdout: &out, Stderr: &errb}, version: "v0.0.0-test", log: logrus.New()}
	a.log.SetOutput(&errb)
	root := a.rootCommand()
	if c, _, err := root.Find([]string{"test"}); err != nil || c == root {
		root.AddCommand(a.testCommand())
	}
	root.SetArgs(args)
	root.SetOut(&out)
	root.SetErr(&errb)
	code := ExitCompliant
	if err := root.ExecuteContext(context.Background()); err != nil {
		var ee *exitError
		switch {
		case errors.As(err, &ee):
			if ee.err != errSilent {
				fmt.Fprintf(&errb, "gcrun: %v\n", ee.err)
			}
			code = ee.code
		default:
			fmt.Fprintf(&errb, "gcrun: %v\n", err)
			code = ExitUsage
		}
	}
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

func TestTestExitCodes(t *testing.T) {
	cases := []struct {
		args     []string
		code     int
		stdout   string // a substring
		stderr   string // a substring; "" for an empty stderr
		noStdout bool
	}{
		{[]string{packs + "pass"}, ExitCompliant, "PASS acme 1.2.0", "", false},
		{[]string{packs + "failrego"}, ExitNonCompliant, "FAIL  data.acme.rules.max_sessions_test.test_fail_wrong", "", false},
		{[]string{packs + "failfixture"}, ExitNonCompliant, "FAIL  fixture wrong", "", false},
		{[]string{packs + "syntax"}, ExitUsage, "ERROR ../packtest/testdata/syntax: the pack is broken", "gcrun: test ../packtest/testdata/syntax: baseline: ../packtest/testdata/syntax/rules/broken.rego:12: unexpected eof token", false},
		// The worst outcome wins, and every pack is tested.
		{[]string{packs + "pass", packs + "syntax", packs + "failrego"}, ExitUsage, "FAIL acme-failrego", "broken.rego:12", false},
		{[]string{packs + "pass", packs + "failfixture"}, ExitNonCompliant, "PASS acme 1.2.0", "", false},
		// --run filters out the failing tests.
		{[]string{packs + "failrego", "--run", "test_pass"}, ExitCompliant, "Rego tests 1 (1 passed)", "", false},
		{[]string{packs + "failfixture", "--run", "hardened|shadow"}, ExitCompliant, "fixtures 1 (1 passed)", "", false},
		// Coverage: 36 of 38 lines is 94.7368...%.
		{[]string{packs + "pass", "--coverage"}, ExitCompliant, "  total 94.73% (36 of 38 lines)\n", "", false},
		{[]string{packs + "pass", "--coverage-min", "94.73"}, ExitCompliant, "meets the minimum of 94.73%", "", false},
		{[]string{packs + "pass", "--coverage-min", "94.74"}, ExitNonCompliant, "FAIL acme 1.2.0", "", false},
		{[]string{packs + "pass", "--coverage-min", "100"}, ExitNonCompliant, "below the minimum of 100%", "", false},
		// Usage errors.
		{[]string{}, ExitUsage, "", "requires at least 1 arg", true},
		{[]string{packs + "pass", "--run", "("}, ExitUsage, "", "--run: error parsing regexp", true},
		{[]string{packs + "pass", "--coverage-min", "99.5.1"}, ExitUsage, "", "--coverage-min: \"99.5.1\" is not a percentage", true},
		{[]string{packs + "pass", "--coverage-min", "101"}, ExitUsage, "", "not a percentage from 0 to 100", true},
		{[]string{packs + "pass", "--format", "xml"}, ExitUsage, "", `--format: "xml" is not text, json or junit`, true},
		{[]string{packs + "nonexistent"}, ExitUsage, "the pack is broken", "no such file or directory", false},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			r := runTest(t, append([]string{"test"}, c.args...)...)
			r.want(t, c.code)
			if !strings.Contains(r.stdout, c.stdout) {
				t.Errorf("stdout lacks %q:\n%s", c.stdout, r.stdout)
			}
			if c.noStdout && r.stdout != "" {
				t.Errorf("stdout not empty: %q", r.stdout)
			}
			if c.stderr == "" && r.stderr != "" || !strings.Contains(r.stderr, c.stderr) {
				t.Errorf("stderr %q, want it to contain %q", r.stderr, c.stderr)
			}
		})
	}
}

func TestTestVerbose(t *testing.T) {
	r := runTest(t, "test", packs+"pass", "-v")
	r.want(t, ExitCompliant)
	var pass int
	for _, line := range strings.Split(r.stdout, "\n") {
		if strings.HasPrefix(line, "PASS  ") {
			pass++
			// Every test with its time.
			if !strings.HasSuffix(line, "s)") {
				t.Errorf("no time: %q", line)
			}
		}
	}
	if pass != 15+3 {
		t.Errorf("%d PASS lines, want 18 (15 Rego tests, 3 fixtures):\n%s", pass, r.stdout)
	}
}

func TestTestFormats(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "results.xml")
	r := runTest(t, "test", packs+"pass", packs+"failfixture", "--format", "junit", "--output", out)
	r.want(t, ExitNonCompliant)
	if r.stdout != "" {
		t.Errorf("stdout not empty with --output: %q", r.stdout)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	var failed []string
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			if c.Failure != nil {
				failed = append(failed, s.Name+"/"+c.Name)
			}
		}
	}
	if doc.Tests != 18+17 || doc.Failures != 1 || len(doc.Suites) != 2 {
		t.Errorf("%d tests, %d failures, %d suites", doc.Tests, doc.Failures, len(doc.Suites))
	}
	if diff := cmp.Diff([]string{"acme-failfixture/wrong"}, failed); diff != "" {
		t.Errorf("failed testcases (-want +got):\n%s", diff)
	}

	r = runTest(t, "test", packs+"failrego", "--format", "json", "--coverage")
	r.want(t, ExitNonCompliant)
	var rep struct {
		Status string `json:"status"`
		Packs  []struct {
			Name  string `json:"name"`
			Tests []struct {
				Name   string `json:"name"`
				Status string `json:"status"`
			} `json:"tests"`
			Coverage struct {
				Total struct {
					Covered, Total int
				} `json:"total"`
			} `json:"coverage"`
		} `json:"packs"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	got := map[string]string{}
	for _, tt := range rep.Packs[0].Tests {
		got[tt.Name] = tt.Status
	}
	want := map[string]string{
		"data.acme.rules.max_sessions_test.test_pass":               "pass",
		"data.acme.rules.max_sessions_test.test_fail_wrong":         "fail",
		"data.acme.rules.max_sessions_test.test_error_not_a_number": "error",
		"data.acme.rules.max_sessions_test.todo_test_later":         "skip",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tests (-want +got):\n%s", diff)
	}
	if rep.Status != "fail" || rep.Packs[0].Coverage.Total.Covered != 7 || rep.Packs[0].Coverage.Total.Total != 8 {
		t.Errorf("status %s, coverage %+v", rep.Status, rep.Packs[0].Coverage)
	}
}

// TestTestLinuxBaseline: the embedded pack's own tests pass through the
// command, in a few seconds.
func TestTestLinuxBaseline(t *testing.T) {
	start := time.Now()
	r := runTest(t, "test", "../../baselines/linux")
	r.want(t, ExitCompliant)
	if !strings.Contains(r.stdout, "PASS linux ") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	t.Logf("gcrun test baselines/linux: %v\n%s", time.Since(start), r.stdout)
}
