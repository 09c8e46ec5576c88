package packtest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gcrun/gcrun/baselines"
	"github.com/gcrun/gcrun/engine"
)

// statuses maps each test's full name to its status.
func statuses(res *Result) map[string]Status {
	out := map[string]Status{}
	for _, t := range res.Tests {
		out[t.Name] = t.Status
	}
	return out
}

func fixtureStatuses(res *Result) map[string]Status {
	out := map[string]Status{}
	for _, f := range res.Fixtures {
		out[f.Name] = f.Status
	}
	return out
}

func run(t *testing.T, dir string, opts Options) *Result {
	t.Helper()
	res, err := Run(context.Background(), dir, opts)
	if err != nil {
		t.Fatalf("Run(%s): %v", dir, err)
	}
	return res
}

func TestRunPass(t *testing.T) {
	res := run(t, "testdata/pass", Options{})
	want := map[string]Status{
		"data.acme.lib.modes_test.test_octal":                  StatusPass,
		"data.acme.lib.modes_test.test_within":                 StatusPass,
		"data.acme.rules.openssh_test.test_fail_epoch":         StatusPass,
		"data.acme.rules.openssh_test.test_fail_older":         StatusPass,
		"data.acme.rules.openssh_test.test_fail_tilde":         StatusPass,
		"data.acme.rules.openssh_test.test_not_applicable":     StatusPass,
		"data.acme.rules.openssh_test.test_parameter_override": StatusPass,
		"data.acme.rules.openssh_test.test_pass_equal":         StatusPass,
		"data.acme.rules.openssh_test.test_pass_newer":         StatusPass,
		"data.acme.rules.shadow_test.test_default_parameter":   StatusPass,
		"data.acme.rules.shadow_test.test_fail_both":           StatusPass,
		"data.acme.rules.shadow_test.test_fail_mode":           StatusPass,
		"data.acme.rules.shadow_test.test_not_applicable":      StatusPass,
		"data.acme.rules.shadow_test.test_parameter_override":  StatusPass,
		"data.acme.rules.shadow_test.test_pass":                StatusPass,
	}
	if diff := cmp.Diff(want, statuses(res)); diff != "" {
		t.Errorf("Rego tests (-want +got):\n%s", diff)
	}
	wantFx := map[string]Status{"empty": StatusPass, "hardened": StatusPass, "stock": StatusPass}
	if diff := cmp.Diff(wantFx, fixtureStatuses(res)); diff != "" {
		t.Errorf("fixtures (-want +got):\n%s\n%+v", diff, res.Fixtures)
	}
	if res.Name != "acme" || res.Version != "1.2.0" || res.Failed() || res.Coverage != nil {
		t.Errorf("result %s failed=%v coverage=%v", res, res.Failed(), res.Coverage)
	}
	// Tests are sorted by name and located.
	for i, tt := range res.Tests {
		if i > 0 && res.Tests[i-1].Name >= tt.Name {
			t.Errorf("tests not sorted: %s before %s", res.Tests[i-1].Name, tt.Name)
		}
		if !strings.HasPrefix(tt.File, "testdata/pass/") || !strings.HasSuffix(tt.File, "_test.rego") || tt.Line == 0 {
			t.Errorf("%s at %s:%d", tt.Name, tt.File, tt.Line)
		}
	}
	// A test named in the file where it is.
	for _, tt := range res.Tests {
		if tt.Name == "data.acme.rules.shadow_test.test_pass" && (tt.File != "testdata/pass/rules/shadow_test.rego" || tt.Line != 11) {
			t.Errorf("test_pass at %s:%d, want testdata/pass/rules/shadow_test.rego:11", tt.File, tt.Line)
		}
	}
}

func TestRunFailingRegoTests(t *testing.T) {
	res := run(t, "testdata/failrego", Options{})
	want := map[string]Status{
		"data.acme.rules.max_sessions_test.test_pass":               StatusPass,
		"data.acme.rules.max_sessions_test.test_fail_wrong":         StatusFail,
		"data.acme.rules.max_sessions_test.test_error_not_a_number": StatusError,
		"data.acme.rules.max_sessions_test.todo_test_later":         StatusSkip,
	}
	if diff := cmp.Diff(want, statuses(res)); diff != "" {
		t.Errorf("Rego tests (-want +got):\n%s", diff)
	}
	if !res.Failed() {
		t.Error("Failed() is false")
	}
	type detail struct{ Message, Output string }
	got := map[string]detail{}
	for _, tt := range res.Tests {
		got[strings.TrimPrefix(tt.Name, "data.acme.rules.max_sessions_test.")] = detail{tt.Message, tt.Output}
	}
	wantDetail := map[string]detail{
		"test_pass":       {},
		"todo_test_later": {},
		// The expression of the test's body that failed, and what print printed.
		"test_fail_wrong": {
			Message: "failed at testdata/failrego/rules/max_sessions_test.rego:13: count(deny) == 0",
			Output:  "deny: {{\"code\": \"max_sessions\", \"phrase\": \"MaxSessions is 11, expected at most 10\"}}\n",
		},
		// Builtin errors are errors (strict), located in the rule.
		"test_error_not_a_number": {
			Message: `testdata/failrego/rules/max_sessions.rego:9: to_number: strconv.ParseFloat: parsing "ten": invalid syntax`,
		},
	}
	if diff := cmp.Diff(wantDetail, got); diff != "" {
		t.Errorf("details (-want +got):\n%s", diff)
	}
}

