package edit

import (
	"fmt"
	"github.com/gcrun/gcrun/checks/sshdtok"
	"slices"
	"strings"
)

// sshdAliases maps the old spellings sshd still accepts to the keyword they
// set (servconf.c's keyword table, as checks/sshd_keywords.go lists them).
// An alias line earlier in the file would set the keyword first, so it
// counts as an occurrence.
var sshdAliases = map[string]string{
	"hostdsakey":                      "hostkey",
	"dsaauthentication":               "pubkeyauthentication",
	"challengeresponseauthentication": "kbdinteractiveauthentication",
	"skeyauthentication":              "kbdinteractiveauthentication",
	"keepalive":                       "tcpkeepalive",
	"gssapicleanupcreds":              "gssapicleanupcredentials",
	"hostbasedacceptedkeytypes":       "hostbasedacceptedalgorithms",
	"pubkeyacceptedkeytypes":          "pubkeyacceptedalgorithms",
}

// sshdNotFirst are the keywords for which sshd does not simply keep the
// first line: later lines add to a list (Port, HostKey, AllowUsers, ...),
// overwrite it (IPQoS, MaxStartups, ...), or merge with it (RekeyLimit,
// UnusedConnectionTimeout, AuthorizedPrincipalsCommand). Changing one of
// several lines cannot make such a keyword's value the one asked for, so
// SetSSHD refuses rather than report a fix that is not one.
var sshdNotFirst = map[string]bool{
	"port": true, "listenaddress": true, "hostkey": true, "hostcertificate": true,
	"allowusers": true, "denyusers": true, "allowgroups": true, "denygroups": true, "acceptenv": true,
	"persourcemaxstartups": true, "persourcenetblocksize": true, "streamlocalbindmask": true,
	"fingerprinthash": true, "ipqos": true, "maxstartups": true, "rekeylimit": true,
	"unusedconnectiontimeout": true, "authorizedprincipalscommand": true,
}

// sshdCanonical returns the keyword a lowercase spelling sets.
func sshdCanonical(lower string) string {
	if c, ok := sshdAliases[lower]; ok {
		return c
	}
	return lower
}

