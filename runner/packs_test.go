package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gcrun/gcrun/checks/version"
	"github.com/gcrun/gcrun/engine"
	"github.com/google/go-cmp/cmp"
)

func TestParseConstraint(t *testing.T) {
	cases := []struct {
		constraint string
		allows     []string
		refuses    []string
	}{
		{">=0.3.0", []string{"0.3.0", "0.3.1", "1.0.0", "v0.4.0"}, []string{"0.2.9", "0.3.0-rc.1"}},
		{">=0.3.0 <0.4.0", []string{"0.3.0", "0.3.99", "0.4.0-rc.1"}, []string{"0.4.0", "0.2.0"}},
		{">=0.3.0, <0.4.0", []string{"0.3.5"}, []string{"0.4.0"}},
		{">= 0.3.0 , < 0.4.0", []string{"0.3.5"}, []string{"0.4.0"}},
		{">0.3.0", []string{"0.3.1", "0.3.1-alpha"}, []string{"0.3.0", "0.3.0+build"}},
		{"<=1.2.3", []string{"1.2.3", "1.2.3+meta", "0.1.0"}, []string{"1.2.4"}},
		{"=1.2.3", []string{"1.2.3", "1.2.3+b"}, []string{"1.2.4", "1.2.3-rc.1"}},
		{"1.2.3", []string{"1.2.3"}, []string{"1.2.2"}},
		{"!=1.2.3", []string{"1.2.4"}, []string{"1.2.3"}},
		{">=0.3, !=0.3.2", []string{"0.3.0", "0.3.1", "0.3.3"}, []string{"0.3.2", "0.2.9"}},
		{"1.2", []string{"1.2.0", "1.2.9"}, []string{"1.3.0", "1.3.0-rc.1", "1.1.9"}},
		{"=1", []string{"1.0.0", "1.99.0"}, []string{"2.0.0", "0.9.0"}},
		{"~1.2", []string{"1.2.0", "1.2.7"}, []string{"1.3.0", "1.3.0-0", "1.1.0"}},
		{"~1.2.3", []string{"1.2.3", "1.2.9"}, []string{"1.2.2", "1.3.0"}},
		{"~1", []string{"1.0.0", "1.9.9"}, []string{"2.0.0", "0.9.0"}},
		{"^1.2", []string{"1.2.0", "1.9.0"}, []string{"2.0.0", "2.0.0-rc.1", "1.1.0"}},
		{"^0.3", []string{"0.3.0", "0.3.9"}, []string{"0.4.0", "0.2.0"}},
		{"^0.0.3", []string{"0.0.3"}, []string{"0.0.4", "0.0.2"}},
		{"^0", []string{"0.0.0", "0.9.0"}, []string{"1.0.0"}},
		{"^9.99.999", []string{"9.100.0"}, []string{"10.0.0"}},
		{"^99", []string{"99.0.0", "99.5.0"}, []string{"100.0.0"}},
		{"<2.0.0-beta", []string{"2.0.0-alpha", "1.0.0"}, []string{"2.0.0-beta", "2.0.0"}},
	}
	for _, tc := range cases {
		c, err := ParseConstraint(tc.constraint)
		if err != nil {
			t.Errorf("%q: %v", tc.constraint, err)
			continue
		}
		if c.String() != strings.TrimSpace(tc.constraint) {
			t.Errorf("%q.String() = %q", tc.constraint, c.String())
		}
		for _, v := range tc.allows {
			if !c.Allows(mustSemVer(t, v)) {
				t.Errorf("%q refuses %s", tc.constraint, v)
			}
		}
		for _, v := range tc.refuses {
			if c.Allows(mustSemVer(t, v)) {
				t.Errorf("%q allows %s", tc.constraint, v)
			}
		}
	}
}

