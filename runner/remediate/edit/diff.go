package edit

import (
	"bytes"
	"strings"

	"github.com/pmezard/go-difflib/difflib"
)

// noNewline is how diff(1) marks a last line without newline.
const noNewline = "\\ No newline at end of file\n"

// UnifiedDiff returns the change from before to after of the file at path
// as a unified diff with 3 lines of context, the way git prints it:
// "--- a/etc/ssh/sshd_config" / "+++ b/etc/ssh/sshd_config" for an
// absolute path. A nil before means the file is created ("--- /dev/null"),
// a nil after that it is removed ("+++ /dev/null"); creating or removing
// an empty file gives the two header lines alone. A last line without
// newline is followed by "\ No newline at end of file", as diff(1) does.
// Equal contents (and both nil, or both non-nil) give "".
//
// Lines end at "\n"; a CRLF line keeps its "\r" in the output, so a change
// of line endings shows as a change of the line.
func UnifiedDiff(path string, before, after []byte) string {
	if (before == nil) == (after == nil) && bytes.Equal(before, after) {
		return ""
	}
	name := strings.TrimPrefix(path, "/")
	from, to := "a/"+name, "b/"+name
	if before == nil {
		from = "/dev/null"
	}
	if after == nil {
		to = "/dev/null"
	}
	d, err := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: diffLines(before), B: diffLines(after),
		FromFile: from, ToFile: to, Context: 3,
	})
	if err != nil {
		// Writing to a strings.Builder cannot fail; keep the headers so
		// that a plan still names the file.
		d = ""
	}
	if d == "" {
		return "--- " + from + "\n+++ " + to + "\n"
	}
	return d
}

// diffLines splits content into lines that keep their "\n"; a last line
// without one carries the diff(1) marker, so that adding the newline is a
// change and the marker follows the line wherever the hunk prints it.
func diffLines(content []byte) []string {
	if len(content) == 0 {
		return nil
	}
	lines := strings.SplitAfter(string(content), "\n")
	if last := lines[len(lines)-1]; last == "" {
		lines = lines[:len(lines)-1]
	} else {
		lines[len(lines)-1] = last + "\n" + noNewline
	}
	return lines
}
