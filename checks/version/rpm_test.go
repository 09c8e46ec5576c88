package version

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// rpmVercmpCases are rpm 4.18's own tests (tests/rpmvercmp.at, which runs
// rpm.vercmp), including the "oddities" it documents in comments: non-ASCII
// characters are separators, so "1.1.α" equals "1.1.β".
var rpmVercmpCases = []struct {
	a, b string
	want int
}{
	{"1.0", "1.0", 0},
	{"1.0", "2.0", -1},
	{"2.0", "1.0", 1},
	{"2.0.1", "2.0.1", 0},
	{"2.0", "2.0.1", -1},
	{"2.0.1", "2.0", 1},
	{"2.0.1a", "2.0.1a", 0},
	{"2.0.1a", "2.0.1", 1},
	{"2.0.1", "2.0.1a", -1},
	{"5.5p1", "5.5p1", 0},
	{"5.5p1", "5.5p2", -1},
	{"5.5p2", "5.5p1", 1},
	{"5.5p10", "5.5p10", 0},
	{"5.5p1", "5.5p10", -1},
	{"5.5p10", "5.5p1", 1},
	{"10xyz", "10.1xyz", -1},
	{"10.1xyz", "10xyz", 1},
	{"xyz10", "xyz10", 0},
	{"xyz10", "xyz10.1", -1},
	{"xyz10.1", "xyz10", 1},
	{"xyz.4", "xyz.4", 0},
	{"xyz.4", "8", -1},
	{"8", "xyz.4", 1},
	{"xyz.4", "2", -1},
	{"2", "xyz.4", 1},
	{"5.5p2", "5.6p1", -1},
	{"5.6p1", "5.5p2", 1},
	{"5.6p1", "6.5p1", -1},
	{"6.5p1", "5.6p1", 1},
	{"6.0.rc1", "6.0", 1},
	{"6.0", "6.0.rc1", -1},
	{"10b2", "10a1", 1},
	{"10a2", "10b2", -1},
	{"1.0aa", "1.0aa", 0},
	{"1.0a", "1.0aa", -1},
	{"1.0aa", "1.0a", 1},
	{"10.0001", "10.0001", 0},
	{"10.0001", "10.1", 0},
	{"10.1", "10.0001", 0},
	{"10.0001", "10.0039", -1},
	{"10.0039", "10.0001", 1},
	{"4.999.9", "5.0", -1},
	{"5.0", "4.999.9", 1},
	{"20101121", "20101121", 0},
	{"20101121", "20101122", -1},
	{"20101122", "20101121", 1},
	{"2_0", "2_0", 0},
	{"2.0", "2_0", 0},
	{"2_0", "2.0", 0},
	{"a", "a", 0},
	{"a+", "a+", 0},
	{"a+", "a_", 0},
	{"a_", "a+", 0},
	{"+a", "+a", 0},
	{"+a", "_a", 0},
	{"_a", "+a", 0},
	{"+_", "+_", 0},
	{"_+", "+_", 0},
	{"_+", "_+", 0},
	{"+", "_", 0},
	{"_", "+", 0},
	{"1.0~rc1", "1.0~rc1", 0},
	{"1.0~rc1", "1.0", -1},
	{"1.0", "1.0~rc1", 1},
	{"1.0~rc1", "1.0~rc2", -1},
	{"1.0~rc2", "1.0~rc1", 1},
	{"1.0~rc1~git123", "1.0~rc1~git123", 0},
	{"1.0~rc1~git123", "1.0~rc1", -1},
	{"1.0~rc1", "1.0~rc1~git123", 1},
	{"1.0^", "1.0^", 0},
	{"1.0^", "1.0", 1},
	{"1.0", "1.0^", -1},
	{"1.0^git1", "1.0^git1", 0},
	{"1.0^git1", "1.0", 1},
	{"1.0", "1.0^git1", -1},
	{"1.0^git1", "1.0^git2", -1},
	{"1.0^git2", "1.0^git1", 1},
	{"1.0^git1", "1.01", -1},
	{"1.01", "1.0^git1", 1},
	{"1.0^20160101", "1.0^20160101", 0},
	{"1.0^20160101", "1.0.1", -1},
	{"1.0.1", "1.0^20160101", 1},
	{"1.0^20160101^git1", "1.0^20160101^git1", 0},
	{"1.0^20160102", "1.0^20160101^git1", 1},
	{"1.0^20160101^git1", "1.0^20160102", -1},
	{"1.0~rc1^git1", "1.0~rc1^git1", 0},
	{"1.0~rc1^git1", "1.0~rc1", 1},
	{"1.0~rc1", "1.0~rc1^git1", -1},
	{"1.0^git1~pre", "1.0^git1~pre", 0},
	{"1.0^git1", "1.0^git1~pre", 1},
	{"1.0^git1~pre", "1.0^git1", -1},
	{"1b.fc17", "1b.fc17", 0},
	{"1b.fc17", "1.fc17", -1},
	{"1.fc17", "1b.fc17", 1},
	{"1g.fc17", "1g.fc17", 0},
	{"1g.fc17", "1.fc17", 1},
	{"1.fc17", "1g.fc17", -1},
	{"1.1.α", "1.1.α", 0},
	{"1.1.α", "1.1.β", 0},
	{"1.1.β", "1.1.α", 0},
	{"1.1.αα", "1.1.α", 0},
	{"1.1.α", "1.1.ββ", 0},
	{"1.1.ββ", "1.1.αα", 0},
}

