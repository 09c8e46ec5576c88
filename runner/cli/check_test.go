package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gcrun/gcrun/engine"
	"github.com/gcrun/gcrun/internal/fixture"
	"github.com/gcrun/gcrun/report"
	"github.com/google/go-cmp/cmp"
	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"
)

// runCheck runs gcrun with args as Main does, with the check and test
// commands registered even before cli.go registers them.
func runCheck(t *testing.T, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	a := &app{io: IO{Stdout: &out, Stderr: &errb, Environ: func(string) (string, bool) { return "", false }}, version: "v0.3.0"}
	a.log = logrus.New()
	a.log.SetOutput(&errb)
	root := a.rootCommand()
	for name, cmd := range map[string]func() *cobra.Command{"check": a.checkCommand, "test": a.testCommand} {
		if c, _, err := root.Find([]string{name}); err != nil || c == root {
			root.AddCommand(cmd())
		}
	}
	root.SetArgs(args)
	root.SetOut(&out)
	root.SetErr(&errb)
	code := ExitCompliant
	if err := root.ExecuteContext(context.Background()); err != nil {
		var ee *exitError
		if errors.As(err, &ee) {
			code = ee.code
			if ee.err != errSilent {
				fmt.Fprintf(&errb, "gcrun: %v\n", ee.err)
			}
		} else {
			code = ExitUsage
			fmt.Fprintf(&errb, "gcrun: %v\n", err)
		}
	}
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

// writePack writes files (path → content) into a new directory.
func writePack(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, content := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func checkRule(id, pkg, body string) string {
	return fmt.Sprintf("# METADATA\n# title: T %s\n# description: D %s\n# custom:\n#   id: %s\n#   severity: low\npackage %s\n\n%s\n", id, id, id, pkg, body)
}

const checkManifest = "name: p\nversion: 1.0.0\ndescription: a test pack\n"

func TestCheckBuiltinAndExamplePacksAreClean(t *testing.T) {
	for _, dir := range []string{"../../baselines/linux", "../../examples/packs/acme"} {
		r := runCheck(t, "check", dir)
		r.want(t, ExitCompliant)
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		if len(lines) != 1 || !strings.HasPrefix(lines[0], "0 errors, 0 warnings: ") {
			t.Errorf("gcrun check %s:\n%s", dir, r.stdout)
		}
	}
	r := runCheck(t, "check", "../../examples/packs/acme", "--format", "json")
	r.want(t, ExitCompliant)
	var out checkOutput
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatal(err)
	}
	var packs []string
	for _, p := range out.Packs {
		packs = append(packs, p.Name+" "+p.Origin)
	}
	if diff := cmp.Diff([]string{"linux builtin:linux", "acme ../../examples/packs/acme"}, packs); diff != "" {
		t.Errorf("packs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"GCL-SSH-040"}, out.Skipped); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
	if out.Rules < 200 || len(out.Findings) != 0 || out.Summary != (checkSummary{}) {
		t.Errorf("rules %d, findings %v, summary %+v", out.Rules, out.Findings, out.Summary)
	}
}

func TestCheckFindings(t *testing.T) {
	dir := writePack(t, map[string]string{
		"pack.yaml": checkManifest + "parameters:\n  - name: limit\n    type: number\n    default: 3\n",
		"a.rego": checkRule("P-1", "p.a", `import data.p.lib

deny contains {"code": "c", "phrase": "p"} if input.x > data.gcrun.params.limit`),
		"a_test.rego": "package p.a_test\n\ntest_a if {\n\tcount(data.p.a.deny) == 1 with input as {\"x\": 4}\n}\n",
		"lib.rego":    "package p.lib\n\nf(x, y) := x\n",
	})
	want := []engine.Finding{
		{Severity: "warning", Code: "unused-import", File: dir + "/a.rego", Line: 9, Column: 1, Message: "import data.p.lib unused (OPA strict mode)"},
		{Severity: "warning", Code: "unused-argument", File: dir + "/lib.rego", Line: 3, Column: 1, Message: "unused argument y. (hint: use _ (wildcard variable) instead) (OPA strict mode)"},
	}
	r := runCheck(t, "check", dir, "--format", "json")
	r.want(t, ExitCompliant)
	var out checkOutput
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, out.Findings); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if out.Summary != (checkSummary{Warnings: 2}) {
		t.Errorf("summary %+v", out.Summary)
	}

	r = runCheck(t, "check", dir, "--fail-on-warning")
	r.want(t, ExitNonCompliant, "gcrun: check: 0 errors, 2 warnings (--fail-on-warning)")
	wantText := fmt.Sprintf("%s/a.rego:9:1: warning: import data.p.lib unused (OPA strict mode) [unused-import]\n"+
		"%s/lib.rego:3:1: warning: unused argument y. (hint: use _ (wildcard variable) instead) (OPA strict mode) [unused-argument]\n"+
		"0 errors, 2 warnings: 1 rules (0 skipped) in p 1.0.0\n", dir, dir)
	if diff := cmp.Diff(wantText, r.stdout); diff != "" {
		t.Errorf("text (-want +got):\n%s", diff)
	}
}

func TestCheckErrorsExit2(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		want  []string // file suffix:line: message [code], in order
	}{
		{
			name: "syntax error",
			files: map[string]string{
				"pack.yaml": checkManifest,
				"a.rego":    "package a\n\ndeny contains x if {\n  x := \n}\n",
			},
			want: []string{"/a.rego:5:1: error: unexpected } token [parse-error]"},
		},
		{
			name: "missing metadata",
			files: map[string]string{
				"pack.yaml": checkManifest,
				"a.rego":    checkRule("A-1", "a", "deny := set()"),
				"b.rego":    "# METADATA\n# title: B\n# custom:\n#   id: B-1\npackage b\n\ndeny := set()\n",
			},
			want: []string{
				"/b.rego:1:1: error: rule metadata: missing description [missing-description]",
				"/b.rego:1:1: error: rule metadata: missing custom.severity [missing-severity]",
			},
		},
		{
			name: "forbidden builtin",
			files: map[string]string{
				"pack.yaml": checkManifest,
				"a.rego":    checkRule("A-1", "a", "deny contains {\"code\": \"c\", \"phrase\": r.body} if {\n\tr := http.send({\"method\": \"get\", \"url\": \"http://x\"})\n}"),
			},
			want: []string{"/a.rego:10:7: error: undefined function http.send (forbidden: rules must not use the network, the host, the clock or randomness) [forbidden-builtin]"},
		},
		{
			name: "broken test",
			files: map[string]string{
				"pack.yaml":   checkManifest,
				"a.rego":      checkRule("A-1", "a", "deny := set()"),
				"a_test.rego": "package a_test\n\ntest_x if {\n\tdata.a.deny == set() with data.gcrun.params.nope as 1\n}\n",
			},
			want: []string{"/a_test.rego:4:28: error: parameter nope is not declared in any loaded pack.yaml [undeclared-parameter]"},
		},
		{
			name: "bad pack.yaml",
			files: map[string]string{
				"pack.yaml": "name: p\nversion: 1.0.0\ndepends:\n  - name: linux\n    builtin: true\n    skip: [GCL-NOPE-001]\n    parameters:\n      ssh_max_auth_trys: 3\n",
				"a.rego":    checkRule("A-1", "a", "deny := set()"),
			},
			want: []string{
				"/pack.yaml:6:0: error: depends linux: skip GCL-NOPE-001: pack linux 0.4.0 has no rule GCL-NOPE-001 [unknown-skip]",
				"/pack.yaml:8:0: error: depends linux: parameter ssh_max_auth_trys: not declared by pack linux (did you mean ssh_max_auth_tries?) [undeclared-parameter]",
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := writePack(t, tc.files)
			r := runCheck(t, "check", dir)
			r.want(t, ExitUsage, "gcrun: check: ")
			got := strings.ReplaceAll(r.stdout, dir, "")
			rest := got
			for _, w := range tc.want {
				w = strings.Replace(w, ":0: ", ": ", 1) // findings without a column
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("output\n%s\ndoes not contain (in order)\n%s", got, w)
				}
				rest = rest[i+len(w):]
			}
		})
	}
}