func TestRunFailingFixture(t *testing.T) {
	res := run(t, "testdata/failfixture", Options{})
	if diff := cmp.Diff(map[string]Status{"hardened": StatusPass, "wrong": StatusFail}, fixtureStatuses(res)); diff != "" {
		t.Fatalf("fixtures (-want +got):\n%s", diff)
	}
	for _, tt := range res.Tests {
		if tt.Status != StatusPass {
			t.Errorf("%s: %s", tt.Name, tt.Status)
		}
	}
	var wrong Fixture
	for _, f := range res.Fixtures {
		if f.Name == "wrong" {
			wrong = f
		}
	}
	if wrong.Dir != filepath.Join("testdata", "failfixture", "fixtures", "wrong") || wrong.Rules != 2 || wrong.Message != "2 of 2 rules differ" {
		t.Errorf("fixture %+v", wrong)
	}
	wantDetails := []string{
		"ACME-001 is fail\n  shadow_mode: /etc/shadow has mode 0644, expected 0640 or stricter",
		"ACME-002 is fail\n  openssh_outdated: openssh-server is 1:9.2p1-2+deb12u2, expected 1:9.2p1-2+deb12u3 or later",
	}
	if diff := cmp.Diff(wantDetails, wrong.Details); diff != "" {
		t.Errorf("details (-want +got):\n%s", diff)
	}
	// The diff shows both sides of every difference; go-cmp's layout is
	// not stable, so look for the values only.
	for _, s := range []string{`"ACME-001"`, `"pass"`, `"fail"`, `"not_applicable"`, `"openssh_server_absent"`, `"openssh_outdated"`} {
		if !strings.Contains(wrong.Diff, s) {
			t.Errorf("diff lacks %s:\n%s", s, wrong.Diff)
		}
	}
}

// loadError runs the pack and returns its problems, failing the test if
// the pack loads.
func loadError(t *testing.T, dir string, opts Options) []engine.Problem {
	t.Helper()
	res, err := Run(context.Background(), dir, opts)
	if err == nil {
		t.Fatalf("Run(%s) succeeded (%s), want a load error", dir, res)
	}
	var le *engine.LoadError
	if !errors.As(err, &le) {
		t.Fatalf("Run(%s): %T %v, want *engine.LoadError", dir, err, err)
	}
	return le.Problems
}

