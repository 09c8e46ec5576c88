package version

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseSemVer(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want SemVerVersion
	}{
		{"0.0.4", SemVerVersion{Major: "0", Minor: "0", Patch: "4"}},
		{"v1.2.3", SemVerVersion{Major: "1", Minor: "2", Patch: "3"}},
		{"10.20.30", SemVerVersion{Major: "10", Minor: "20", Patch: "30"}},
		{"1.1.2-prerelease+meta", SemVerVersion{"1", "1", "2", []string{"prerelease"}, "meta"}},
		{"1.0.0-alpha.1", SemVerVersion{"1", "0", "0", []string{"alpha", "1"}, ""}},
		{"1.0.0-alpha-a.b-c-somethinglong+build.1-aef.1-its-okay", SemVerVersion{"1", "0", "0", []string{"alpha-a", "b-c-somethinglong"}, "build.1-aef.1-its-okay"}},
		{"1.0.0+0.build.1-rc.10000aaa-kk-0.1", SemVerVersion{"1", "0", "0", nil, "0.build.1-rc.10000aaa-kk-0.1"}},
		{"1.2.3----RC-SNAPSHOT.12.9.1--.12+788", SemVerVersion{"1", "2", "3", []string{"---RC-SNAPSHOT", "12", "9", "1--", "12"}, "788"}},
		{"1.0.0-0A.is.legal", SemVerVersion{"1", "0", "0", []string{"0A", "is", "legal"}, ""}},
		{"99999999999999999999999.999999999999999999.99999999999999999", SemVerVersion{Major: "99999999999999999999999", Minor: "999999999999999999", Patch: "99999999999999999"}},
	} {
		got, err := ParseSemVer(tt.in)
		if err != nil {
			t.Errorf("ParseSemVer(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseSemVer(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParseSemVerInvalid(t *testing.T) {
	// The invalid examples listed with semver.org's reference regular
	// expression, plus the forms this parser adds (the "v").
	for _, tt := range []struct{ in, reason string }{
		{"", "empty version"},
		{"v", "empty version"},
		{"1", "want MAJOR.MINOR.PATCH"},
		{"1.2", "want MAJOR.MINOR.PATCH"},
		{"1.2.3.4", "want MAJOR.MINOR.PATCH"},
		{"vv1.2.3", "major version is not a number"},
		{"V1.2.3", "major version is not a number"},
		{"1.2.3-0123", `pre-release: numeric identifier "0123" has a leading zero`},
		{"1.2.3-0123.0123", `pre-release: numeric identifier "0123" has a leading zero`},
		{"1.1.2+.123", "build metadata: empty identifier"},
		{"+invalid", "want MAJOR.MINOR.PATCH"},
		{"-invalid", "want MAJOR.MINOR.PATCH"},
		{"-invalid+invalid", "want MAJOR.MINOR.PATCH"},
		{"alpha", "want MAJOR.MINOR.PATCH"},
		{"alpha.beta.1", "major version is not a number"},
		{"1.0.0-alpha_beta", `pre-release: identifier "alpha_beta" has a character outside [0-9A-Za-z-]`},
		{"-alpha.", "pre-release: empty identifier"},
		{"1.0.0-alpha..", "pre-release: empty identifier"},
		{"1.0.0-alpha..1", "pre-release: empty identifier"},
		{"1.0.0-", "pre-release: empty identifier"},
		{"1.0.0+", "build metadata: empty identifier"},
		{"01.1.1", "major version has a leading zero"},
		{"1.01.1", "minor version has a leading zero"},
		{"1.1.01", "patch version has a leading zero"},
		{"1.2.3.DEV", "want MAJOR.MINOR.PATCH"},
		{"1.2-SNAPSHOT", "want MAJOR.MINOR.PATCH"},
		{"1.2.31.2.3----RC-SNAPSHOT.12.09.1--..12+788", `pre-release: numeric identifier "09" has a leading zero`},
		{"+justmeta", "want MAJOR.MINOR.PATCH"},
		{"9.8.7+meta+meta", `build metadata: identifier "meta+meta" has a character outside [0-9A-Za-z-]`},
		{"9.8.7-whatever+meta+meta", `build metadata: identifier "meta+meta" has a character outside [0-9A-Za-z-]`},
		{"1.2.3 ", "patch version is not a number"},
		{"1..3", "minor version is not a number"},
		{"1.2.-3", "patch version is not a number"},
		{"1.2.3-é", `pre-release: identifier "é" has a character outside [0-9A-Za-z-]`},
	} {
		_, err := ParseSemVer(tt.in)
		var verr *Error
		if !errors.As(err, &verr) || verr.Reason != tt.reason || verr.Scheme != SemVer {
			t.Errorf("ParseSemVer(%q): error %v, want %q", tt.in, err, tt.reason)
		}
	}
}

func TestCompareSemVerOrder(t *testing.T) {
	// The precedence examples of semver.org items 11.2 and 11.4, and more.
	checkAscending(t, SemVer, []string{
		"0.0.0-0",
		"0.0.0",
		"0.9.9",
		"1.0.0-0",
		"1.0.0-2",
		"1.0.0-10",
		"1.0.0-A",
		"1.0.0-alpha = v1.0.0-alpha = 1.0.0-alpha+build.1",
		"1.0.0-alpha.1",
		"1.0.0-alpha.beta",
		"1.0.0-beta",
		"1.0.0-beta.2",
		"1.0.0-beta.11",
		"1.0.0-beta.11.0",
		"1.0.0-rc.1",
		"1.0.0 = v1.0.0 = 1.0.0+20130313144700 = 1.0.0+exp.sha.5114f85",
		"1.0.1",
		"1.9.0",
		"1.10.0",
		"1.11.0",
		"2.0.0",
		"2.1.0",
		"2.1.1",
		"18446744073709551616.0.0",
	})
}
