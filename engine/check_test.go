package engine

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gcrun/gcrun/internal/oracle"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func checkDir(t *testing.T, dir string, opts ...Option) *CheckResult {
	t.Helper()
	b, err := LoadBaselineDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Check(context.Background(), []*Baseline{b}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// short drops the directory from findings' file names.
func short(dir string, fs []Finding) []Finding {
	out := make([]Finding, len(fs))
	for i, f := range fs {
		f.File = strings.TrimPrefix(f.File, dir+"/")
		out[i] = f
	}
	return out
}

const manifest = "name: p\nversion: 1.0.0\ndescription: d\n"

func TestCheckClean(t *testing.T) {
	dir := writeBaseline(t, map[string]string{
		"pack.yaml":   manifest + "parameters:\n  - name: n\n    type: number\n    default: 1\n",
		"a.rego":      rule("C-1", "p.a", "deny contains {\"code\": \"c\", \"phrase\": \"p\"} if input.x > data.gcrun.params.n"),
		"a_test.rego": "package p.a_test\n\nimport data.p.a\n\ntest_fail if {\n\tcount(a.deny) == 1 with input as {\"x\": 2}\n}\n",
	})
	res := checkDir(t, dir)
	if len(res.Findings) != 0 || len(res.Rules) != 1 || res.Rules[0].ID != "C-1" {
		t.Fatalf("findings %v, rules %v", res.Findings, res.Rules)
	}
}

func TestCheckWarnings(t *testing.T) {
	dir := writeBaseline(t, map[string]string{
		"pack.yaml": "name: p\nparameters:\n  - name: used\n    type: number\n    default: 1\n  - name: unused\n    type: string\n    default: x\n",
		"a.rego": rule("W-1", "p.a", `import data.p.lib

deny contains {"code": "c", "phrase": "p"} if {
	input.x > data.gcrun.params.used
	y := 2
}`),
		"b.rego":      rule("W-2", "p.b", "deny := set()"),
		"lib.rego":    "package p.lib\n\nf(x, y) := x\n",
		"a_test.rego": "package p.a_test\n\ntest_a if {\n\tcount(data.p.a.deny) == 0 with input as {\"x\": 0}\n}\n",
	})
	want := []Finding{
		{Severity: FindingWarning, Code: CodeUnusedImport, File: "a.rego", Line: 9, Column: 1, Message: "import data.p.lib unused (OPA strict mode)"},
		{Severity: FindingWarning, Code: CodeUnusedVariable, File: "a.rego", Line: 13, Column: 2, Message: "assigned var y unused (OPA strict mode)"},
		{Severity: FindingWarning, Code: CodeUntestedRule, File: "b.rego", Line: 7, Message: "rule W-2 (package p.b) has no Rego test: no *_test.rego refers to it"},
		{Severity: FindingWarning, Code: CodeUnusedArgument, File: "lib.rego", Line: 3, Column: 1, Message: "unused argument y. (hint: use _ (wildcard variable) instead) (OPA strict mode)"},
		{Severity: FindingWarning, Code: CodeIncompleteManifest, File: "pack.yaml", Message: "pack.yaml has no version, description"},
		{Severity: FindingWarning, Code: CodeUnusedParameter, File: "pack.yaml", Line: 6, Message: "parameter unused is declared but no rule reads it"},
	}
	res := checkDir(t, dir)
	if diff := cmp.Diff(want, short(dir, res.Findings)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if res.Errors() != 0 || res.Warnings() != len(want) {
		t.Errorf("errors %d, warnings %d", res.Errors(), res.Warnings())
	}
	// The engine accepts what strict mode warns about.
	if _, err := New(context.Background(), []*Baseline{mustLoad(t, dir)}); err != nil {
		t.Fatal(err)
	}

	noManifest := writeBaseline(t, map[string]string{"a.rego": rule("M-1", "m.a", "deny := set()"), "a_test.rego": "package m.a_test\n\ntest_a if count(data.m.a.deny) == 0\n"})
	res = checkDir(t, noManifest)
	want = []Finding{{Severity: FindingWarning, Code: CodeIncompleteManifest, File: "pack.yaml", Message: `no pack.yaml: the pack is named "` + filepath.Base(noManifest) + `" after its directory and versioned 0.0.0`}}
	if diff := cmp.Diff(want, short(noManifest, res.Findings)); diff != "" {
		t.Errorf("findings without pack.yaml (-want +got):\n%s", diff)
	}
}

func mustLoad(t *testing.T, dir string) *Baseline {
	t.Helper()
	b, err := LoadBaselineDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCheckErrorsBehindStrictWarnings: strict mode stops at its first
// failing stage; a type error of a later stage must still be an error.
func TestCheckErrorsBehindStrictWarnings(t *testing.T) {
	dir := writeBaseline(t, map[string]string{
		"pack.yaml": manifest,
		"a.rego": rule("E-1", "p.a", `import data.p.unused

deny contains {"code": "c", "phrase": "p"} if {
	count(5) > 1
}`),
		"a_test.rego": "package p.a_test\n\ntest_a if count(data.p.a.deny) == 0\n",
	})
	res := checkDir(t, dir)
	var got []string
	for _, f := range short(dir, res.Findings) {
		got = append(got, f.Severity+" "+f.Code+" "+f.File)
	}
	want := []string{"warning unused-import a.rego", "error type-error a.rego"}
	if diff := cmp.Diff(want, got, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("findings (-want +got):\n%s\n%v", diff, res.Findings)
	}
}

func TestCheckErrors(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		want  []Finding
	}{
		{
			name: "duplicate ids and a test that does not parse",
			files: map[string]string{
				"pack.yaml":   manifest,
				"a.rego":      rule("D-1", "p.a", "deny := set()"),
				"b.rego":      rule("D-1", "p.b", "deny := set()"),
				"a_test.rego": "package p.a_test\n\ntest_a if {\n",
			},
			want: []Finding{
				{Severity: FindingError, Code: CodeParseError, File: "a_test.rego", Line: 4, Message: "unexpected eof token"},
				{Severity: FindingError, Code: CodeDuplicateID, File: "b.rego", Line: 7, Column: 1, Message: "duplicate rule id D-1 (also %DIR%/a.rego:7)"},
			},
		},
		{
			name: "randomness and a non-deterministic builtin",
			files: map[string]string{
				"pack.yaml": manifest,
				"a.rego":    rule("R-1", "p.a", "deny contains {\"code\": \"c\", \"phrase\": \"p\"} if rand.intn(\"x\", 2) == 1"),
				"b.rego":    rule("R-2", "p.b", "deny contains {\"code\": \"c\", \"phrase\": \"p\"} if io.jwt.decode_verify(\"t\", {\"secret\": \"s\"})[0]"),
			},
			want: []Finding{
				{Severity: FindingError, Code: CodeForbiddenBuiltin, File: "a.rego", Line: 9, Column: 47, Message: "undefined function rand.intn (forbidden: rules must not use the network, the host, the clock or randomness)"},
				{Severity: FindingError, Code: CodeForbiddenBuiltin, File: "b.rego", Line: 9, Column: 47, Message: "undefined function io.jwt.decode_verify (forbidden: rules must not use the network, the host, the clock or randomness)"},
			},
		},
		{
			name: "a builtin Rego v1 removed",
			files: map[string]string{
				"pack.yaml": manifest,
				"a.rego":    rule("V-1", "p.a", "deny contains {\"code\": \"c\", \"phrase\": \"p\"} if any([input.x])"),
			},
			want: []Finding{
				{Severity: FindingError, Code: CodeDeprecatedBuiltin, File: "a.rego", Line: 9, Column: 47, Message: "deprecated built-in function calls in expression: any"},
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeBaseline(t, tc.files)
			res := checkDir(t, dir)
			for i := range tc.want {
				tc.want[i].Message = strings.ReplaceAll(tc.want[i].Message, "%DIR%", dir)
			}
			if diff := cmp.Diff(tc.want, short(dir, res.Findings)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFindingString(t *testing.T) {
	cases := map[string]Finding{
		"a.rego:3:7: error: bad [parse-error]": {Severity: "error", Code: "parse-error", File: "a.rego", Line: 3, Column: 7, Message: "bad"},
		"a.rego:3: warning: w [strict]":        {Severity: "warning", Code: "strict", File: "a.rego", Line: 3, Message: "w"},
		"pack.yaml: warning: w [x]":            {Severity: "warning", Code: "x", File: "pack.yaml", Message: "w"},
		"error: e [load-error]":                {Severity: "error", Code: "load-error", Message: "e"},
	}
	for want, f := range cases {
		if got := f.String(); got != want {
			t.Errorf("%+v.String() = %q, want %q", f, got, want)
		}
	}
}

func TestForbidden(t *testing.T) {
	caps := Capabilities()
	kept := map[string]bool{}
	for _, b := range caps.Builtins {
		kept[b.Name] = true
	}
	for _, name := range []string{"http.send", "net.lookup_ip_addr", "opa.runtime", "rand.intn", "uuid.rfc4122", "time.now_ns",
		"io.jwt.decode_verify", "io.jwt.encode_sign", "crypto.x509.parse_and_verify_certificates", "json.match_schema"} {
		if !Forbidden(name) || kept[name] {
			t.Errorf("%s: Forbidden %v, in the capabilities %v", name, Forbidden(name), kept[name])
		}
	}
	for _, name := range []string{"net.cidr_contains", "time.parse_rfc3339_ns", "regex.match", "sprintf", "crypto.x509.parse_certificates", "uuid.parse"} {
		if Forbidden(name) || !kept[name] {
			t.Errorf("%s: Forbidden %v, in the capabilities %v", name, Forbidden(name), kept[name])
		}
	}
	if len(caps.AllowNet) != 0 || caps.AllowNet == nil {
		t.Errorf("AllowNet = %#v, want an empty list (no network)", caps.AllowNet)
	}
}

func TestParameterDefaultsGiveWayToParameters(t *testing.T) {
	dir := writeBaseline(t, map[string]string{
		"pack.yaml": "name: p\nparameters:\n  - name: a\n    type: number\n    default: 1\n  - name: b\n    type: number\n    default: 1\n  - name: c\n    type: number\n    default: 1\n",
		"x.rego":    rule("X-1", "p.x", "deny contains {\"code\": \"c\", \"phrase\": \"p\"} if data.gcrun.params.a + data.gcrun.params.b + data.gcrun.params.c > 100"),
	})
	b := mustLoad(t, dir)
	pack := WithParameterDefaults(map[string]any{"a": 2, "b": 2})
	user := WithParameters(map[string]any{"b": 3.0})
	site := WithParameters(map[string]any{"c": 4.0})
	want := map[string]any{"a": 2, "b": 3.0, "c": 4.0}
	for name, opts := range map[string][]Option{
		"pack first": {pack, site, user},
		"pack last":  {site, user, pack},
		"pack twice": {pack, user, pack, site},
	} {
		e, err := New(context.Background(), []*Baseline{b}, opts...)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]any{}
		for _, p := range e.Parameters() {
			got[p.Name] = p.Value
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
	// The later of two WithParameters wins.
	e, err := New(context.Background(), []*Baseline{b}, WithParameters(map[string]any{"a": 5.0, "b": 5.0}), WithParameters(map[string]any{"a": 6.0}))
	if err != nil {
		t.Fatal(err)
	}
	if got := e.Parameters(); got[0].Value != 6.0 || got[1].Value != 5.0 {
		t.Errorf("parameters %+v, want a=6 b=5", got)
	}
	// Defaults are checked like overrides.
	_, err = New(context.Background(), []*Baseline{b}, WithParameterDefaults(map[string]any{"a": "x"}))
	if err == nil || !strings.Contains(err.Error(), "parameter a: value x is a string, declared number") {
		t.Errorf("err = %v", err)
	}
}

func TestManifestDepends(t *testing.T) {
	dir := writeBaseline(t, map[string]string{
		"pack.yaml": `name: acme
version: 1.0.0
gcrun: ">=0.3.0"
depends:
  - name: linux
    builtin: true
    version: ^0.4
    skip:
      - GCL-SSH-040
      - GCL-PKG-001
    parameters:
      ssh_max_auth_tries: 3
  - name: other
    path: ../other
parameters:
  - name: own
    type: string
    default: x
`,
		"a.rego":                        rule("A-1", "acme.a", "deny := set()"),
		"fixtures/host/root/etc/motd":   "hello\n",
		"fixtures/host/root/big.rego":   "not rego at all {",
		"fixtures/host/expected.yaml":   "rules: {}\n",
		"sub/fixtures/kept.txt":         "only the top-level fixtures directory is skipped\n",
		"fixturesque/also-kept.txt":     "x\n",
		"a_test.rego":                   "package acme.a_test\n\ntest_a if count(data.acme.a.deny) == 0\n",
		"fixtures/host/root/etc/passwd": "root:x:0:0::/root:/bin/sh\n",
	})
	if err := os.Symlink("/etc/hostname", filepath.Join(dir, "fixtures/host/root/etc/link")); err != nil {
		t.Fatal(err)
	}
	b := mustLoad(t, dir)
	want := []Dependency{
		{Name: "linux", Builtin: true, Version: "^0.4", Skip: []string{"GCL-SSH-040", "GCL-PKG-001"}, Parameters: map[string]any{"ssh_max_auth_tries": 3}, Line: 5},
		{Name: "other", Path: "../other", Line: 13},
	}
	if diff := cmp.Diff(want, b.Depends, cmpopts.IgnoreUnexported(Dependency{})); diff != "" {
		t.Errorf("depends (-want +got):\n%s", diff)
	}
	lines := map[string]int{}
	for _, k := range []string{"", "version", "skip/GCL-SSH-040", "skip/GCL-PKG-001", "parameters/ssh_max_auth_tries", "path", "skip/NOPE"} {
		lines[k] = b.Depends[0].LineOf(k)
	}
	if diff := cmp.Diff(map[string]int{"": 5, "version": 7, "skip/GCL-SSH-040": 9, "skip/GCL-PKG-001": 10, "parameters/ssh_max_auth_tries": 12, "path": 5, "skip/NOPE": 5}, lines); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	if b.Gcrun != ">=0.3.0" || b.GcrunLine() != 3 || b.ParameterLine("own") != 16 || !b.HasManifest {
		t.Errorf("gcrun %q line %d, parameter line %d, manifest %v", b.Gcrun, b.GcrunLine(), b.ParameterLine("own"), b.HasManifest)
	}
	if diff := cmp.Diff([]string{"a.rego", "a_test.rego", "fixturesque/also-kept.txt", "pack.yaml", "sub/fixtures/kept.txt"}, b.Files()); diff != "" {
		t.Errorf("files: the fixtures are not part of the baseline (-want +got):\n%s", diff)
	}
}

func TestManifestErrors(t *testing.T) {
	cases := []struct {
		name, manifest string
		want           []string
	}{
		{"yaml syntax", "name: a\n  version: [1\n", []string{"pack.yaml:2: mapping values are not allowed in this context"}},
		{"unknown fields", "name: a\nverison: 1\ndepends:\n  - name: b\n    builtin: true\n    skipped: [X]\n", []string{"pack.yaml:2: field verison not found", "pack.yaml:6: field skipped not found"}},
		{"wrong types", "name: a\ndepends: linux\n", []string{"pack.yaml:2: cannot unmarshal !!str `linux` into []engine.Dependency"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeBaseline(t, map[string]string{"pack.yaml": tc.manifest, "a.rego": rule("A-1", "a", "deny := set()")})
			_, err := LoadBaselineDir(dir)
			le, ok := err.(*LoadError)
			if !ok {
				t.Fatalf("err = %#v, want a *LoadError", err)
			}
			var got []string
			for _, p := range le.Problems {
				if p.Code != CodeBadManifest {
					t.Errorf("%s: code %q", p, p.Code)
				}
				got = append(got, strings.TrimPrefix(p.String(), dir+"/"))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDigestWithoutFixtures checks the documented recipe on a pack with
// fixtures, which are not part of the digest.
func TestDigestWithoutFixtures(t *testing.T) {
	oracle.Require(t, "sha256sum")
	oracle.Require(t, "find")
	dir := writeBaseline(t, map[string]string{
		"pack.yaml":                     manifest,
		"a.rego":                        rule("A-1", "a", "deny := set()"),
		"fixtures/one/root/etc/motd":    "hi\n",
		"fixtures/one/expected.yaml":    "rules: {A-1: pass}\n",
		"lib/fixtures/not-the-top.rego": "package a.lib\n\nx := 1\n",
	})
	out, err := exec.Command("bash", "-c", `set -o pipefail; (cd "$1" && find . -path ./fixtures -prune -o -type f -printf '%P\n' | LC_ALL=C sort | xargs sha256sum) | sha256sum`, "bash", dir).Output()
	if err != nil {
		t.Fatal(err)
	}
	b := mustLoad(t, dir)
	if want := "sha256:" + strings.Fields(string(out))[0]; b.Digest != want {
		t.Fatalf("digest %s, recipe says %s", b.Digest, want)
	}
	before := b.Digest
	if err := os.WriteFile(filepath.Join(dir, "fixtures/one/expected.yaml"), []byte("rules: {A-1: fail}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if mustLoad(t, dir).Digest != before {
		t.Error("changing a fixture changed the digest")
	}
}

// TestEveryProblemHasACode reads the engine's sources: every problem
// recorded with add (whose code follows from its format) must have a
// format formatCodes knows, so that no finding of gcrun check is left
// with the catch-all code.
func TestEveryProblemHasACode(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	calls := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "add" || len(call.Args) < 2 {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); !ok || id.Name != "ps" {
				return true
			}
			calls++
			lit, ok := call.Args[1].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				t.Errorf("%s: ps.add with a format that is not a literal", fset.Position(call.Pos()))
				return true
			}
			format, _ := strconv.Unquote(lit.Value)
			if codeOf(format) == codeLoad {
				t.Errorf("%s: ps.add(%q) has no code: add it to formatCodes or use addCode", fset.Position(call.Pos()), format)
			}
			return true
		})
	}
	if calls == 0 {
		t.Fatal("found no ps.add calls: the test no longer looks at the right thing")
	}
}
