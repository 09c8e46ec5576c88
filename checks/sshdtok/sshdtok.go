// Package sshdtok splits sshd_config lines exactly as OpenSSH's servconf.c
// and misc.c do. The sshd collector (which reads configurations) and the
// remediation editor (which changes them) must agree to the byte on what a
// line says, so both use this package.
package sshdtok

import "strings"

// Strdelim is misc.c's strdelim: the next token of s, split at white space
// or one "=" (with white space around it), a double-quoted token taken
// whole. valid and the returned booleans stand for C's NULL pointers: the
// input, the token or the rest is missing.
func Strdelim(s string, valid bool) (tok string, tokOK bool, rest string, restOK bool) {
	const ws = " \t\r\n"
	if !valid {
		return "", false, "", false
	}
	i := strings.IndexAny(s, ws+"\"=")
	if i < 0 {
		return s, true, "", false
	}
	if s[i] == '"' {
		t := s[:i] + s[i+1:]
		j := strings.IndexByte(t[i:], '"')
		if j < 0 {
			return "", false, "", false
		}
		j += i
		return t[:j], true, strings.TrimLeft(t[j+1:], ws), true
	}
	tok = s[:i]
	rest = strings.TrimLeft(s[i+1:], ws)
	if s[i] != '=' && strings.HasPrefix(rest, "=") {
		rest = strings.TrimLeft(rest[1:], ws)
	}
	return tok, true, rest, true
}

// ArgvSplit is misc.c's argv_split with comments ending the line, as sshd
// splits a keyword's arguments: single and double quotes group, a
// backslash escapes quotes, backslashes and (outside quotes) spaces, and a
// token starting with "#" starts a comment. comment is the index in s of
// that "#", or -1; ok is false for an unterminated quote.
func ArgvSplit(s string) (args []string, comment int, ok bool) {
	args = []string{}
	i := 0
	for i < len(s) {
		if s[i] == ' ' || s[i] == '\t' {
			i++
			continue
		}
		if s[i] == '#' {
			return args, i, true
		}
		var b strings.Builder
		var quote byte
		for ; i < len(s); i++ {
			c := s[i]
			switch {
			case c == '\\':
				if i+1 < len(s) && (s[i+1] == '\'' || s[i+1] == '"' || s[i+1] == '\\' || quote == 0 && s[i+1] == ' ') {
					i++
				}
				b.WriteByte(s[i])
				continue
			case quote == 0 && (c == ' ' || c == '\t'):
			case quote == 0 && (c == '"' || c == '\''):
				quote = c
				continue
			case quote != 0 && c == quote:
				quote = 0
				continue
			default:
				b.WriteByte(c)
				continue
			}
			break
		}
		args = append(args, b.String())
		if i >= len(s) && quote != 0 {
			return nil, -1, false
		}
	}
	return args, -1, true
}
