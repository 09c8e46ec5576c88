package runner

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/gcrun/gcrun/engine"
)

// versionRule calls gcrun.version_compare on every [scheme, a, b] of
// input.cases.list: the evidence has each result, and a pair whose first
// version is older is a failure.
const versionRule = `# METADATA
# title: Installed versions are not older than the fixed ones
# description: Exercises gcrun.version_compare.
# custom:
#   id: T-VER-1
#   severity: low
package t.version

evidence := {"results": [gcrun.version_compare(c[0], c[1], c[2]) | some c in input.cases.list]}

deny contains {"code": "old", "phrase": sprintf("%s version %s is older than %s", [c[0], c[1], c[2]])} if {
	some c in input.cases.list
	gcrun.version_compare(c[0], c[1], c[2]) < 0
}
`

func versionEngine(t *testing.T) *engine.Engine {
	t.Helper()
	b, err := engine.LoadBaseline(fstest.MapFS{
		"pack.yaml":    {Data: []byte("name: t\nversion: 1.0.0\n")},
		"version.rego": {Data: []byte(versionRule)},
	}, "t")
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(context.Background(), []*engine.Baseline{b}, engine.WithFunctions(VersionCompareFunction()))
	if err != nil {
		t.Fatal(err)
	}
	return eng
}

func versionEval(t *testing.T, eng *engine.Engine, cases ...[]any) engine.Result {
	t.Helper()
	list := make([]any, len(cases))
	for i, c := range cases {
		list[i] = c
	}
	rs, err := eng.Evaluate(context.Background(), engine.Input{Facts: map[string]any{"cases": map[string]any{"list": list}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 {
		t.Fatalf("%d results, want 1", len(rs))
	}
	return rs[0]
}

func TestVersionCompareBuiltin(t *testing.T) {
	eng := versionEngine(t)
	r := versionEval(t, eng,
		[]any{"dpkg", "1:9.2p1-2+deb12u3", "1:9.2p1-2+deb12u3"},
		[]any{"dpkg", "1:9.2p1-2+deb12u10", "1:9.2p1-2+deb12u9"},
		[]any{"rpm", "1:3.0.7-27.el9", "3.0.7-16.el9_2"},
		[]any{"apk", "3.1.4-r5", "3.1.4_rc1-r9"},
		[]any{"semver", "v1.22.0", "1.22.0-rc.2"},
	)
	if r.Status != engine.StatusPass {
		t.Fatalf("status %s (%s), reasons %v; want pass", r.Status, r.Error, r.Reasons)
	}
	// The results are Rego numbers: compare their JSON.
	got, err := json.Marshal(r.Evidence)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"results":[0,1,1,1,1]}`; string(got) != want {
		t.Errorf("evidence %s, want %s", got, want)
	}

	r = versionEval(t, eng,
		[]any{"dpkg", "1.0~rc1", "1.0"},
		[]any{"rpm", "1.0", "1.0^git1"},
		[]any{"dpkg", "2.0", "1.0"},
	)
	var codes []string
	for _, reason := range r.Reasons {
		codes = append(codes, reason.Code+": "+reason.Phrase)
	}
	want := []string{"old: dpkg version 1.0~rc1 is older than 1.0", "old: rpm version 1.0 is older than 1.0^git1"}
	if r.Status != engine.StatusFail || !cmp.Equal(want, codes) {
		t.Errorf("status %s (%s), reasons %v; want fail with %v", r.Status, r.Error, codes, want)
	}
}

// TestVersionCompareBuiltinErrors: what the built-in cannot compare makes
// the rule report error, never pass; here a deny that would otherwise not
// fire (no pair is older) must not turn into a pass.
func TestVersionCompareBuiltinErrors(t *testing.T) {
	eng := versionEngine(t)
	for _, tt := range []struct {
		name string
		c    []any
		want string
	}{
		{"unknown scheme", []any{"deb", "1", "2"}, `gcrun.version_compare: version: unknown scheme "deb" (known: apk, dpkg, rpm, semver)`},
		{"invalid dpkg version", []any{"dpkg", "1:", "1.0"}, `gcrun.version_compare: version: invalid dpkg version "1:": nothing after colon in version number`},
		{"invalid rpm version", []any{"rpm", "1.0", ""}, `gcrun.version_compare: version: invalid rpm version "": empty version`},
		{"invalid apk version", []any{"apk", "1.0-1", "1.0"}, `gcrun.version_compare: version: invalid apk version "1.0-1"`},
		{"invalid semver", []any{"semver", "1.0", "1.0.0"}, `gcrun.version_compare: version: invalid semver version "1.0": want MAJOR.MINOR.PATCH`},
		{"number for a version", []any{"dpkg", 1, "1.0"}, "gcrun.version_compare: argument 2 (first version) must be a string, got a number"},
		{"null scheme", []any{nil, "1", "1"}, "gcrun.version_compare: argument 1 (scheme) must be a string, got null"},
		{"object for a version", []any{"rpm", "1", map[string]any{"v": "1"}}, "gcrun.version_compare: argument 3 (second version) must be a string, got an object"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := versionEval(t, eng, []any{"dpkg", "2.0", "1.0"}, tt.c)
			if r.Status != engine.StatusError || !strings.Contains(r.Error, tt.want) {
				t.Errorf("status %s, error %q; want error containing %q", r.Status, r.Error, tt.want)
			}
		})
	}
}

func TestVersionCompareFunction(t *testing.T) {
	f := VersionCompareFunction()
	if f.Name != "gcrun.version_compare" || f.Args != 3 || f.Description == "" {
		t.Errorf("definition %+v", f)
	}
	got, err := f.Impl(context.Background(), []any{"dpkg", "1.0", "1.0-1"})
	if err != nil || got != -1 {
		t.Errorf("Impl = %v (%T), %v; want -1", got, got, err)
	}
}
