package packtest

import (
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/cover"
)

// Lines counts the lines of Rego that coverage measures: lines holding an
// expression or a rule head. A line is covered when everything on it was
// evaluated by some test; one expression left unevaluated makes it not
// covered.
type Lines struct {
	Covered int
	Total   int
}

// MarshalJSON writes the counts with the percentage, both as a number and
// as String prints it.
func (l Lines) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Covered int     `json:"covered"`
		Total   int     `json:"total"`
		Percent float64 `json:"percent"`
		Display string  `json:"display"`
	}{l.Covered, l.Total, l.Percent(), l.String()})
}

// Percent is 100 × Covered / Total, or 0 when there are no lines.
func (l Lines) Percent() float64 {
	if l.Total == 0 {
		return 0
	}
	return 100 * float64(l.Covered) / float64(l.Total)
}

// String formats the percentage with two decimals, truncated: 9999 of
// 10000 lines is "99.99%", never "100.00%" (open-policy-agent/opa#6307).
func (l Lines) String() string {
	if l.Total == 0 {
		return "0.00%"
	}
	q := l.Covered * 10000 / l.Total
	return fmt.Sprintf("%d.%02d%%", q/100, q%100)
}

// Below reports whether the percentage is below min, compared exactly (no
// floating point, no rounding). No lines at all is below any positive min.
func (l Lines) Below(min *big.Rat) bool {
	if l.Total == 0 {
		return min.Sign() > 0
	}
	return big.NewRat(100*int64(l.Covered), int64(l.Total)).Cmp(min) < 0
}

var percentPattern = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?%?$`)

// ParsePercent reads a percentage from 0 to 100 such as "90", "99.99" or
// "99.99%", exactly.
func ParsePercent(s string) (*big.Rat, error) {
	if !percentPattern.MatchString(s) {
		return nil, fmt.Errorf("%q is not a percentage such as 90 or 99.5", s)
	}
	r, ok := new(big.Rat).SetString(strings.TrimSuffix(s, "%"))
	if !ok || r.Cmp(big.NewRat(100, 1)) > 0 {
		return nil, fmt.Errorf("%q is not a percentage from 0 to 100", s)
	}
	return r, nil
}

// FormatPercent prints a percentage read by ParsePercent as it was meant:
// "99.99", "90".
func FormatPercent(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	s := r.FloatString(10)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// Coverage is the line coverage of a pack's own Rego (tests excluded) by
// its Rego tests.
type Coverage struct {
	// Packages has one entry per package of the pack, rules and libraries,
	// sorted by package name.
	Packages []PackageCoverage `json:"packages"`
	// Total is the pack's total.
	Total Lines `json:"total"`
}

// PackageCoverage is the coverage of one rule or library package.
type PackageCoverage struct {
	Package string `json:"package"`
	// RuleID is the rule's custom.id; empty for a library.
	RuleID string   `json:"rule_id,omitempty"`
	Files  []string `json:"files"`
	Lines  Lines    `json:"lines"`
	// NotCovered lists the lines not covered, as file:line or
	// file:first-last.
	NotCovered []string `json:"not_covered,omitempty"`
}

// coverageOf summarises OPA's coverage report for the given modules,
// package by package.
func coverageOf(cov *cover.Cover, modules map[string]*ast.Module) *Coverage {
	rep := cov.Report(modules)
	type pkgInfo struct {
		pc    PackageCoverage
		spans []string
	}
	pkgs := map[string]*pkgInfo{}
	names := make([]string, 0, len(modules))
	for name := range modules {
		names = append(names, name)
	}
	sort.Strings(names)
	out := &Coverage{}
	for _, name := range names {
		m := modules[name]
		pkg := strings.TrimPrefix(m.Package.Path.String(), "data.")
		pi := pkgs[pkg]
		if pi == nil {
			pi = &pkgInfo{pc: PackageCoverage{Package: pkg}}
			pkgs[pkg] = pi
		}
		pi.pc.Files = append(pi.pc.Files, name)
		for _, a := range m.Annotations {
			if id, ok := a.Custom["id"].(string); ok && a.Scope == "package" {
				pi.pc.RuleID = id
			}
		}
		covered, notCovered := rows(rep.Files[name])
		for row := range covered {
			if !notCovered[row] {
				pi.pc.Lines.Covered++
			}
		}
		all := map[int]bool{}
		for row := range covered {
			all[row] = true
		}
		for row := range notCovered {
			all[row] = true
		}
		pi.pc.Lines.Total += len(all)
		pi.pc.NotCovered = append(pi.pc.NotCovered, spans(name, notCovered)...)
	}
	keys := make([]string, 0, len(pkgs))
	for k := range pkgs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		pc := pkgs[k].pc
		if pc.Lines.Total == 0 {
			continue // nothing to cover: only imports or declarations
		}
		out.Packages = append(out.Packages, pc)
		out.Total.Covered += pc.Lines.Covered
		out.Total.Total += pc.Lines.Total
	}
	return out
}

// rows returns the rows of a file's covered and not-covered ranges.
func rows(fr *cover.FileReport) (covered, notCovered map[int]bool) {
	covered, notCovered = map[int]bool{}, map[int]bool{}
	if fr == nil {
		return covered, notCovered
	}
	for _, r := range fr.Covered {
		for row := r.Start.Row; row <= r.End.Row; row++ {
			covered[row] = true
		}
	}
	for _, r := range fr.NotCovered {
		for row := r.Start.Row; row <= r.End.Row; row++ {
			notCovered[row] = true
		}
	}
	return covered, notCovered
}

// spans formats a set of rows as file:3, file:5-7.
func spans(file string, set map[int]bool) []string {
	list := make([]int, 0, len(set))
	for r := range set {
		list = append(list, r)
	}
	sort.Ints(list)
	var out []string
	for i := 0; i < len(list); {
		j := i
		for j+1 < len(list) && list[j+1] == list[j]+1 {
			j++
		}
		if i == j {
			out = append(out, fmt.Sprintf("%s:%d", file, list[i]))
		} else {
			out = append(out, fmt.Sprintf("%s:%d-%d", file, list[i], list[j]))
		}
		i = j + 1
	}
	return out
}
