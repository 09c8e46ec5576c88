package version

import "strings"

// SemVerVersion is a parsed Semantic Versioning 2.0.0 version.
type SemVerVersion struct {
	// Major, Minor and Patch are the numbers, as written (no leading
	// zeros, any length).
	Major, Minor, Patch string
	// Prerelease holds the dot-separated identifiers after "-", nil for a
	// release.
	Prerelease []string
	// Build is the build metadata after "+" ("" for none); it plays no
	// part in precedence.
	Build string
}

// ParseSemVer parses a version by the grammar of semver.org 2.0.0, after
// an optional leading "v" (v1.2.3): three numeric identifiers without
// leading zeros, optional pre-release identifiers (non-empty, of
// [0-9A-Za-z-], numeric ones without leading zeros) and optional build
// identifiers (non-empty, of [0-9A-Za-z-]).
func ParseSemVer(s string) (SemVerVersion, error) {
	bad := func(why string) (SemVerVersion, error) {
		return SemVerVersion{}, &Error{Scheme: SemVer, Version: s, Reason: why}
	}
	rest := strings.TrimPrefix(s, "v")
	if rest == "" {
		return bad("empty version")
	}
	var v SemVerVersion
	if i := strings.IndexByte(rest, '+'); i >= 0 {
		v.Build = rest[i+1:]
		rest = rest[:i]
		if why := semverIdentifiers(v.Build, false); why != "" {
			return bad("build metadata: " + why)
		}
	}
	if i := strings.IndexByte(rest, '-'); i >= 0 {
		pre := rest[i+1:]
		rest = rest[:i]
		if why := semverIdentifiers(pre, true); why != "" {
			return bad("pre-release: " + why)
		}
		v.Prerelease = strings.Split(pre, ".")
	}
	core := strings.Split(rest, ".")
	if len(core) != 3 {
		return bad("want MAJOR.MINOR.PATCH")
	}
	for k, name := range [3]string{"major", "minor", "patch"} {
		n := core[k]
		if n == "" || !semverNumeric(n) {
			return bad(name + " version is not a number")
		}
		if len(n) > 1 && n[0] == '0' {
			return bad(name + " version has a leading zero")
		}
	}
	v.Major, v.Minor, v.Patch = core[0], core[1], core[2]
	return v, nil
}

// semverIdentifiers checks a dot-separated list of identifiers; numeric
// identifiers of a pre-release must not have leading zeros.
func semverIdentifiers(s string, prerelease bool) string {
	for _, id := range strings.Split(s, ".") {
		if id == "" {
			return "empty identifier"
		}
		for i := 0; i < len(id); i++ {
			if c := id[i]; !isAlnum(c) && c != '-' {
				return "identifier " + quote(id) + " has a character outside [0-9A-Za-z-]"
			}
		}
		if prerelease && len(id) > 1 && id[0] == '0' && semverNumeric(id) {
			return "numeric identifier " + quote(id) + " has a leading zero"
		}
	}
	return ""
}

func quote(s string) string { return `"` + s + `"` }

func semverNumeric(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

// semverCompareNumbers compares decimal numbers without leading zeros, of
// any length.
func semverCompareNumbers(a, b string) int {
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

// CompareSemVer compares two versions by Semantic Versioning 2.0.0
// precedence (semver.org, item 11): major, minor and patch numerically; a
// pre-release is older than its release; pre-release identifiers compare
// numerically when both are numeric, in ASCII order when both are not, a
// numeric identifier being older than an alphanumeric one, and a longer
// list newer when all before are equal. Build metadata is ignored, so
// 1.0.0+a equals 1.0.0+b. An invalid version is an error.
func CompareSemVer(a, b string) (int, error) {
	va, err := ParseSemVer(a)
	if err != nil {
		return 0, err
	}
	vb, err := ParseSemVer(b)
	if err != nil {
		return 0, err
	}
	return va.Compare(vb), nil
}

// Compare orders v against w by precedence: -1, 0 or 1.
func (v SemVerVersion) Compare(w SemVerVersion) int {
	for _, p := range [3][2]string{{v.Major, w.Major}, {v.Minor, w.Minor}, {v.Patch, w.Patch}} {
		if rc := semverCompareNumbers(p[0], p[1]); rc != 0 {
			return rc
		}
	}
	switch {
	case v.Prerelease == nil && w.Prerelease == nil:
		return 0
	case v.Prerelease == nil:
		return 1
	case w.Prerelease == nil:
		return -1
	}
	for i := 0; i < len(v.Prerelease) && i < len(w.Prerelease); i++ {
		x, y := v.Prerelease[i], w.Prerelease[i]
		xn, yn := semverNumeric(x), semverNumeric(y)
		var rc int
		switch {
		case xn && yn:
			rc = semverCompareNumbers(x, y)
		case xn:
			rc = -1
		case yn:
			rc = 1
		default:
			rc = strings.Compare(x, y)
		}
		if rc != 0 {
			return rc
		}
	}
	return sign(len(v.Prerelease) - len(w.Prerelease))
}