func TestCompareRPMUpstreamCases(t *testing.T) {
	for _, tt := range rpmVercmpCases {
		got, err := CompareRPM(tt.a, tt.b)
		if err != nil || got != tt.want {
			t.Errorf("CompareRPM(%q, %q) = %d, %v; want %d", tt.a, tt.b, got, err, tt.want)
		}
	}
}

func TestParseRPM(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want RPMVersion
	}{
		{"1.0", RPMVersion{Version: "1.0"}},
		{"1.0-1.fc35", RPMVersion{Version: "1.0", Release: "1.fc35", HasRelease: true}},
		{"2:1.0-1", RPMVersion{Epoch: "2", HasEpoch: true, Version: "1.0", Release: "1", HasRelease: true}},
		{":1.0", RPMVersion{Epoch: "0", HasEpoch: true, Version: "1.0"}},
		{"1:2:3", RPMVersion{Epoch: "1", HasEpoch: true, Version: "2:3"}},
		{"a:1", RPMVersion{Version: "a:1"}},
		{"1.0-2-3", RPMVersion{Version: "1.0-2", Release: "3", HasRelease: true}},
		{"1.0-", RPMVersion{Version: "1.0", Release: "", HasRelease: true}},
		{"-1", RPMVersion{Version: "", Release: "1", HasRelease: true}},
		{"1:", RPMVersion{Epoch: "1", HasEpoch: true}},
		{"007:1", RPMVersion{Epoch: "007", HasEpoch: true, Version: "1"}},
	} {
		got, err := ParseRPM(tt.in)
		if err != nil {
			t.Errorf("ParseRPM(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseRPM(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
	for _, bad := range []string{"", "1.0\x00"} {
		_, err := ParseRPM(bad)
		var verr *Error
		if !errors.As(err, &verr) || verr.Scheme != RPM {
			t.Errorf("ParseRPM(%q): error %v, want an *Error", bad, err)
		}
	}
}

func TestCompareRPMEVR(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		// A missing epoch is 0; epochs compare as rpmvercmp numbers.
		{"0:1.0", "1.0", 0},
		{":1.0", "1.0", 0},
		{"1:1.0", "2.0", 1},
		{"007:1", "7:1", 0},
		{"10:1", "9:1", 1},
		// A release makes a version newer than the same without one.
		{"1.0-1", "1.0", 1},
		{"1.0", "1.0-1", -1},
		{"1.0-", "1.0", 1},
		{"1.0-", "1.0-0", -1},
		{"1.0-1", "1.0-1", 0},
		{"1.0-1.el9", "1.0-1.el9_2", -1},
		{"1.0-10.fc35", "1.0-9.fc35", 1},
		// The version decides before the release.
		{"1.1-1", "1.0-9", 1},
		{"5.1.8-2.fc35", "5.1.8-10.fc35", -1},
		{"1:", "1:", 0},
	} {
		got, err := CompareRPM(tt.a, tt.b)
		if err != nil || got != tt.want {
			t.Errorf("CompareRPM(%q, %q) = %d, %v; want %d", tt.a, tt.b, got, err, tt.want)
		}
	}
}

func TestCompareRPMOrder(t *testing.T) {
	// Checked pair by pair with rpm.vercmp.
	checkAscending(t, RPM, []string{
		"~~1",
		"~",
		"~1",
		"_ = + = .",
		"^",
		"a",
		"1.0~rc1~git1",
		"1.0~rc1",
		"1.0~rc1^git1",
		"1.0~rc2",
		"1.0 = 1_0 = 1.00 = 0:1.0 = 01.0",
		"1.0-1",
		"1.0-1.el9",
		"1.0-1.el9_2",
		"1.0-2",
		"1.0^",
		"1.0^git1~pre",
		"1.0^git1",
		"1.0^git2",
		"1.0a",
		"1.0.1",
		"1.01.1",
		"1.10",
		"99999999999999999999999999",
		"100000000000000000000000000",
		"1:0",
		"1:1.0-1",
	})
}