func TestCheckUsage(t *testing.T) {
	runCheck(t, "check").want(t, ExitUsage, "requires at least 1 arg")
	runCheck(t, "check", "../../baselines/linux", "--format", "xml").want(t, ExitUsage, `--format: "xml" is not text or json`)
	runCheck(t, "check", "/nonexistent/pack").want(t, ExitUsage, "baseline /nonexistent/pack: ")
}

// TestEvaluatePack evaluates the example pack through gcrun evaluate: its
// dependency is loaded, the rule it skips is gone, its overrides apply and
// --param wins over them.
func TestEvaluatePack(t *testing.T) {
	root := fixture.Materialize(t, "../../examples/packs/acme/fixtures/acme-web-01")
	statuses := func(args ...string) map[string]string {
		t.Helper()
		r := run(t, nil, append([]string{"evaluate", "--root", root, "--baseline", "../../examples/packs/acme"}, args...)...)
		r.want(t, ExitNonCompliant)
		var rep report.Report
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
			t.Fatal(err)
		}
		var bs []string
		for _, b := range rep.Baselines {
			bs = append(bs, b.Name+" "+b.Version)
		}
		if diff := cmp.Diff([]string{"linux 0.4.0", "acme 1.0.0"}, bs); diff != "" {
			t.Errorf("report baselines (-want +got):\n%s", diff)
		}
		out := map[string]string{}
		for _, rr := range rep.Rules {
			out[rr.ID] = string(rr.Status)
		}
		return out
	}
	got := statuses()
	want := map[string]string{"ACME-001": "pass", "ACME-002": "pass", "GCL-SSH-005": "fail", "GCL-SSH-010": "fail", "GCL-SSH-040": ""}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: %q, want %q", id, got[id], w)
		}
	}
	got = statuses("--param", "ssh_max_auth_tries=4", "--param", "ssh_login_grace_time_max=60")
	if got["GCL-SSH-005"] != "pass" || got["GCL-SSH-010"] != "pass" {
		t.Errorf("with --param: GCL-SSH-005 %q, GCL-SSH-010 %q, want pass", got["GCL-SSH-005"], got["GCL-SSH-010"])
	}

	// A pack that needs a newer gcrun is bad input.
	dir := writePack(t, map[string]string{"pack.yaml": "name: p\nversion: 1.0.0\ngcrun: '>=99.0.0'\n", "a.rego": checkRule("A-1", "a", "deny := set()")})
	var out, errb bytes.Buffer
	code := Main(context.Background(), []string{"evaluate", "--root", root, "--baseline", dir}, IO{Stdout: &out, Stderr: &errb}, "v0.3.0")
	if code != ExitUsage || !strings.Contains(errb.String(), dir+"/pack.yaml:3: pack p needs gcrun >=99.0.0; this is gcrun v0.3.0") {
		t.Errorf("exit %d, stderr %s", code, errb.String())
	}
}

