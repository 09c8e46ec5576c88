package edit

import (
	"bytes"
	"fmt"
	"strings"
)

// KeyValueOptions describe a "key value" configuration format for
// SetKeyValue: /etc/login.defs (white space), sysctl.d, pwquality.conf,
// faillock.conf ("key = value"), and the like.
type KeyValueOptions struct {
	// Separator is written between key and value on lines SetKeyValue
	// writes: default " ", e.g. " = " or "=". It must be white space
	// around at most one "=", the only separators lines are read with, so
	// that what is written is found again on the next run.
	Separator string
	// CaseInsensitive makes keys match regardless of case (the key is
	// still written as the line or the caller spelled it).
	CaseInsensitive bool
	// CommentPrefixes start comment lines (after leading white space):
	// default ["#"]; sysctl.d also takes ";".
	CommentPrefixes []string
	// SysctlKeys compares keys as systemd-sysctl does: a leading "-" (which
	// only makes a failure to set the key non-fatal) is ignored, and "."
	// and "/" are both separators: "net.ipv4.ip_forward" and
	// "net/ipv4/ip_forward" are one key. As in sysctl_normalize(), when
	// the first separator is "." the two characters swap roles, so
	// "net.ipv4.conf.eth0/1.rp_filter" is "net/ipv4/conf/eth0.1/rp_filter"
	// (interface "eth0.1"). Glob keys ("net.ipv4.conf.*.rp_filter") are
	// other keys and are left alone.
	SysctlKeys bool
}

// SetKeyValue sets key to value in a "key value" file and returns the new
// content and whether it differs from content.
//
// Lines are read as "key value", "key=value" or "key = value" (leading
// white space is indentation; the key ends at white space or "="). Every
// uncommented line with the key whose value differs is rewritten as
// indentation, the line's own spelling of the key, opts.Separator and
// value — every one, because some readers take the first occurrence
// (login.defs' getdef) and others the last (systemd-sysctl), and both
// must see the value. A line whose value already is value (compared
// exactly, after trimming white space) is not touched, whatever its
// separator. When the key is absent, "key<Separator>value" is appended.
// Commented lines are never changed.
//
// It refuses keys that are empty, contain white space or "=", or start
// with a comment prefix; values that are empty, span lines or have
// leading or trailing white space (see the package comment); separators
// that could not be read back; and content containing NUL bytes.
func SetKeyValue(content []byte, key, value string, opts KeyValueOptions) ([]byte, bool, error) {
	if err := checkKey(key); err != nil {
		return nil, false, err
	}
	if err := checkValue(key, value); err != nil {
		return nil, false, err
	}
	sep := opts.Separator
	if sep == "" {
		sep = " "
	}
	if err := checkText("separator", sep); err != nil {
		return nil, false, err
	}
	if core := strings.Trim(sep, " \t"); core != "" && core != "=" {
		return nil, false, fmt.Errorf("edit: separator %q is not white space around at most one \"=\"", sep)
	}
	prefixes := opts.CommentPrefixes
	if len(prefixes) == 0 {
		prefixes = []string{"#"}
	}
	for _, p := range prefixes {
		if strings.TrimSpace(p) == "" {
			return nil, false, fmt.Errorf("edit: empty comment prefix %q", p)
		}
		if strings.HasPrefix(key, p) {
			return nil, false, fmt.Errorf("edit: key %q starts with the comment prefix %q", key, p)
		}
	}
	// What is written must read back as written: with a white-space
	// separator, a value starting with "=" would, for one, lose its "=".
	if k, v, ok := kvSplit([]byte(key+sep+value), prefixes); !ok || k != key || v != value {
		return nil, false, fmt.Errorf("edit: %q would not read back as key %q and value %q", key+sep+value, key, value)
	}
	want := kvNormalize(key, opts)
	if want == "" {
		return nil, false, fmt.Errorf("edit: key %q names no key", key)
	}

	f, err := splitLines(content)
	if err != nil {
		return nil, false, err
	}
	found, changed := false, false
	for i := range f.lines {
		l := &f.lines[i]
		k, v, ok := kvSplit(l.text, prefixes)
		if !ok || kvNormalize(k, opts) != want {
			continue
		}
		found = true
		if v == value {
			continue
		}
		l.text = []byte(string(indentOf(l.text)) + k + sep + value)
		changed = true
	}
	if !found {
		f.insert(len(f.lines), key+sep+value)
		changed = true
	}
	if !changed {
		return content, false, nil
	}
	return f.bytes(), true, nil
}

// kvSplit reads one line as key and value; ok is false for blank and
// comment lines.
func kvSplit(text []byte, prefixes []string) (key, value string, ok bool) {
	s := bytes.TrimLeft(text, " \t")
	if len(trimSpace(s)) == 0 {
		return "", "", false
	}
	for _, p := range prefixes {
		if bytes.HasPrefix(s, []byte(p)) {
			return "", "", false
		}
	}
	end := bytes.IndexAny(s, " \t=")
	if end < 0 {
		return string(trimSpace(s)), "", true
	}
	if end == 0 {
		return "", "", false // "= value": no key, nothing to match
	}
	rest := bytes.TrimLeft(s[end:], " \t")
	if len(rest) > 0 && rest[0] == '=' {
		rest = bytes.TrimLeft(rest[1:], " \t")
	}
	return string(s[:end]), string(trimSpace(rest)), true
}

// kvNormalize returns the form of key that keys are compared in.
func kvNormalize(key string, opts KeyValueOptions) string {
	if opts.SysctlKeys {
		key = strings.TrimPrefix(key, "-")
		// sysctl_normalize(): a key whose first separator is "/" is a
		// path already; otherwise "." and "/" swap.
		if i := strings.IndexAny(key, "./"); i >= 0 && key[i] == '.' {
			key = strings.Map(func(r rune) rune {
				switch r {
				case '.':
					return '/'
				case '/':
					return '.'
				}
				return r
			}, key)
		}
	}
	if opts.CaseInsensitive {
		key = strings.ToLower(key)
	}
	return key
}
