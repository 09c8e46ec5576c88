package version

import (
	"math"
	"strings"
)

// DpkgVersion is a parsed Debian version: [epoch:]upstream[-revision].
type DpkgVersion struct {
	// Epoch is the number before the first colon, 0 when there is none.
	Epoch int
	// Upstream is the part between the epoch and the last hyphen.
	Upstream string
	// Revision is the part after the last hyphen, "" when there is none.
	Revision string
}

// ParseDpkg parses a Debian version as dpkg's parseversion does
// (lib/dpkg/parsehelp.c, dpkg 1.21): blanks around the version are ignored,
// the epoch is a non-negative number no larger than INT_MAX, the revision
// follows the last hyphen and must not be empty.
//
// dpkg only warns when the upstream version does not start with a digit or
// when the upstream version or revision holds a character outside
// [A-Za-z0-9.+~] (plus "-" and ":" in the upstream version); `dpkg
// --compare-versions` then compares anyway, while dpkg reading its database
// rejects the version. ParseDpkg rejects it too: such a version has no
// defined place in the ordering.
func ParseDpkg(s string) (DpkgVersion, error) {
	bad := func(why string) (DpkgVersion, error) {
		return DpkgVersion{}, &Error{Scheme: Dpkg, Version: s, Reason: why}
	}
	str := strings.TrimLeft(s, " \t")
	if str == "" {
		return bad("version string is empty")
	}
	end := strings.IndexAny(str, " \t")
	if end < 0 {
		end = len(str)
	} else if strings.TrimLeft(str[end:], " \t") != "" {
		return bad("version string has embedded spaces")
	}

	var v DpkgVersion
	start := 0
	if colon := strings.IndexByte(str, ':'); colon >= 0 {
		epoch, stop, overflow := dpkgStrtol(str)
		if stop == 0 {
			return bad("epoch in version is empty")
		}
		if stop != colon {
			return bad("epoch in version is not number")
		}
		if epoch < 0 {
			return bad("epoch in version is negative")
		}
		if overflow || epoch > math.MaxInt32 {
			return bad("epoch in version is too big")
		}
		if colon+1 == len(str) {
			return bad("nothing after colon in version number")
		}
		v.Epoch = int(epoch)
		start = colon + 1
	}
	// The version runs to the first blank; start can lie beyond it only
	// when blanks follow the colon ("1: "), leaving the version empty.
	upstream := ""
	if start < end {
		upstream = str[start:end]
	}
	if h := strings.LastIndexByte(upstream, '-'); h >= 0 {
		v.Revision = upstream[h+1:]
		upstream = upstream[:h]
		if v.Revision == "" {
			return bad("revision number is empty")
		}
	}
	v.Upstream = upstream
	if upstream == "" {
		return bad("version number is empty")
	}
	if !isDigit(upstream[0]) {
		return bad("version number does not start with digit")
	}
	for i := 1; i < len(upstream); i++ {
		if c := upstream[i]; !isAlnum(c) && strings.IndexByte(".-+~:", c) < 0 {
			return bad("invalid character in version number")
		}
	}
	for i := 0; i < len(v.Revision); i++ {
		if c := v.Revision[i]; !isAlnum(c) && strings.IndexByte(".+~", c) < 0 {
			return bad("invalid character in revision number")
		}
	}
	return v, nil
}

// dpkgStrtol is C's strtol(s, &end, 10) as dpkg calls it for the epoch:
// leading white space, an optional sign, decimal digits. stop is the index
// where the number ends, 0 when there is no number (strtol then points end
// at s); overflow is strtol's ERANGE.
func dpkgStrtol(s string) (n int64, stop int, overflow bool) {
	i := 0
	for i < len(s) && (s[i] == ' ' || '\t' <= s[i] && s[i] <= '\r') {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	digits := i
	for i < len(s) && isDigit(s[i]) {
		if n > (math.MaxInt64-int64(s[i]-'0'))/10 {
			overflow = true
		} else {
			n = n*10 + int64(s[i]-'0')
		}
		i++
	}
	if i == digits {
		return 0, 0, false
	}
	if neg {
		n = -n
	}
	return n, i, overflow
}

// CompareDpkg compares two Debian versions as dpkg_version_compare does:
// the epochs numerically, then the upstream versions and the revisions with
// verrevcmp. An invalid version (see ParseDpkg) is an error.
func CompareDpkg(a, b string) (int, error) {
	va, err := ParseDpkg(a)
	if err != nil {
		return 0, err
	}
	vb, err := ParseDpkg(b)
	if err != nil {
		return 0, err
	}
	return va.Compare(vb), nil
}

// Compare orders v against w: -1, 0 or 1.
func (v DpkgVersion) Compare(w DpkgVersion) int {
	if v.Epoch != w.Epoch {
		if v.Epoch > w.Epoch {
			return 1
		}
		return -1
	}
	if rc := dpkgVerrevcmp(v.Upstream, w.Upstream); rc != 0 {
		return sign(rc)
	}
	return sign(dpkgVerrevcmp(v.Revision, w.Revision))
}

// dpkgOrder is dpkg's order(): the weight of a character in a non-digit
// run. The end of the string weighs 0, like a digit, so that "~" (-1) sorts
// before it and every other character after it, letters before the rest.
func dpkgOrder(s string, i int) int {
	if i >= len(s) {
		return 0
	}
	switch c := s[i]; {
	case isDigit(c):
		return 0
	case isAlpha(c):
		return int(c)
	case c == '~':
		return -1
	default:
		return int(c) + 256
	}
}

// dpkgVerrevcmp is dpkg's verrevcmp (lib/dpkg/version.c): alternating
// non-digit runs, compared character by character by dpkgOrder, and digit
// runs, compared numerically (leading zeros ignored, any length).
func dpkgVerrevcmp(a, b string) int {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		firstDiff := 0
		for i < len(a) && !isDigit(a[i]) || j < len(b) && !isDigit(b[j]) {
			ac, bc := dpkgOrder(a, i), dpkgOrder(b, j)
			if ac != bc {
				return ac - bc
			}
			i++
			j++
		}
		for i < len(a) && a[i] == '0' {
			i++
		}
		for j < len(b) && b[j] == '0' {
			j++
		}
		for i < len(a) && isDigit(a[i]) && j < len(b) && isDigit(b[j]) {
			if firstDiff == 0 {
				firstDiff = int(a[i]) - int(b[j])
			}
			i++
			j++
		}
		if i < len(a) && isDigit(a[i]) {
			return 1
		}
		if j < len(b) && isDigit(b[j]) {
			return -1
		}
		if firstDiff != 0 {
			return firstDiff
		}
	}
	return 0
}
