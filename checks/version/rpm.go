package version

import "strings"

// RPMVersion is a parsed rpm EVR: [epoch:]version[-release].
type RPMVersion struct {
	// Epoch is the digits before the first colon ("0" for "" as in ":1");
	// HasEpoch is false when there is no epoch, which compares as "0".
	Epoch    string
	HasEpoch bool
	// Version is the part between the epoch and the last hyphen.
	Version string
	// Release is the part after the last hyphen; HasRelease is false when
	// there is no hyphen.
	Release    string
	HasRelease bool
}

// ParseRPM splits an EVR as rpm's parseEVR does (rpmio/rpmver.c, rpm 4.18):
// the epoch is the leading digits when a colon follows them, the release
// what follows the last hyphen. rpm accepts any string but the empty one
// (rpm.vercmp raises "invalid version"); a NUL byte cannot occur in rpm's C
// strings and is an error too.
func ParseRPM(s string) (RPMVersion, error) {
	if s == "" {
		return RPMVersion{}, &Error{Scheme: RPM, Version: s, Reason: "empty version"}
	}
	if strings.IndexByte(s, 0) >= 0 {
		return RPMVersion{}, &Error{Scheme: RPM, Version: s, Reason: "NUL byte"}
	}
	var v RPMVersion
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	// The release hyphen is searched from the end of the epoch digits.
	se := strings.LastIndexByte(s[i:], '-')
	if se >= 0 {
		se += i
	}
	vs := 0
	if i < len(s) && s[i] == ':' {
		v.HasEpoch = true
		v.Epoch = s[:i]
		if v.Epoch == "" {
			v.Epoch = "0"
		}
		vs = i + 1
	}
	if se >= 0 {
		v.Version = s[vs:se]
		v.Release = s[se+1:]
		v.HasRelease = true
	} else {
		v.Version = s[vs:]
	}
	return v, nil
}

// CompareRPM compares two EVRs as rpm's rpmverCmp does (the comparison of
// rpm.vercmp, `rpm --eval '%{lua: print(rpm.vercmp(a, b))}'` and
// rpmdev-vercmp): epochs (a missing one is "0"), then versions, then
// releases, each with rpmvercmp. A version with a release is newer than the
// same version without one ("1.0-1" > "1.0"); this is a total order, unlike
// rpm's dependency matching, where "= 1.0" is satisfied by any release.
func CompareRPM(a, b string) (int, error) {
	va, err := ParseRPM(a)
	if err != nil {
		return 0, err
	}
	vb, err := ParseRPM(b)
	if err != nil {
		return 0, err
	}
	return va.Compare(vb), nil
}

// Compare orders v against w as rpmverCmp: -1, 0 or 1.
func (v RPMVersion) Compare(w RPMVersion) int {
	e1, e2 := "0", "0"
	if v.HasEpoch {
		e1 = v.Epoch
	}
	if w.HasEpoch {
		e2 = w.Epoch
	}
	if rc := RPMVercmp(e1, e2); rc != 0 {
		return rc
	}
	if rc := RPMVercmp(v.Version, w.Version); rc != 0 {
		return rc
	}
	switch {
	case v.HasRelease && w.HasRelease:
		return RPMVercmp(v.Release, w.Release)
	case v.HasRelease:
		return 1
	case w.HasRelease:
		return -1
	}
	return 0
}

// RPMVercmp is rpm's rpmvercmp (rpmio/rpmvercmp.c), which compares one
// version or release string: runs of ASCII letters or digits separated by
// anything else, digits compared numerically (leading zeros ignored) and
// newer than letters, letters compared as strings; "~" sorts before
// everything, even the end of the string, and "^" after the end but before
// any further segment. The separators themselves do not count ("1.0" equals
// "1_0"). The result is -1, 0 or 1.
func RPMVercmp(a, b string) int {
	if a == b {
		return 0
	}
	// at returns the byte at i, or 0 past the end, as C's terminator.
	at := func(s string, i int) byte {
		if i < len(s) {
			return s[i]
		}
		return 0
	}
	one, two := 0, 0
	for one < len(a) || two < len(b) {
		for one < len(a) && !isAlnum(a[one]) && a[one] != '~' && a[one] != '^' {
			one++
		}
		for two < len(b) && !isAlnum(b[two]) && b[two] != '~' && b[two] != '^' {
			two++
		}
		c1, c2 := at(a, one), at(b, two)

		// The tilde separator sorts before everything else.
		if c1 == '~' || c2 == '~' {
			if c1 != '~' {
				return 1
			}
			if c2 != '~' {
				return -1
			}
			one++
			two++
			continue
		}
		// The caret is like the tilde, except that a string that ends
		// (the base version) is older than one with a caret.
		if c1 == '^' || c2 == '^' {
			if c1 == 0 {
				return -1
			}
			if c2 == 0 {
				return 1
			}
			if c1 != '^' {
				return 1
			}
			if c2 != '^' {
				return -1
			}
			one++
			two++
			continue
		}
		if c1 == 0 || c2 == 0 {
			break
		}

		// Take the segment of the kind a's begins with from both.
		str1, str2 := one, two
		isnum := isDigit(c1)
		if isnum {
			for str1 < len(a) && isDigit(a[str1]) {
				str1++
			}
			for str2 < len(b) && isDigit(b[str2]) {
				str2++
			}
		} else {
			for str1 < len(a) && isAlpha(a[str1]) {
				str1++
			}
			for str2 < len(b) && isAlpha(b[str2]) {
				str2++
			}
		}
		// b's segment is empty when it is of the other kind: numbers
		// are newer than letters.
		if two == str2 {
			if isnum {
				return 1
			}
			return -1
		}
		s1, s2 := a[one:str1], b[two:str2]
		if isnum {
			s1 = strings.TrimLeft(s1, "0")
			s2 = strings.TrimLeft(s2, "0")
			if len(s1) != len(s2) {
				if len(s1) > len(s2) {
					return 1
				}
				return -1
			}
		}
		if s1 != s2 {
			if s1 < s2 {
				return -1
			}
			return 1
		}
		one, two = str1, str2
	}
	if one >= len(a) && two >= len(b) {
		return 0
	}
	if one >= len(a) {
		return -1
	}
	return 1
}
