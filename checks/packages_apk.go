package checks

import (
	"bytes"
	"context"
	"fmt"
)

// apkInstalled is apk-tools' database of installed packages.
const apkInstalled = "/lib/apk/db/installed"

// parseApkInstalled parses apk's installed database as apk-tools 2.x reads
// it (src/database.c, apk_db_index_read): records of "X:value" lines, one
// letter naming the field, a blank line after each record. P (name) and V
// (version) are required, A is the architecture and o the origin (the
// source package); the file lists of the other letters are skipped.
//
// What apk-tools would read differently or not at all is an error: a line
// that is not "X:value", a record without name or version, a name twice,
// and a last record with no blank line after it (apk-tools drops it
// silently: the file was cut short).
func parseApkInstalled(ctx context.Context, file string, data []byte) ([]Package, error) {
	fail := func(line int, format string, args ...any) ([]Package, error) {
		return nil, fmt.Errorf("packages: %s:%d: %s", file, line, fmt.Sprintf(format, args...))
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return fail(1+bytes.Count(data[:i], []byte{'\n'}), "binary content (NUL byte); not an apk database")
	}
	var pkgs []Package
	seen := map[string]int{}
	type field struct {
		value []byte
		line  int
	}
	var rec map[byte]field
	start := 0
	lineNo := 0
	finish := func() error {
		p, v := rec['P'], rec['V']
		if p.line == 0 {
			return fmt.Errorf("packages: %s:%d: record has no P: (name) line", file, start)
		}
		if v.line == 0 {
			return fmt.Errorf("packages: %s:%d: package %s has no V: (version) line", file, start, p.value)
		}
		for _, k := range []byte{'P', 'V', 'A', 'o'} {
			f, ok := rec[k]
			if !ok {
				continue
			}
			if why := dpkgInvalidWord(f.value); why != "" {
				return fmt.Errorf("packages: %s:%d: invalid %c: value %q: %s", file, f.line, k, f.value, why)
			}
		}
		name := string(p.value)
		if first, dup := seen[name]; dup {
			return fmt.Errorf("packages: %s:%d: second record for package %s (first at line %d)", file, start, name, first)
		}
		seen[name] = start
		version := string(v.value)
		source := name
		if o, ok := rec['o']; ok {
			source = string(o.value)
		}
		pkgs = append(pkgs, Package{
			Name:          name,
			Version:       version,
			Architecture:  string(rec['A'].value),
			Source:        source,
			SourceVersion: version,
			Status:        "installed",
			Installed:     true,
		})
		return nil
	}
	for off := 0; off < len(data); {
		lineNo++
		end := bytes.IndexByte(data[off:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += off
		}
		line := data[off:end]
		off = end + 1
		if len(line) == 0 {
			if rec != nil {
				if err := finish(); err != nil {
					return nil, err
				}
				rec = nil
				if len(pkgs)%dpkgCancelEvery == 0 {
					if err := ctx.Err(); err != nil {
						return nil, err
					}
				}
			}
			continue
		}
		if line[len(line)-1] == '\r' {
			return fail(lineNo, "CRLF line ending; apk databases use LF only")
		}
		if len(line) < 2 || line[1] != ':' {
			return fail(lineNo, "line is neither blank nor \"X:value\": %q", line)
		}
		if rec == nil {
			rec = map[byte]field{}
			start = lineNo
		}
		k := line[0]
		switch k {
		case 'P', 'V', 'A', 'o':
			if f, dup := rec[k]; dup {
				return fail(lineNo, "second %c: line in the record (first at line %d)", k, f.line)
			}
			rec[k] = field{line[2:], lineNo}
		}
	}
	if rec != nil {
		return fail(start, "the last record has no blank line after it (truncated database?); apk would ignore it")
	}
	return pkgs, nil
}