// TestConstraintsAgreeWithCompare checks each operator against the semver
// comparison it is built on, over every pair of a list of versions.
func TestConstraintsAgreeWithCompare(t *testing.T) {
	versions := []string{"0.0.0", "0.1.0", "0.3.0-alpha", "0.3.0-alpha.1", "0.3.0-rc.1", "0.3.0", "0.3.1", "1.0.0", "1.10.0", "1.2.0"}
	ops := map[string]func(int) bool{
		"=": func(c int) bool { return c == 0 }, "!=": func(c int) bool { return c != 0 },
		">": func(c int) bool { return c > 0 }, ">=": func(c int) bool { return c >= 0 },
		"<": func(c int) bool { return c < 0 }, "<=": func(c int) bool { return c <= 0 },
	}
	for _, a := range versions {
		for _, b := range versions {
			rc, err := version.CompareSemVer(a, b)
			if err != nil {
				t.Fatal(err)
			}
			for op, want := range ops {
				c, err := ParseConstraint(op + b)
				if err != nil {
					t.Fatal(err)
				}
				if got := c.Allows(mustSemVer(t, a)); got != want(rc) {
					t.Errorf("%s%s allows %s = %v, compare says %d", op, b, a, got, rc)
				}
			}
		}
	}
}

func TestParseConstraintErrors(t *testing.T) {
	cases := map[string]string{
		"":                 `version constraint "": empty`,
		" , ":              `version constraint " , ": empty`,
		">=0.3.0 || <0.2":  `version constraint ">=0.3.0 || <0.2": "||" is not an operator`,
		"=>0.3.0":          `"=>0.3.0" is not an operator (=, !=, >, >=, <, <=, ~, ^) followed by a version`,
		">=0.3.x":          `version: invalid semver version "0.3.x"`,
		">=1.2-rc.1":       `version: invalid semver version "1.2-rc.1": want MAJOR.MINOR.PATCH`,
		">=01.2.3":         `major version has a leading zero`,
		"latest":           `"latest" is not an operator`,
		">=0.3.0 <":        `"<" is not an operator`,
		"^1.2.3.4":         `want MAJOR.MINOR.PATCH`,
		">=0.3.0 garbage!": `"garbage!" is not an operator`,
	}
	for in, want := range cases {
		_, err := ParseConstraint(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseConstraint(%q) = %v, want an error containing %q", in, err, want)
		}
	}
}

