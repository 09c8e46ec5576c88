// Package edit holds the pure text editors behind gcrun's config.set and
// config.line remediation actions: each takes a file's content as bytes
// and returns the new content and whether it changed. The package does no
// file I/O; the caller reads the file through the confined root, plans
// every edit in memory, shows UnifiedDiff for plans, and writes the result
// atomically (docs/remediation.md).
//
// Every editor keeps what it does not need to touch byte for byte:
// comments, blank lines, order, indentation, unrelated lines and each
// line's own ending (LF or CRLF). New lines take the ending most of the
// file's lines use. A missing final newline stays missing unless a line is
// appended after it. Applying an edit to its own result reports no change,
// which is what makes "apply" and "autocorrect" runs idempotent.
//
// Inputs that could make an action write something other than the one
// line it names are refused with an error rather than written: keys,
// values and lines containing a line break or NUL (which would inject a
// second line), keys containing white space or "=", and content with NUL
// bytes (not a text configuration file, so not something to edit).
package edit

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
)

// line is one line of a file: its text without the line ending, and the
// ending itself ("\n", "\r\n", or "" for a last line without newline).
// Keeping the ending per line lets an edit leave every other line
// untouched, even in a file that mixes endings.
type line struct {
	text []byte
	eol  string
}

// lineFile is a file split into lines, with the ending new lines get.
type lineFile struct {
	lines []line
	nl    string
}

// splitLines splits content after checking that it is text: a NUL byte
// means a binary file, which no editor here may change.
func splitLines(content []byte) (*lineFile, error) {
	if i := bytes.IndexByte(content, 0); i >= 0 {
		return nil, fmt.Errorf("edit: line %d: content contains a NUL byte; not a text configuration file", bytes.Count(content[:i], []byte("\n"))+1)
	}
	f := &lineFile{}
	var nLF, nCRLF int
	for len(content) > 0 {
		i := bytes.IndexByte(content, '\n')
		if i < 0 {
			f.lines = append(f.lines, line{text: content})
			break
		}
		text, eol := content[:i], "\n"
		if i > 0 && content[i-1] == '\r' {
			text, eol = content[:i-1], "\r\n"
			nCRLF++
		} else {
			nLF++
		}
		f.lines = append(f.lines, line{text: text, eol: eol})
		content = content[i+1:]
	}
	// New lines follow the file's convention: CRLF only for a file whose
	// lines mostly end in CRLF, LF otherwise (and for an empty file).
	f.nl = "\n"
	if nCRLF > nLF {
		f.nl = "\r\n"
	}
	return f, nil
}

// bytes joins the lines back into content.
func (f *lineFile) bytes() []byte {
	var b bytes.Buffer
	for _, l := range f.lines {
		b.Write(l.text)
		b.WriteString(l.eol)
	}
	return b.Bytes()
}

// insert puts a new line with text before index i (len(f.lines) appends).
// Appending after a last line without newline first gives that line one,
// or the new line would be glued onto it.
func (f *lineFile) insert(i int, text string) {
	if i == len(f.lines) && i > 0 && f.lines[i-1].eol == "" {
		f.lines[i-1].eol = f.nl
	}
	l := line{text: []byte(text), eol: f.nl}
	f.lines = append(f.lines, line{})
	copy(f.lines[i+1:], f.lines[i:])
	f.lines[i] = l
}

// checkText refuses a key, value or line that would write more than one
// line, or a NUL that no text configuration file may contain.
func checkText(what, s string) error {
	if i := strings.IndexAny(s, "\n\r\x00"); i >= 0 {
		return fmt.Errorf("edit: %s %q contains %q; an action may only write one line", what, s, s[i:i+1])
	}
	return nil
}

// checkKey refuses keys that cannot be found again on the line they are
// written to: an empty key, or one with white space or "=" (both separate
// the key from its value).
func checkKey(key string) error {
	if err := checkText("key", key); err != nil {
		return err
	}
	if key == "" {
		return fmt.Errorf("edit: empty key")
	}
	if i := strings.IndexAny(key, " \t\v\f="); i >= 0 {
		return fmt.Errorf("edit: key %q contains %q; keys contain no white space or \"=\"", key, key[i:i+1])
	}
	return nil
}

// checkValue refuses values that are not one line, empty, or surrounded by
// white space: readers trim that white space, so such a value would never
// compare equal to what was written and every run would rewrite it.
func checkValue(key, value string) error {
	if err := checkText("value of "+key, value); err != nil {
		return err
	}
	if strings.TrimSpace(value) == "" {
		return fmt.Errorf("edit: empty value for %s", key)
	}
	if strings.TrimSpace(value) != value {
		return fmt.Errorf("edit: value %q for %s has leading or trailing white space", value, key)
	}
	return nil
}

// compileMatch compiles an optional RE2 regexp; "" means none.
func compileMatch(match string) (*regexp.Regexp, error) {
	if match == "" {
		return nil, nil
	}
	re, err := regexp.Compile(match)
	if err != nil {
		return nil, fmt.Errorf("edit: invalid match regexp %q: %w", match, err)
	}
	return re, nil
}

// isSpace is white space as the configuration readers here trim it
// (sshd also trims "\r" and "\f" at line ends).
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'
}

// trimSpace trims isSpace bytes from both ends.
func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// indentOf returns the leading spaces and tabs of b, which an in-place
// change keeps.
func indentOf(b []byte) []byte {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	return b[:i]
}