func TestRunSyntaxError(t *testing.T) {
	var got []string
	for _, p := range loadError(t, "testdata/syntax", Options{}) {
		got = append(got, fmt.Sprintf("%s:%d: %s", p.Location.File, p.Location.Line, p.Message))
	}
	want := []string{"testdata/syntax/rules/broken.rego:12: unexpected eof token"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

// copyDir copies the directory src (regular files, directories,
// symlinks) to a new temporary directory.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	copyTree(t, src, dst)
	return dst
}

// copyTree copies the directory src to dst, symlinks as symlinks.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func copyFS(t *testing.T, fsys fs.FS, dst string) {
	t.Helper()
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dst, p)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBrokenPacks breaks a copy of the passing pack in one way each and
// checks the problem reported: the file, the line and what is wrong.
func TestBrokenPacks(t *testing.T) {
	type problem struct {
		file string // relative to the pack
		line int    // -1: any
		msg  string // a substring of the message
	}
	cases := []struct {
		name  string
		setup func(t *testing.T, dir string)
		want  []problem
	}{{
		name: "attrs line with three fields",
		setup: func(t *testing.T, dir string) {
			write(t, dir+"/fixtures/hardened/attrs.txt", "# comment\n0640 0 /etc/shadow\n")
		},
		want: []problem{{"fixtures/hardened/attrs.txt", 2, "want MODE UID GID PATH"}},
	}, {
		name: "attrs bad mode and uid",
		setup: func(t *testing.T, dir string) {
			write(t, dir+"/fixtures/hardened/attrs.txt", "0999 0 0 /etc/shadow\n0640 root 0 /etc/hostname\n010000 0 0 /etc\n")
		},
		want: []problem{
			{"fixtures/hardened/attrs.txt", 1, `mode "0999" is not an octal mode`},
			{"fixtures/hardened/attrs.txt", 2, `uid "root" and gid "0" must be numbers`},
			{"fixtures/hardened/attrs.txt", 3, `mode "010000" is not an octal mode`},
		},
	}, {
		name: "attrs path missing from the root, relative, duplicated",
		setup: func(t *testing.T, dir string) {
			write(t, dir+"/fixtures/hardened/attrs.txt", "0640 0 42 /etc/gshadow\n0640 0 42 etc/shadow\n0640 0 42 /etc/shadow\n0600 0 0 /etc/shadow\n")
		},
		want: []problem{
			{"fixtures/hardened/attrs.txt", 1, "/etc/gshadow is not in"},
			{"fixtures/hardened/attrs.txt", 2, `path "etc/shadow" must be absolute`},
			{"fixtures/hardened/attrs.txt", 4, "/etc/shadow is also listed on line 3"},
		},
	}, {
		name: "attrs for a symlink",
		setup: func(t *testing.T, dir string) {
			if err := os.Symlink("shadow", dir+"/fixtures/hardened/root/etc/shadow.link"); err != nil {
				t.Fatal(err)
			}
			write(t, dir+"/fixtures/hardened/attrs.txt", "0640 0 42 /etc/shadow\n0600 0 0 /etc/shadow.link\n")
		},
		want: []problem{{"fixtures/hardened/attrs.txt", 2, "/etc/shadow.link is a symlink"}},
	}, {
		name: "expected.yaml unknown rule id",
		setup: func(t *testing.T, dir string) {
			write(t, dir+"/fixtures/stock/expected.yaml", "rules:\n  ACME-001: fail\n  ACME-009: pass\n")
		},
		want: []problem{{"fixtures/stock/expected.yaml", 3, "rule ACME-009: no loaded pack defines it"}},
	}, {
		name: "expected.yaml bad status, codes on pass, unknown field, duplicate",
		setup: func(t *testing.T, dir string) {
			write(t, dir+"/fixtures/stock/expected.yaml", "rules:\n  ACME-001: passed\n  ACME-002: {status: pass, codes: [x]}\n  ACME-003: {status: fail, code: [x]}\n  ACME-001: fail\n")
		},
		want: []problem{
			{"fixtures/stock/expected.yaml", 2, `rule ACME-001: status "passed" is not one of pass, fail, not_applicable, error`},
			{"fixtures/stock/expected.yaml", 3, "rule ACME-002: codes are the reasons of a fail or not_applicable result, not of pass"},
			{"fixtures/stock/expected.yaml", 4, `rule ACME-003: unknown field "code"`},
			{"fixtures/stock/expected.yaml", 5, "rule ACME-001 is also listed on line 2"},
		},
	}, {
		name: "expected.yaml bad YAML",
		setup: func(t *testing.T, dir string) {
			write(t, dir+"/fixtures/stock/expected.yaml", "rules:\n  ACME-001: fail\n ACME-002: [\n")
		},
		want: []problem{{"fixtures/stock/expected.yaml", 2, "did not find expected key"}},
	}, {
		name: "expected.yaml unknown top-level field",
		setup: func(t *testing.T, dir string) {
			write(t, dir+"/fixtures/stock/expected.yaml", "rule:\n  ACME-001: fail\n")
		},
		want: []problem{{"fixtures/stock/expected.yaml", 1, `unknown field "rule" (want rules)`}},
	}, {
		name: "fixture without expected.yaml or root",
		setup: func(t *testing.T, dir string) {
			if err := os.Remove(dir + "/fixtures/stock/expected.yaml"); err != nil {
				t.Fatal(err)
			}
			if err := os.RemoveAll(dir + "/fixtures/empty/root"); err != nil {
				t.Fatal(err)
			}
		},
		want: []problem{
			{"fixtures/empty/root", 0, "no such file or directory"},
			{"fixtures/stock/expected.yaml", 0, "no such file or directory"},
		},
	}, {
		name: "a test file that does not parse",
		setup: func(t *testing.T, dir string) {
			write(t, dir+"/rules/extra_test.rego", "package acme.rules.extra_test\n\ntest_x if {\n")
		},
		want: []problem{{"rules/extra_test.rego", 4, "unexpected eof token"}},
	}, {
		name: "a test that calls a forbidden builtin",
		setup: func(t *testing.T, dir string) {
			write(t, dir+"/rules/extra_test.rego", "package acme.rules.extra_test\n\ntest_x if {\n\ttime.now_ns() > 0\n}\n")
		},
		want: []problem{{"rules/extra_test.rego", 4, "undefined function time.now_ns"}},
	}, {
		name: "a rule reading an undeclared parameter",
		setup: func(t *testing.T, dir string) {
			write(t, dir+"/rules/extra.rego", "package acme.lib.extra\n\nx := data.gcrun.params.acme_undeclared\n")
		},
		want: []problem{{"rules/extra.rego", 3, "parameter acme_undeclared is not declared"}},
	}, {
		name: "a parameter default of the wrong type",
		setup: func(t *testing.T, dir string) {
			write(t, dir+"/pack.yaml", "name: acme\nparameters:\n  - name: acme_shadow_max_mode\n    type: number\n    default: \"0640\"\n  - name: acme_openssh_min_version\n    type: string\n    default: \"1\"\n")
		},
		want: []problem{{"pack.yaml", -1, "parameter acme_shadow_max_mode: default 0640 is a string, declared number"}},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := copyDir(t, "testdata/pass")
			c.setup(t, dir)
			got := loadError(t, dir, Options{})
			// Every problem wanted is reported; others may follow from
			// it (a parameter declared wrong is also undeclared), but
			// each names a file of the pack.
			for _, w := range c.want {
				file := filepath.Join(dir, w.file)
				found := false
				for _, g := range got {
					if g.Location.File == file && (w.line < 0 || g.Location.Line == w.line) && strings.Contains(g.Message, w.msg) {
						found = true
					}
				}
				if !found {
					t.Errorf("no problem %s:%d: ...%s...; got:\n%v", file, w.line, w.msg, got)
				}
			}
			for _, g := range got {
				if !strings.HasPrefix(g.Location.File, dir+"/") {
					t.Errorf("problem %s names no file of the pack", g)
				}
			}
			if w := len(c.want); len(got) < w || (c.want[0].line >= 0 && len(got) != w) {
				t.Errorf("got %d problems, want %d:\n%v", len(got), w, got)
			}
		})
	}
}

