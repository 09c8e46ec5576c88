package packtest

import (
	"math/big"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCoverage(t *testing.T) {
	res := run(t, "testdata/pass", Options{Coverage: true})
	// Counted by hand: a line holding an expression or a rule head. Only
	// the evidence rules are left untested.
	want := &Coverage{
		Packages: []PackageCoverage{{
			Package: "acme.lib.modes",
			Files:   []string{"testdata/pass/lib/modes.rego"},
			Lines:   Lines{Covered: 5, Total: 5}, // lines 5-8 and 12
		}, {
			Package:    "acme.rules.openssh",
			RuleID:     "ACME-002",
			Files:      []string{"testdata/pass/rules/openssh.rego"},
			Lines:      Lines{Covered: 12, Total: 13}, // lines 12, 14, 16, 18-27
			NotCovered: []string{"testdata/pass/rules/openssh.rego:16"},
		}, {
			Package:    "acme.rules.shadow",
			RuleID:     "ACME-001",
			Files:      []string{"testdata/pass/rules/shadow.rego"},
			Lines:      Lines{Covered: 19, Total: 20},
			NotCovered: []string{"testdata/pass/rules/shadow.rego:20"},
		}},
		Total: Lines{Covered: 36, Total: 38},
	}
	if diff := cmp.Diff(want, res.Coverage); diff != "" {
		t.Errorf("coverage (-want +got):\n%s", diff)
	}

	// Coverage is of the tests that ran. As in OPA, a "some x in xs"
	// line counts once evaluated but is not listed as not covered, so the
	// total of openssh drops by its line 20.
	res = run(t, "testdata/pass", Options{Coverage: true, Run: regexp.MustCompile(`modes_test`)})
	got := map[string]Lines{}
	for _, p := range res.Coverage.Packages {
		got[p.Package] = p.Lines
	}
	wantLines := map[string]Lines{
		"acme.lib.modes":     {5, 5},
		"acme.rules.openssh": {0, 12},
		"acme.rules.shadow":  {0, 20},
	}
	if diff := cmp.Diff(wantLines, got); diff != "" {
		t.Errorf("coverage with --run (-want +got):\n%s", diff)
	}
	if res.Coverage.Total != (Lines{5, 37}) || res.Coverage.Total.String() != "13.51%" {
		t.Errorf("total %+v %s", res.Coverage.Total, res.Coverage.Total)
	}
}

func TestLines(t *testing.T) {
	pct := func(s string) *big.Rat {
		r, err := ParsePercent(s)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	cases := []struct {
		l     Lines
		str   string
		below string // a minimum it is below ("": none can be)
		meets string // a minimum it meets
	}{
		{Lines{9999, 10000}, "99.99%", "100", "99.99"},
		// 99.9966...%: rounding would print 100.00 and pass a minimum of
		// 100 (open-policy-agent/opa#6307).
		{Lines{29999, 30000}, "99.99%", "100", "99.9966"},
		{Lines{2, 3}, "66.66%", "66.67", "66.66"},
		{Lines{36, 38}, "94.73%", "94.74", "94.736"},
		{Lines{1, 1}, "100.00%", "", "100"},
		{Lines{0, 5}, "0.00%", "0.01", "0"},
		{Lines{0, 0}, "0.00%", "0.5", "0"},
	}
	for _, c := range cases {
		if got := c.l.String(); got != c.str {
			t.Errorf("%+v: String %q, want %q", c.l, got, c.str)
		}
		if c.below != "" && !c.l.Below(pct(c.below)) {
			t.Errorf("%+v is not below %s", c.l, c.below)
		}
		if c.l.Below(pct(c.meets)) {
			t.Errorf("%+v is below %s", c.l, c.meets)
		}
	}
	if p := (Lines{1, 3}).Percent(); p < 33.333 || p > 33.334 {
		t.Errorf("Percent %v", p)
	}
}

func TestParsePercent(t *testing.T) {
	for in, want := range map[string]string{"90": "90", "99.99": "99.99", "99.99%": "99.99", "0": "0", "100": "100", "100.0": "100", "007.50": "7.5"} {
		r, err := ParsePercent(in)
		if err != nil {
			t.Errorf("ParsePercent(%q): %v", in, err)
			continue
		}
		if got := FormatPercent(r); got != want {
			t.Errorf("ParsePercent(%q) formats as %q, want %q", in, got, want)
		}
	}
	for _, bad := range []string{"", "abc", "-1", "100.01", "101", "1e2", "1/3", ".5", "5.", "0x10", " 90"} {
		if r, err := ParsePercent(bad); err == nil {
			t.Errorf("ParsePercent(%q) = %v, want an error", bad, r)
		}
	}
}
