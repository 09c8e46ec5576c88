package version

import "strings"

// Token types of apk-tools' version parser, in its order: a token may only
// be followed by one of a higher type, with the exceptions in apkNextToken.
const (
	apkInvalid = iota - 1
	apkDigitOrZero
	apkDigit
	apkLetter
	apkSuffix
	apkSuffixNo
	apkRevisionNo
	apkEnd
)

// Suffixes of apk-tools: the pre-release ones sort before the bare
// version, the others after it.
var (
	apkPreSuffixes  = [...]string{"alpha", "beta", "pre", "rc"}
	apkPostSuffixes = [...]string{"cvs", "svn", "git", "hg", "p"}
)

func isLower(c byte) bool { return 'a' <= c && c <= 'z' }

// apkNextToken is next_token of apk-tools 2.x (src/version.c): it reads
// the separator after a token and decides the type of the next one.
func apkNextToken(t *int, s *string) {
	n := apkInvalid
	b := *s
	switch {
	case len(b) == 0:
		n = apkEnd
	case (*t == apkDigit || *t == apkDigitOrZero) && isLower(b[0]):
		n = apkLetter
	case *t == apkLetter && isDigit(b[0]):
		n = apkDigit
	case *t == apkSuffix && isDigit(b[0]):
		n = apkSuffixNo
	default:
		switch b[0] {
		case '.':
			n = apkDigitOrZero
		case '_':
			n = apkSuffix
		case '-':
			if len(b) > 1 && b[1] == 'r' {
				n = apkRevisionNo
				b = b[1:]
			}
		}
		b = b[1:]
	}
	if n < *t {
		if !(n == apkDigitOrZero && *t == apkDigit ||
			n == apkSuffix && *t == apkSuffixNo ||
			n == apkDigit && *t == apkLetter) {
			n = apkInvalid
		}
	}
	*s = b
	*t = n
}

// apkGetToken is get_token of apk-tools 2.x: it returns the value of the
// token of type *t at the start of *s, consumes it and sets *t to the type
// of the next token.
func apkGetToken(t *int, s *string) int64 {
	b := *s
	if len(b) == 0 {
		*t = apkEnd
		return 0
	}
	i, nt := 0, apkInvalid
	var v int64
	invalid := func() int64 {
		*t = apkInvalid
		return -1
	}
	switch *t {
	case apkDigitOrZero, apkDigit, apkSuffixNo, apkRevisionNo:
		// After a dot, leading zeros get a special treatment: "1.05"
		// is 1, 0, 5 and "1.005" is 1, -1, 5.
		if *t == apkDigitOrZero && b[0] == '0' {
			for i+1 < len(b) && b[i+1] == '0' {
				i++
			}
			nt = apkDigit
			v = -int64(i)
			break
		}
		for i < len(b) && isDigit(b[i]) {
			v = v*10 + int64(b[i]-'0')
			i++
		}
		if i >= 18 {
			return invalid()
		}
	case apkLetter:
		v = int64(b[i])
		i++
	case apkSuffix:
		found := false
		for k, suf := range apkPreSuffixes {
			if strings.HasPrefix(b, suf) {
				v, i, found = int64(k-len(apkPreSuffixes)), len(suf), true
				break
			}
		}
		if !found {
			for k, suf := range apkPostSuffixes {
				if strings.HasPrefix(b, suf) {
					v, i, found = int64(k), len(suf), true
					break
				}
			}
		}
		if !found {
			return invalid()
		}
	default:
		return invalid()
	}
	b = b[i:]
	switch {
	case len(b) == 0:
		*t = apkEnd
	case nt != apkInvalid:
		*t = nt
	default:
		apkNextToken(t, &b)
	}
	*s = b
	return v
}

// ValidApk reports why s is not a valid apk version ("" when it is):
// apk_version_validate of apk-tools 2.x, which accepts
// {digit}{.digit}...{letter}{_suf{#}}...{-r#}, plus two rules of this
// package: the empty string (which apk-tools accepts, as the version of
// nothing) and NUL bytes (which end a C string) are refused.
func ValidApk(s string) string {
	if s == "" {
		return "empty version"
	}
	if strings.IndexByte(s, 0) >= 0 {
		return "NUL byte"
	}
	t := apkDigit
	for t != apkEnd && t != apkInvalid {
		apkGetToken(&t, &s)
	}
	if t != apkEnd {
		return "not {digit}{.digit}...{letter}{_suffix{#}}...{-r#} (apk-tools rejects it)"
	}
	return ""
}

// CompareApk compares two apk versions as apk-tools 2.x's
// apk_version_compare does (apk version -t): the numeric components, then
// a letter, then suffixes (_alpha < _beta < _pre < _rc < none < _cvs < _svn
// < _git < _hg < _p), then the -r revision. A version that apk-tools'
// validation rejects is an error.
func CompareApk(a, b string) (int, error) {
	for _, s := range [2]string{a, b} {
		if why := ValidApk(s); why != "" {
			return 0, &Error{Scheme: Apk, Version: s, Reason: why}
		}
	}
	return apkCompare(a, b), nil
}

// apkCompare is apk_version_compare_blob_fuzzy of apk-tools 2.x without
// fuzzy matching. It gives a result for any input, invalid versions
// included, exactly as apk version -t prints it.
func apkCompare(a, b string) int {
	at, bt := apkDigit, apkDigit
	var av, bv int64
	for at == bt && at != apkEnd && at != apkInvalid && av == bv {
		av = apkGetToken(&at, &a)
		bv = apkGetToken(&bt, &b)
	}
	// The value of this token differs?
	if av < bv {
		return -1
	}
	if av > bv {
		return 1
	}
	// Both at the end, or both invalid?
	if at == bt {
		return 0
	}
	// The leading components are equal: the longer version is newer
	// unless what it has more is a pre-release suffix.
	if tt := at; at == apkSuffix && apkGetToken(&tt, &a) < 0 {
		return -1
	}
	if tt := bt; bt == apkSuffix && apkGetToken(&tt, &b) < 0 {
		return 1
	}
	if at > bt {
		return -1
	}
	if bt > at {
		return 1
	}
	return 0
}