// TestFixturesAreNotRules: the fixture roots are test data. A file named
// *.rego inside one is not loaded as a rule, and a symlink is fine.
func TestFixturesAreNotRules(t *testing.T) {
	dir := copyDir(t, "testdata/pass")
	write(t, dir+"/fixtures/hardened/root/etc/policy.rego", "this is not Rego\n")
	if err := os.Symlink("/etc/shadow", dir+"/fixtures/hardened/root/etc/shadow.link"); err != nil {
		t.Fatal(err)
	}
	res := run(t, dir, Options{})
	if res.Failed() {
		t.Errorf("%s failed: %+v", res, res.Fixtures)
	}
}

func TestRunFilter(t *testing.T) {
	res := run(t, "testdata/pass", Options{Run: regexp.MustCompile(`shadow_test\.test_fail|^hard`)})
	want := map[string]Status{
		"data.acme.rules.shadow_test.test_fail_both": StatusPass,
		"data.acme.rules.shadow_test.test_fail_mode": StatusPass,
	}
	if diff := cmp.Diff(want, statuses(res)); diff != "" {
		t.Errorf("Rego tests (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]Status{"hardened": StatusPass}, fixtureStatuses(res)); diff != "" {
		t.Errorf("fixtures (-want +got):\n%s", diff)
	}
}

// TestEngineOptions: what the caller adds when compiling (a tailoring)
// reaches both kinds of test. A parameter override is what the Rego tests
// read as data.gcrun.params and what fixtures are evaluated with; a rule
// that is filtered out is not compared.
func TestEngineOptions(t *testing.T) {
	res := run(t, "testdata/pass", Options{EngineOptions: []engine.Option{
		engine.WithParameters(map[string]any{"acme_shadow_max_mode": "0644"}),
		engine.WithRuleFilter(func(r engine.Rule) bool { return r.ID != "ACME-002" }),
	}})
	got := map[string]Status{}
	for name, s := range statuses(res) {
		if s != StatusPass {
			got[name] = s
		}
	}
	// The test that pins the default now fails, and so does the one
	// that expects 0644 to fail.
	want := map[string]Status{
		"data.acme.rules.shadow_test.test_default_parameter": StatusFail,
		"data.acme.rules.shadow_test.test_fail_mode":         StatusFail,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("failed Rego tests (-want +got):\n%s", diff)
	}
	// The stock host's 0644 /etc/shadow passes under the override.
	wantFx := map[string]Status{"empty": StatusPass, "hardened": StatusPass, "stock": StatusFail}
	if diff := cmp.Diff(wantFx, fixtureStatuses(res)); diff != "" {
		t.Errorf("fixtures (-want +got):\n%s", diff)
	}
	for _, f := range res.Fixtures {
		if diff := cmp.Diff([]string{"ACME-002"}, f.Excluded); diff != "" {
			t.Errorf("fixture %s: excluded (-want +got):\n%s", f.Name, diff)
		}
	}
}

// TestLinuxBaseline runs the tests of the embedded Linux pack: every one
// must pass, quickly.
func TestLinuxBaseline(t *testing.T) {
	start := time.Now()
	res := run(t, "../../baselines/linux", Options{})
	elapsed := time.Since(start)
	if len(res.Tests) < 1000 {
		t.Errorf("only %d Rego tests", len(res.Tests))
	}
	for _, tt := range res.Tests {
		if tt.Status != StatusPass {
			t.Errorf("%s (%s:%d): %s %s", tt.Name, tt.File, tt.Line, tt.Status, tt.Message)
		}
	}
	t.Logf("%d Rego tests, %d fixtures in %v", len(res.Tests), len(res.Fixtures), elapsed)
}

// copyLinux copies the embedded Linux pack into a new directory.
func copyLinux(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "linux")
	copyFS(t, baselines.Linux(), dir)
	return dir
}