// SetSSHD sets keyword to value in the global section of an sshd_config
// (or of a file sshd includes from its global section), the way sshd reads
// it: keywords are case-insensitive, "Keyword value", "Keyword=value" and
// "Keyword = value" are the same, and the first line that sets a keyword
// wins. It returns the new content and whether it differs from content.
//
// The global section is everything before the file's first Match line.
// When the keyword (or one of its aliases, such as
// ChallengeResponseAuthentication for KbdInteractiveAuthentication) occurs
// there, its first occurrence is rewritten in place as "Keyword value",
// keeping the line's indentation, its spelling of the keyword (when it is
// not an alias) and a trailing comment; later duplicates and every line in
// Match blocks are left alone: sshd ignores the former, and the latter are
// per-connection settings that a global fix must not silently rewrite.
// Otherwise "Keyword value" is inserted before the first Match line — above
// the comments and blank lines directly preceding it, so that a block's
// comment stays with the block — or appended when the file has no Match.
// Commented-out lines ("#PermitRootLogin yes") are never changed.
//
// The value is compared as sshd splits it into arguments (quotes and
// extra spaces do not matter), but exactly otherwise: "No" is rewritten to
// "no" even for keywords sshd reads case-insensitively, so that the file
// ends up saying what the rule asked for.
//
// It refuses, with an error: a keyword that is not alphanumeric; Match
// and Include, which are not settings; Subsystem, which is keyed by its
// first argument; a value that is empty, spans lines, has unbalanced
// quotes or a "#" that would turn the rest into a comment; and, for
// keywords whose repeated lines sshd adds up or lets the last one win
// (Port, HostKey, AllowUsers, IPQoS, ...), a global section that already
// has more than one line for it.
//
// A "Match all" block in the file that sets the keyword to another value
// is an error too: sshd applies it over the global value to every
// connection, so no global line could take effect.
//
// Only this file is looked at: a drop-in included before the keyword's
// line can still set it first. The caller edits the file the effective
// value comes from (the sshd facts name it).
func SetSSHD(content []byte, keyword, value string) ([]byte, bool, error) {
	if err := checkKey(keyword); err != nil {
		return nil, false, err
	}
	for i := 0; i < len(keyword); i++ {
		c := keyword[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return nil, false, fmt.Errorf("edit: sshd keyword %q is not alphanumeric", keyword)
		}
	}
	lower := strings.ToLower(keyword)
	switch lower {
	case "match", "include":
		return nil, false, fmt.Errorf("edit: %s is not a setting SetSSHD can change", keyword)
	case "subsystem":
		return nil, false, fmt.Errorf("edit: Subsystem is keyed by its name; use a config.line action instead")
	}
	canonical := sshdCanonical(lower)
	if err := checkValue(keyword, value); err != nil {
		return nil, false, err
	}
	want, comment, ok := sshdArgs(value)
	switch {
	case !ok:
		return nil, false, fmt.Errorf("edit: value %q for %s has unbalanced quotes", value, keyword)
	case comment >= 0:
		return nil, false, fmt.Errorf("edit: value %q for %s contains a comment (an argument starting with \"#\")", value, keyword)
	}
	// What is written must read back as written: a value starting with
	// "=" would, for one, be taken for the separator.
	if kw, rest, ok := sshdKeyword(keyword + " " + value); !ok || kw != keyword || !sshdArgsEqual(rest, want) {
		return nil, false, fmt.Errorf("edit: value %q for %s would not read back as written", value, keyword)
	}

	f, err := splitLines(content)
	if err != nil {
		return nil, false, err
	}
	matchAt := len(f.lines)
	var found []int // global lines setting the keyword
	inAll := false  // in a "Match all" block
	for i, l := range f.lines {
		kw, rest, ok := sshdKeyword(string(l.text))
		if !ok {
			continue
		}
		lkw := strings.ToLower(kw)
		if lkw == "match" {
			matchAt = min(matchAt, i)
			crit, _, _ := sshdArgs(rest)
			inAll = len(crit) == 1 && strings.EqualFold(crit[0], "all")
			continue
		}
		if sshdCanonical(lkw) != canonical {
			continue
		}
		if i < matchAt {
			found = append(found, i)
			continue
		}
		if inAll {
			// sshd applies a "Match all" block over the global value
			// for every connection (and sshd -T shows its value), so
			// no global line can change what this one sets. The first
			// such line is the one that counts.
			if args, _, ok := sshdArgs(rest); !ok || !slices.Equal(args, want) {
				return nil, false, fmt.Errorf("edit: line %d: a \"Match all\" block sets %s, which overrides the global value for every connection; change that line instead", i+1, kw)
			}
			break
		}
	}
	if len(found) > 1 && sshdNotFirst[canonical] {
		nums := make([]string, len(found))
		for i, n := range found {
			nums[i] = fmt.Sprint(n + 1)
		}
		return nil, false, fmt.Errorf("edit: %s is set on lines %s; sshd combines repeated %s lines instead of using the first, so one change cannot set it",
			keyword, strings.Join(nums, ", "), keyword)
	}

	if len(found) > 0 {
		l := &f.lines[found[0]]
		kw, rest, _ := sshdKeyword(string(l.text))
		args, commentAt, ok := sshdArgs(rest)
		if ok && slices.Equal(args, want) {
			return content, false, nil
		}
		spelling := kw
		if strings.ToLower(kw) != lower {
			spelling = keyword // an alias: write the keyword asked for
		}
		text := string(indentOf(l.text)) + spelling + " " + value
		if ok && commentAt >= 0 {
			// Keep a trailing comment, with the white space before it
			// (or one space when the comment directly followed the
			// keyword, as in "PermitRootLogin # TODO"), unless the value
			// would swallow it (a value ending in a backslash escapes
			// the space before the "#").
			ws := strings.TrimRight(rest[:commentAt], " \t")
			sep := rest[len(ws):commentAt]
			if ws == "" || sep == "" {
				sep = " "
			}
			if _, r, _ := sshdKeyword(text + sep + rest[commentAt:]); sshdArgsEqual(r, want) {
				text += sep + rest[commentAt:]
			}
		}
		l.text = []byte(text)
		return f.bytes(), true, nil
	}

	at := matchAt
	if at < len(f.lines) {
		for at > 0 {
			t := trimSpace(f.lines[at-1].text)
			if len(t) != 0 && t[0] != '#' {
				break
			}
			at--
		}
	}
	f.insert(at, keyword+" "+value)
	return f.bytes(), true, nil
}

// sshdKeyword returns the keyword of an sshd_config line and the rest of
// the line after it, as process_server_config_line_depth splits them:
// white space (and "\r") trimmed at both ends, the keyword ending at white
// space or "=" (one "=" with white space around it separates it from the
// rest), a double-quoted keyword taken whole. ok is false for lines sshd
// ignores: blank, comment, or a keyword with an unterminated quote.
func sshdKeyword(text string) (kw, rest string, ok bool) {
	s := strings.TrimLeft(text, " \t\r")
	end := len(s)
	for end > 1 && strings.IndexByte(" \t\r\n\f", s[end-1]) >= 0 {
		end--
	}
	s = s[:end]
	kw, kwOK, rest, restOK := sshdStrdelim(s, true)
	if kwOK && kw == "" {
		kw, kwOK, rest, _ = sshdStrdelim(rest, restOK)
	}
	if !kwOK || kw == "" || kw[0] == '#' {
		return "", "", false
	}
	return kw, rest, true
}

// sshdStrdelim is misc.c's strdelim, shared with the sshd collector.
func sshdStrdelim(s string, valid bool) (tok string, tokOK bool, rest string, restOK bool) {
	return sshdtok.Strdelim(s, valid)
}

// sshdArgs is misc.c's argv_split with comments ending the line, shared
// with the sshd collector (see sshdtok.ArgvSplit).
func sshdArgs(s string) (args []string, comment int, ok bool) {
	return sshdtok.ArgvSplit(s)
}

// sshdArgsEqual reports whether rest splits into the arguments want.
func sshdArgsEqual(rest string, want []string) bool {
	args, _, ok := sshdArgs(rest)
	return ok && slices.Equal(args, want)
}