// TestCIExamples runs the gcrun commands of the CI examples
// (examples/ci) on the example pack, as the CI jobs would.
func TestCIExamples(t *testing.T) {
	type step struct {
		Run string `yaml:"run"`
	}
	var gh struct {
		Env  map[string]string `yaml:"env"`
		Jobs map[string]struct {
			Steps []step `yaml:"steps"`
		} `yaml:"jobs"`
	}
	var gl struct {
		Variables map[string]string `yaml:"variables"`
		Job       struct {
			Script []string `yaml:"script"`
		} `yaml:"gcrun-pack"`
	}
	read := func(name string, v any) {
		data, err := os.ReadFile(filepath.Join("../../examples/ci", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(data, v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	read("github-actions.yml", &gh)
	read("gitlab-ci.yml", &gl)
	var ghLines []string
	for _, job := range gh.Jobs {
		for _, s := range job.Steps {
			ghLines = append(ghLines, strings.Split(s.Run, "\n")...)
		}
	}
	for name, ci := range map[string]struct {
		env   map[string]string
		lines []string
	}{
		"github-actions.yml": {gh.Env, ghLines},
		"gitlab-ci.yml":      {gl.Variables, gl.Job.Script},
	} {
		if ci.env["PACK"] == "" || ci.env["GCRUN_VERSION"] == "" {
			t.Errorf("%s: PACK and GCRUN_VERSION must be set, got %v", name, ci.env)
		}
		ran := map[string]bool{}
		for _, line := range ci.lines {
			line = strings.TrimSpace(line)
			if !strings.HasPrefix(line, "gcrun ") || line == "gcrun version" {
				continue
			}
			var args []string
			for _, f := range strings.Fields(line)[1:] {
				f = strings.Trim(f, `"`)
				f = strings.ReplaceAll(f, "$PACK", "../../examples/packs/acme")
				if strings.HasPrefix(f, "gcrun-test.") {
					f = filepath.Join(t.TempDir(), f)
				}
				args = append(args, f)
			}
			r := runCheck(t, args...)
			if r.code != 0 {
				t.Errorf("%s: %s: exit %d\nstdout: %s\nstderr: %s", name, line, r.code, r.stdout, r.stderr)
			}
			ran[args[0]] = true
		}
		if !ran["check"] || !ran["test"] {
			t.Errorf("%s runs gcrun check %v, gcrun test %v: want both", name, ran["check"], ran["test"])
		}
	}
}