// TestDependencies tests a pack built on another, as runner.LoadPacks will
// load it: the dependency's rules and test helpers are compiled, its
// parameter override reaches tests and fixtures, but only the pack's own
// tests run (failrego's failing ones do not) and only its own Rego is
// measured.
func TestDependencies(t *testing.T) {
	dep, err := engine.LoadBaselineDir("testdata/failrego")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "overlay")
	write(t, dir+"/pack.yaml", "name: overlay\nversion: 0.0.1\n")
	write(t, dir+"/rules/strict_sessions.rego", `# METADATA
# title: sshd allows at most 3 sessions per connection
# description: Stricter than acme-failrego's ACME-101.
# custom:
#   id: ACME-301
#   severity: low
package overlay.rules.strict_sessions

import data.acme.rules.max_sessions

deny contains {"code": "too_many_sessions", "phrase": sprintf("MaxSessions is %d, expected at most 3", [max_sessions.value])} if {
	max_sessions.value > 3
}
`)
	write(t, dir+"/rules/strict_sessions_test.rego", `package overlay.rules.strict_sessions_test

import data.acme.rules.max_sessions_test
import data.overlay.rules.strict_sessions

test_fail if count(strict_sessions.deny) == 1 with input.sshd as max_sessions_test.facts("4")

test_overridden_parameter if data.gcrun.params.acme_max_sessions == 6
`)
	write(t, dir+"/fixtures/four/root/etc/ssh/sshd_config", "MaxSessions 4\n")
	write(t, dir+"/fixtures/four/expected.yaml", "rules:\n  ACME-101: pass\n  ACME-301: {status: fail, codes: [too_many_sessions]}\n")
	self, err := engine.LoadBaseline(withoutFixtures{os.DirFS(dir)}, dir)
	if err != nil {
		t.Fatal(err)
	}
	p := &pack{dir: dir, baselines: []*engine.Baseline{dep, self}, options: []engine.Option{
		engine.WithParameters(map[string]any{"acme_max_sessions": 6}),
	}}
	res, err := runPack(context.Background(), p, Options{Coverage: true, Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Status{
		"data.overlay.rules.strict_sessions_test.test_fail":                 StatusPass,
		"data.overlay.rules.strict_sessions_test.test_overridden_parameter": StatusPass,
	}
	if diff := cmp.Diff(want, statuses(res)); diff != "" {
		t.Errorf("Rego tests (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]Status{"four": StatusPass}, fixtureStatuses(res)); diff != "" {
		t.Errorf("fixtures (-want +got):\n%s\n%+v", diff, res.Fixtures)
	}
	var pkgs []string
	for _, pc := range res.Coverage.Packages {
		pkgs = append(pkgs, pc.Package)
	}
	if diff := cmp.Diff([]string{"overlay.rules.strict_sessions"}, pkgs); diff != "" {
		t.Errorf("coverage packages (-want +got):\n%s", diff)
	}
	if res.Name != "overlay" {
		t.Errorf("name %q", res.Name)
	}
}
