package version

import (
	"errors"
	"strings"
	"testing"
)

func TestCompareDispatch(t *testing.T) {
	// The same pair orders differently by scheme: the dispatch must reach
	// each scheme's own rules.
	for _, tt := range []struct {
		scheme, a, b string
		want         int
	}{
		{Dpkg, "1.0~rc1", "1.0", -1},
		{RPM, "1.0~rc1", "1.0", -1},
		{Dpkg, "1.0a", "1.0+", -1}, // letters sort before other characters
		{RPM, "1.0a", "1.0+", 1},   // rpm ignores "+", and "1.0a" has more
		{Apk, "1.0_rc1", "1.0", -1},
		{Apk, "1.0_p1", "1.0", 1},
		{SemVer, "1.0.0-rc.1", "1.0.0", -1},
		{SemVer, "v1.0.0+build.5", "1.0.0", 0},
		{Dpkg, "1.0", "1.00", 0},
		{RPM, "1.0", "1.00", 0},
		{Apk, "1.0", "1.00", 1}, // apk-tools: "1.00" is 1, -1 (a leading zero counts)
	} {
		got, err := Compare(tt.scheme, tt.a, tt.b)
		if err != nil || got != tt.want {
			t.Errorf("Compare(%q, %q, %q) = %d, %v; want %d", tt.scheme, tt.a, tt.b, got, err, tt.want)
		}
	}
}

func TestCompareUnknownScheme(t *testing.T) {
	for _, scheme := range []string{"", "deb", "DPKG", "pacman"} {
		_, err := Compare(scheme, "1", "2")
		if err == nil || !strings.Contains(err.Error(), `unknown scheme "`+scheme+`"`) || !strings.Contains(err.Error(), "apk, dpkg, rpm, semver") {
			t.Errorf("Compare(%q): error %v, want unknown scheme naming the known ones", scheme, err)
		}
		var verr *Error
		if errors.As(err, &verr) {
			t.Errorf("Compare(%q): an unknown scheme is not an invalid version", scheme)
		}
	}
}

func TestCompareInvalidIsAnError(t *testing.T) {
	for _, tt := range []struct{ scheme, bad, reason string }{
		{Dpkg, "1:", "nothing after colon in version number"},
		{Dpkg, "abc", "version number does not start with digit"},
		{RPM, "", "empty version"},
		{Apk, "1.0-foo", "apk-tools rejects it"},
		{SemVer, "1.0", "want MAJOR.MINOR.PATCH"},
	} {
		for _, order := range [][2]string{{tt.bad, "1.0.0"}, {"1.0.0", tt.bad}} {
			got, err := Compare(tt.scheme, order[0], order[1])
			var verr *Error
			if !errors.As(err, &verr) || verr.Scheme != tt.scheme || verr.Version != tt.bad || !strings.Contains(verr.Reason, tt.reason) {
				t.Errorf("Compare(%q, %q, %q) = %d, %v; want an *Error for %q: %s", tt.scheme, order[0], order[1], got, err, tt.bad, tt.reason)
			}
			if got != 0 {
				t.Errorf("Compare(%q, %q, %q) returned %d with its error", tt.scheme, order[0], order[1], got)
			}
		}
	}
	err := &Error{Scheme: Dpkg, Version: "1:", Reason: "nothing after colon in version number"}
	if want := `version: invalid dpkg version "1:": nothing after colon in version number`; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
}

// checkAscending asserts that every version of list compares as its
// position says against every other: the list is strictly ascending, except
// that entries joined by "=" in one string are equal.
func checkAscending(t *testing.T, scheme string, list []string) {
	t.Helper()
	type entry struct {
		v    string
		rank int
	}
	var entries []entry
	for rank, group := range list {
		for _, v := range strings.Split(group, " = ") {
			entries = append(entries, entry{v, rank})
		}
	}
	for _, x := range entries {
		for _, y := range entries {
			want := sign(x.rank - y.rank)
			got, err := Compare(scheme, x.v, y.v)
			if err != nil || got != want {
				t.Errorf("%s: Compare(%q, %q) = %d, %v; want %d", scheme, x.v, y.v, got, err, want)
			}
		}
	}
}
