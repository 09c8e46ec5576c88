// Package version compares package versions exactly as the package managers
// do: dpkg, rpm and apk-tools, plus Semantic Versioning 2.0.0 for software
// that follows it.
//
// Each scheme is a port of the tool's own comparison (cited in its file),
// checked against the tool itself where it is installed (dpkg
// --compare-versions, rpm's rpm.vercmp) and against the tool's own test data.
// A version the tool would reject, or that the scheme's syntax forbids, is an
// error rather than a guess: a compliance rule must never pass on a version
// that was not understood.
package version

import (
	"fmt"
	"strings"
)

// The schemes Compare knows.
const (
	// Dpkg is Debian's scheme: [epoch:]upstream[-revision] (deb-version(5)).
	Dpkg = "dpkg"
	// RPM is rpm's scheme: [epoch:]version[-release], compared as
	// rpm.vercmp and rpmdev-vercmp do.
	RPM = "rpm"
	// Apk is Alpine's apk-tools 2.x scheme (Gentoo-like:
	// 1.2.3a_rc1_p2-r4).
	Apk = "apk"
	// SemVer is Semantic Versioning 2.0.0, with an optional leading "v".
	SemVer = "semver"
)

// Schemes lists the schemes Compare accepts, sorted.
func Schemes() []string { return []string{Apk, Dpkg, RPM, SemVer} }

// Compare compares versions a and b under scheme and returns -1 when a is
// older than b, 0 when they are equal in the scheme's ordering and 1 when a
// is newer. It returns an error (a *Error for an invalid version) for an
// unknown scheme or when either version is invalid in that scheme.
func Compare(scheme, a, b string) (int, error) {
	switch scheme {
	case Dpkg:
		return CompareDpkg(a, b)
	case RPM:
		return CompareRPM(a, b)
	case Apk:
		return CompareApk(a, b)
	case SemVer:
		return CompareSemVer(a, b)
	}
	return 0, fmt.Errorf("version: unknown scheme %q (known: %s)", scheme, strings.Join(Schemes(), ", "))
}

// Error reports a version that is invalid in its scheme.
type Error struct {
	// Scheme is the scheme the version was read in.
	Scheme string
	// Version is the version as given.
	Version string
	// Reason says what is wrong, in the tool's words where it has them.
	Reason string
}

func (e *Error) Error() string {
	return fmt.Sprintf("version: invalid %s version %q: %s", e.Scheme, e.Version, e.Reason)
}

// sign maps a comparison result to -1, 0 or 1.
func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isAlnum(c byte) bool { return isDigit(c) || isAlpha(c) }
