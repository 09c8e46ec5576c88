package edit

import (
	"bytes"
	"fmt"
	"strings"
)

// EnsureLine makes line present, with Ansible lineinfile's semantics
// (state=present, but replacing the first match rather than the last):
// when a line equal to line exists (ignoring white space around both), the
// content is unchanged; otherwise, when match (an RE2 regexp, "" for none)
// matches a line (its text without the line ending), the first such line
// is replaced by line; otherwise line is appended. It returns the new
// content and whether it changed.
//
// The equality test comes first so that a second run is a no-op even when
// match does not match line itself. It refuses a blank line, one with a
// line break or NUL, an invalid regexp and content containing NUL bytes.
func EnsureLine(content []byte, line, match string) ([]byte, bool, error) {
	if err := checkText("line", line); err != nil {
		return nil, false, err
	}
	if strings.TrimSpace(line) == "" {
		return nil, false, fmt.Errorf("edit: blank line; EnsureLine needs a line to write")
	}
	re, err := compileMatch(match)
	if err != nil {
		return nil, false, err
	}
	f, err := splitLines(content)
	if err != nil {
		return nil, false, err
	}
	want := trimSpace([]byte(line))
	for _, l := range f.lines {
		if bytes.Equal(trimSpace(l.text), want) {
			return content, false, nil
		}
	}
	if re != nil {
		for i := range f.lines {
			if re.Match(f.lines[i].text) {
				f.lines[i].text = []byte(line)
				return f.bytes(), true, nil
			}
		}
	}
	f.insert(len(f.lines), line)
	return f.bytes(), true, nil
}

// RemoveLines removes every line equal to line (ignoring white space
// around both; "" to match by regexp only) or matched by match (an RE2
// regexp, "" for none), and returns the new content and whether it
// changed. Other lines keep their endings; removing a last line without
// newline leaves the line before it with its own.
//
// It refuses a call with neither a line nor a regexp, a line that is
// white space only (it would remove every blank line), a line with a line
// break or NUL, an invalid regexp and content containing NUL bytes.
func RemoveLines(content []byte, line, match string) ([]byte, bool, error) {
	if err := checkText("line", line); err != nil {
		return nil, false, err
	}
	if line == "" && match == "" {
		return nil, false, fmt.Errorf("edit: RemoveLines needs a line or a match regexp")
	}
	if line != "" && strings.TrimSpace(line) == "" {
		return nil, false, fmt.Errorf("edit: line %q is blank; it would remove every blank line", line)
	}
	re, err := compileMatch(match)
	if err != nil {
		return nil, false, err
	}
	f, err := splitLines(content)
	if err != nil {
		return nil, false, err
	}
	want := trimSpace([]byte(line))
	kept := f.lines[:0]
	for _, l := range f.lines {
		if line != "" && bytes.Equal(trimSpace(l.text), want) || re != nil && re.Match(l.text) {
			continue
		}
		kept = append(kept, l)
	}
	if len(kept) == len(f.lines) {
		return content, false, nil
	}
	f.lines = kept
	return f.bytes(), true, nil
}