func TestToolSemVer(t *testing.T) {
	cases := []struct {
		in   string
		want string // "" for a development build
	}{
		{"", ""}, {"dev", ""}, {"(devel)", ""}, {"50d96b8", ""}, {"50d96b8-dirty", ""},
		{"v0.0.0-test", ""}, {"v0.0.0-20240101120000-abcdef123456", ""},
		{"0.3.0", "0.3.0"}, {"v0.3.0", "0.3.0"}, {"v0.3.0-dirty", "0.3.0"},
		{"v0.3.0-4-gdeadbee", "0.3.0"}, {"v0.3.0-4-gdeadbee-dirty", "0.3.0"},
		{"v0.4.0-rc.1", "0.4.0-rc.1"},
	}
	for _, tc := range cases {
		v, ok := toolSemVer(tc.in)
		got := ""
		if ok {
			got = v.Major + "." + v.Minor + "." + v.Patch
			if v.Prerelease != nil {
				got += "-" + strings.Join(v.Prerelease, ".")
			}
		}
		if got != tc.want {
			t.Errorf("toolSemVer(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func mustSemVer(t *testing.T, s string) version.SemVerVersion {
	t.Helper()
	v, err := version.ParseSemVer(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// packRule is a rule module with id in package pkg that fails when
// input.x exceeds parameter param (or always passes when param is "").
func packRule(id, pkg, param string) string {
	body := "deny := set()"
	if param != "" {
		body = fmt.Sprintf("deny contains {\"code\": \"over\", \"phrase\": \"over\"} if input.x > data.gcrun.params.%s", param)
	}
	return fmt.Sprintf("# METADATA\n# title: T\n# description: D\n# custom:\n#   id: %s\n#   severity: low\npackage %s\n\n%s\n", id, pkg, body)
}

// writePacks writes packs (dir → path → content) under one temporary
// directory and returns it.
func writePacks(t *testing.T, packs map[string]map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for dir, files := range packs {
		for p, content := range files {
			full := filepath.Join(root, dir, p)
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return root
}

func names(packs *Packs) []string {
	var out []string
	for _, b := range packs.Baselines() {
		out = append(out, b.Name)
	}
	return out
}

func TestLoadPacksDiamond(t *testing.T) {
	// top depends on left and right, which both depend on base.
	root := writePacks(t, map[string]map[string]string{
		"base": {
			"pack.yaml": "name: base\nversion: 1.4.0\nparameters:\n  - name: limit\n    type: number\n    default: 10\n  - name: other\n    type: string\n    default: x\n",
			"a.rego":    packRule("BASE-1", "base.a", "limit"),
			"b.rego":    packRule("BASE-2", "base.b", ""),
			"c.rego":    packRule("BASE-3", "base.c", ""),
		},
		"left": {
			"pack.yaml": "name: left\nversion: 1.0.0\ndepends:\n  - name: base\n    path: ../base\n    version: ^1.2\n    skip: [BASE-2]\n    parameters:\n      limit: 5\n",
			"l.rego":    packRule("LEFT-1", "left.l", "other"),
		},
		"right": {
			"pack.yaml": "name: right\nversion: 1.0.0\ndepends:\n  - name: base\n    path: ./../base/\n    version: '>=1.4.0 <2'\n",
			"r.rego":    packRule("RIGHT-1", "right.r", ""),
		},
		"top": {
			"pack.yaml": "name: top\nversion: 2.0.0\ngcrun: '>=0.3.0'\ndepends:\n  - name: left\n    path: ../left\n    skip: [BASE-3]\n    parameters:\n      limit: 2\n  - name: right\n    path: ../right\n",
			"t.rego":    packRule("TOP-1", "top.t", ""),
		},
	})
	packs, err := LoadPacks([]string{filepath.Join(root, "top")}, "v0.3.1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"base", "left", "right", "top"}, names(packs)); diff != "" {
		t.Errorf("packs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{"BASE-2": "left", "BASE-3": "top"}, packs.Skipped()); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
	// top depends on left: its override wins.
	if diff := cmp.Diff(map[string]any{"limit": 2}, packs.Parameters()); diff != "" {
		t.Errorf("parameters (-want +got):\n%s", diff)
	}

	eng, err := engine.New(context.Background(), packs.Baselines(), packs.EngineOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range eng.Rules() {
		ids = append(ids, r.ID)
	}
	if diff := cmp.Diff([]string{"BASE-1", "LEFT-1", "RIGHT-1", "TOP-1"}, ids); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	status := func(eng *engine.Engine, x float64) string {
		rs, err := eng.Evaluate(context.Background(), engine.Input{Facts: map[string]any{"x": x}})
		if err != nil {
			t.Fatal(err)
		}
		return string(rs[0].Status) // BASE-1
	}
	if got := status(eng, 3); got != "fail" {
		t.Errorf("x=3 with limit 2 from top: %s, want fail", got)
	}
	// The user's --param wins over the packs', before or after their options.
	for _, opts := range [][]engine.Option{
		append(packs.EngineOptions(), engine.WithParameters(map[string]any{"limit": float64(3)})),
		append([]engine.Option{engine.WithParameters(map[string]any{"limit": float64(3)})}, packs.EngineOptions()...),
	} {
		eng, err := engine.New(context.Background(), packs.Baselines(), opts...)
		if err != nil {
			t.Fatal(err)
		}
		if got := status(eng, 3); got != "pass" {
			t.Errorf("x=3 with --param limit=3: %s, want pass", got)
		}
	}

	// Loading a dependency again, however spelled, loads it once.
	again, err := LoadPacks([]string{filepath.Join(root, "top"), filepath.Join(root, "left", "..", "base") + "/"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"base", "left", "right", "top"}, names(again)); diff != "" {
		t.Errorf("packs (-want +got):\n%s", diff)
	}
}

func TestLoadPacksBuiltin(t *testing.T) {
	root := writePacks(t, map[string]map[string]string{
		"site": {
			"pack.yaml": "name: site\nversion: 1.0.0\ndepends:\n  - name: linux\n    builtin: true\n    version: '>=0.3.0'\n    skip: [GCL-SSH-040, GCL-PKG-001]\n    parameters:\n      ssh_max_auth_tries: 3\n      ssh_allowed_ciphers: [aes256-gcm@openssh.com]\n",
			"s.rego":    packRule("SITE-1", "site.s", ""),
		},
	})
	packs, err := LoadPacks([]string{filepath.Join(root, "site")}, "dev")
	if err != nil {
		t.Fatal(err)
	}
	bs := packs.Baselines()
	if len(bs) != 2 || bs[0].Origin != "builtin:linux" || bs[1].Name != "site" {
		t.Fatalf("baselines %v", names(packs))
	}
	eng, err := NewEngine(context.Background(), bs, packs.EngineOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, r := range eng.Rules() {
		ids[r.ID] = true
	}
	if ids["GCL-SSH-040"] || ids["GCL-PKG-001"] || !ids["GCL-SSH-001"] || !ids["SITE-1"] {
		t.Errorf("rules: GCL-SSH-040 %v, GCL-PKG-001 %v (want both dropped), GCL-SSH-001 %v, SITE-1 %v", ids["GCL-SSH-040"], ids["GCL-PKG-001"], ids["GCL-SSH-001"], ids["SITE-1"])
	}
	values := map[string]any{}
	for _, p := range eng.Parameters() {
		values[p.Name] = p.Value
	}
	if diff := cmp.Diff(map[string]any{"a": 3, "b": []any{"aes256-gcm@openssh.com"}, "c": 10},
		map[string]any{"a": values["ssh_max_auth_tries"], "b": values["ssh_allowed_ciphers"], "c": values["ssh_max_sessions"]}); diff != "" {
		t.Errorf("parameters (-want +got):\n%s", diff)
	}

	// LoadBaselines loads the dependencies too.
	bs, err = LoadBaselines([]string{filepath.Join(root, "site")})
	if err != nil || len(bs) != 2 || bs[0].Name != "linux" {
		t.Fatalf("LoadBaselines: %v, %v", bs, err)
	}
	// The builtin pack's directory is the builtin pack: loaded once.
	both, err := LoadPacks([]string{filepath.Join(root, "site"), "../baselines/linux"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"linux", "site"}, names(both)); diff != "" {
		t.Errorf("packs (-want +got):\n%s", diff)
	}
	// Without directories, the builtin pack alone.
	bs, err = LoadBaselines(nil)
	if err != nil || len(bs) != 1 || bs[0].Origin != "builtin:linux" {
		t.Fatalf("LoadBaselines(nil): %v, %v", bs, err)
	}
}

func TestLoadPacksErrors(t *testing.T) {
	good := map[string]string{"pack.yaml": "name: good\nversion: 1.0.0\nparameters:\n  - name: n\n    type: number\n    default: 1\n", "g.rego": packRule("G-1", "good.g", "n")}
	cases := []struct {
		name  string
		packs map[string]map[string]string
		load  []string
		tool  string
		want  []string // "file:line: message [code]", file relative to the temporary root
	}{
		{
			name: "cycle",
			packs: map[string]map[string]string{
				"a": {"pack.yaml": "name: a\ndepends:\n  - name: b\n    path: ../b\n", "a.rego": packRule("A-1", "a.a", "")},
				"b": {"pack.yaml": "name: b\ndepends:\n  - name: c\n    path: ../c\n", "b.rego": packRule("B-1", "b.b", "")},
				"c": {"pack.yaml": "name: c\ndepends:\n  - name: a\n    path: ../a\n", "c.rego": packRule("C-1", "c.c", "")},
			},
			load: []string{"a"},
			want: []string{"c/pack.yaml:3: dependency cycle: a (a/pack.yaml:3) -> b (b/pack.yaml:3) -> c (c/pack.yaml:3) -> a [dependency-cycle]"},
		},
		{
			name: "self",
			packs: map[string]map[string]string{
				"a": {"pack.yaml": "name: a\ndepends:\n  - name: a\n    path: .\n", "a.rego": packRule("A-1", "a.a", "")},
			},
			load: []string{"a"},
			want: []string{"a/pack.yaml:3: dependency cycle: a (a/pack.yaml:3) -> a [dependency-cycle]"},
		},
		{
			name: "unsatisfied constraints",
			packs: map[string]map[string]string{
				"good": good,
				"a":    {"pack.yaml": "name: a\ngcrun: '>=0.4.0'\ndepends:\n  - name: good\n    path: ../good\n    version: ^2.0\n", "a.rego": packRule("A-1", "a.a", "")},
			},
			load: []string{"a"},
			tool: "v0.3.0",
			want: []string{
				"a/pack.yaml:2: pack a needs gcrun >=0.4.0; this is gcrun v0.3.0 [version-constraint]",
				"a/pack.yaml:6: depends good ^2.0: good is version 1.0.0 [version-constraint]",
			},
		},
		{
			name: "conflicting constraints in a diamond",
			packs: map[string]map[string]string{
				"good": good,
				"a":    {"pack.yaml": "name: a\ndepends:\n  - name: good\n    path: ../good\n    version: <1.0.0\n", "a.rego": packRule("A-1", "a.a", "")},
				"b":    {"pack.yaml": "name: b\ndepends:\n  - name: good\n    path: ../good\n    version: '>=1.0.0'\n", "b.rego": packRule("B-1", "b.b", "")},
			},
			load: []string{"a", "b"},
			want: []string{"a/pack.yaml:5: depends good <1.0.0: good is version 1.0.0; the constraints of the packs that depend on it conflict: a requires <1.0.0 (a/pack.yaml:5), b requires >=1.0.0 (b/pack.yaml:5) [version-constraint]"},
		},
		{
			name: "malformed constraints",
			packs: map[string]map[string]string{
				"good": good,
				"a":    {"pack.yaml": "name: a\ngcrun: newest\ndepends:\n  - name: good\n    path: ../good\n    version: '>= one'\n", "a.rego": packRule("A-1", "a.a", "")},
			},
			load: []string{"a"},
			want: []string{
				`a/pack.yaml:2: gcrun: version constraint "newest": "newest" is not an operator (=, !=, >, >=, <, <=, ~, ^) followed by a version [version-constraint]`,
				`a/pack.yaml:6: depends good: version constraint ">= one": ">=one" is not an operator (=, !=, >, >=, <, <=, ~, ^) followed by a version [version-constraint]`,
			},
		},
		{
			name: "skip and parameters the dependency does not have",
			packs: map[string]map[string]string{
				"good": good,
				"a": {"pack.yaml": "name: a\ndepends:\n  - name: good\n    path: ../good\n    skip: [G-1, G-2]\n    parameters:\n      n: many\n      m: 2\n",
					"a.rego": packRule("A-1", "a.a", "")},
			},
			load: []string{"a"},
			want: []string{
				"a/pack.yaml:5: depends good: skip G-2: pack good 1.0.0 has no rule G-2 (did you mean G-1?) [unknown-skip]",
				"a/pack.yaml:7: depends good: parameter n: value many is a string, declared number [invalid-parameter]",
				"a/pack.yaml:8: depends good: parameter m: not declared by pack good (did you mean n?) [undeclared-parameter]",
			},
		},
		{
			name: "skip of the depending pack's own rule",
			packs: map[string]map[string]string{
				"good": good,
				"a":    {"pack.yaml": "name: a\ndepends:\n  - name: good\n    path: ../good\n    skip:\n      - A-1\n", "a.rego": packRule("A-1", "a.a", "")},
			},
			load: []string{"a"},
			want: []string{"a/pack.yaml:6: depends good: skip A-1: A-1 is a rule of pack a itself; skip drops rules of the dependency [unknown-skip]"},
		},
		{
			name: "conflicting overrides",
			packs: map[string]map[string]string{
				"good": good,
				"a":    {"pack.yaml": "name: a\ndepends:\n  - name: good\n    path: ../good\n    parameters:\n      n: 2\n", "a.rego": packRule("A-1", "a.a", "")},
				"b":    {"pack.yaml": "name: b\ndepends:\n  - name: good\n    path: ../good\n    parameters:\n      n: 3\n", "b.rego": packRule("B-1", "b.b", "")},
			},
			load: []string{"a", "b"},
			want: []string{"b/pack.yaml:6: depends good: parameter n: b sets 3, but a sets 2 (a/pack.yaml:6), and neither pack depends on the other [parameter-conflict]"},
		},
		{
			name: "missing dependency",
			packs: map[string]map[string]string{
				"a": {"pack.yaml": "name: a\ndepends:\n  - name: gone\n    path: ../gone\n", "a.rego": packRule("A-1", "a.a", "")},
			},
			load: []string{"a"},
			want: []string{"a/pack.yaml:3: depends gone: baseline gone: stat gone: no such file or directory [bad-dependency]"},
		},
		{
			name: "wrong name, unknown builtin",
			packs: map[string]map[string]string{
				"good": good,
				"a":    {"pack.yaml": "name: a\ndepends:\n  - name: other\n    path: ../good\n  - name: windows\n    builtin: true\n", "a.rego": packRule("A-1", "a.a", "")},
			},
			load: []string{"a"},
			want: []string{
				`a/pack.yaml:3: depends other: good holds pack "good", not "other" [bad-dependency]`,
				`a/pack.yaml:5: depends windows: no builtin pack named "windows" (builtin packs: linux) [bad-dependency]`,
			},
		},
		{
			name: "two packs of one name",
			packs: map[string]map[string]string{
				"linux": {"pack.yaml": "name: linux\nversion: 9.0.0\n", "l.rego": packRule("L-1", "l.l", "")},
				"a":     {"pack.yaml": "name: a\ndepends:\n  - name: linux\n    builtin: true\n", "a.rego": packRule("A-1", "a.a", "")},
			},
			load: []string{"a", "linux"},
			want: []string{"linux/pack.yaml: two different packs are named linux: builtin:linux (required by a/pack.yaml:3) and linux (their files differ); load one of them [bad-dependency]"},
		},
		{
			name: "malformed depends entries",
			packs: map[string]map[string]string{
				"a": {"pack.yaml": "name: a\ndepends:\n  - name: x\n  - name: y\n    builtin: true\n    path: ../y\n  - name: z\n    path: /abs/z\n  - name: ../w\n    path: ../w\n  - path: ../v\n  - name: u\n    path: ../u\n    skip: [U-1, U-1]\n",
					"a.rego": packRule("A-1", "a.a", "")},
			},
			load: []string{"a"},
			want: []string{
				"a/pack.yaml:3: depends x: set builtin: true or path: DIR [bad-dependency]",
				"a/pack.yaml:6: depends y: builtin and path are exclusive [bad-dependency]",
				`a/pack.yaml:8: depends z: path "/abs/z" must be relative to the pack [bad-dependency]`,
				`a/pack.yaml:9: depends: name "../w" must be a pack name, not a path (use path: for a directory) [bad-dependency]`,
				"a/pack.yaml:11: depends: entry has no name [bad-dependency]",
				"a/pack.yaml:14: depends u: skip lists U-1 twice [bad-dependency]",
			},
		},
		{
			name: "unknown field in a depends entry",
			packs: map[string]map[string]string{
				"a": {"pack.yaml": "name: a\ndepends:\n  - name: linux\n    builtin: true\n    skips: [GCL-SSH-001]\n", "a.rego": packRule("A-1", "a.a", "")},
			},
			load: []string{"a"},
			want: []string{"a/pack.yaml:5: field skips not found [bad-manifest]"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := writePacks(t, tc.packs)
			t.Chdir(root) // relative paths, as users give them
			_, err := LoadPacks(tc.load, tc.tool)
			var le *engine.LoadError
			if !errors.As(err, &le) {
				t.Fatalf("err = %v, want a *engine.LoadError", err)
			}
			var got []string
			for _, p := range le.Problems {
				got = append(got, fmt.Sprintf("%s [%s]", p.String(), p.Code))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadPacksTopLevelErrors(t *testing.T) {
	if _, err := LoadPacks([]string{"/nonexistent/pack"}, ""); err == nil || !strings.Contains(err.Error(), "baseline /nonexistent/pack: ") {
		t.Errorf("err = %v", err)
	}
}

// TestRuleIDsMatchTheEngine checks the cheap METADATA scan behind skip
// validation against the rules the engine loads.
func TestRuleIDsMatchTheEngine(t *testing.T) {
	b, err := DefaultBaseline()
	if err != nil {
		t.Fatal(err)
	}
	eng, err := NewEngine(context.Background(), []*engine.Baseline{b})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]engine.Location{}
	for _, r := range eng.Rules() {
		want[r.ID] = r.Location
	}
	if diff := cmp.Diff(want, engine.RuleIDs(b)); diff != "" {
		t.Errorf("RuleIDs (-engine +scan):\n%s", diff)
	}
}

func TestSuggest(t *testing.T) {
	names := []string{"ssh_login_grace_time_max", "ssh_max_auth_tries", "ssh_max_sessions", "GCL-SSH-004", "GCL-SSH-040"}
	cases := map[string]string{
		"ssh_max_auth_trys":    " (did you mean ssh_max_auth_tries?)",
		"ssh_login_grace_time": " (did you mean ssh_login_grace_time_max?)",
		"GCL-SSH-40":           " (did you mean GCL-SSH-040?)",
		"GCL-SSH-04":           " (did you mean GCL-SSH-004?)", // a tie: the first in order
		"something_else":       "",
		"ssh":                  "",
	}
	for in, want := range cases {
		if got := suggest(in, names); got != want {
			t.Errorf("suggest(%q) = %q, want %q", in, got, want)
		}
	}
}
