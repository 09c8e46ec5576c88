package packtest

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"gopkg.in/yaml.v3"

	"github.com/gcrun/gcrun/engine"
	"github.com/gcrun/gcrun/report"
	"github.com/gcrun/gcrun/runner"
)

// The files of a fixture, in fixtures/<name>/.
const (
	FixtureRoot     = "root"
	FixtureAttrs    = "attrs.txt"
	FixtureExpected = "expected.yaml"
)

// tarModTime is the modification time (Unix seconds) of every entry of a
// fixture's tarball, so that the same fixture always makes the same bytes.
const tarModTime = 1700000000

// fixture is one fixtures/<name> directory, read and checked.
type fixture struct {
	name     string
	dir      string // the fixture's directory, as errors name it
	tar      []byte // the root as a rootfs tarball with attrs.txt applied
	expected []expectation
}

// expectation is one rule of expected.yaml.
type expectation struct {
	id     string
	status string
	codes  []string // sorted, without duplicates; nil when not given
	line   int
}

// expectedStatuses are the statuses expected.yaml may name.
var expectedStatuses = map[string]bool{
	string(engine.StatusPass): true, string(engine.StatusFail): true,
	string(engine.StatusNotApplicable): true, string(engine.StatusError): true,
}

// loadFixtures reads every fixtures/<name> directory of the pack in dir,
// sorted by name. Everything wrong with a fixture (a missing root or
// expected.yaml, a bad line, an attribute for a path the root lacks) is a
// load error naming the file and line; every problem is reported.
func loadFixtures(dir string) ([]*fixture, error) {
	base := filepath.Join(dir, FixturesDir)
	entries, err := os.ReadDir(base)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, problem(base, 0, "%v", err)
	}
	var out []*fixture
	var errs []error
	for _, e := range entries {
		if !e.IsDir() {
			continue // a README beside the fixtures
		}
		fx, err := readFixture(e.Name(), filepath.Join(base, e.Name()))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, fx)
	}
	if err := joinProblems(errs); err != nil {
		return nil, err
	}
	return out, nil
}

func readFixture(name, dir string) (*fixture, error) {
	fx := &fixture{name: name, dir: dir}
	var errs []error
	// Both are read even when attrs.txt has bad lines, to report every
	// problem at once.
	attrs, err := readAttrs(filepath.Join(dir, FixtureAttrs))
	if err != nil {
		errs = append(errs, err)
	}
	if attrs != nil {
		fx.tar, err = rootTar(filepath.Join(dir, FixtureRoot), attrs)
		if err != nil {
			errs = append(errs, err)
		}
	}
	fx.expected, err = readExpected(filepath.Join(dir, FixtureExpected))
	if err != nil {
		errs = append(errs, err)
	}
	if err := joinProblems(errs); err != nil {
		return nil, err
	}
	return fx, nil
}

// FixtureTar packs a fixture directory (root/ and an optional attrs.txt)
// into the rootfs tarball it is evaluated as: the modes and owners of
// attrs.txt in the headers, nothing changed on disk, no privilege needed.
// Problems name attrs.txt's file and line.
func FixtureTar(dir string) ([]byte, error) {
	attrs, err := readAttrs(filepath.Join(dir, FixtureAttrs))
	if err != nil {
		return nil, err
	}
	return rootTar(filepath.Join(dir, FixtureRoot), attrs)
}

// attr is one line of attrs.txt: MODE UID GID PATH.
type attr struct {
	mode     int64 // permission and set-id bits, as in a tar header
	uid, gid int
	line     int
	file     string
}

// readAttrs parses attrs.txt. A missing file means no attributes: every
// file is 0644 and every directory 0755, owned by 0:0. With bad lines, it
// returns the good ones and an error listing the bad.
func readAttrs(file string) (map[string]attr, error) {
	data, err := os.ReadFile(file)
	if os.IsNotExist(err) {
		return map[string]attr{}, nil
	}
	if err != nil {
		return nil, problem(file, 0, "%v", err)
	}
	out := map[string]attr{}
	var errs []error
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 4 {
			errs = append(errs, problem(file, n, "want MODE UID GID PATH (e.g. 0640 0 42 /etc/shadow), got %q", line))
			continue
		}
		mode, err := strconv.ParseUint(fields[0], 8, 32)
		if err != nil || mode > 0o7777 {
			errs = append(errs, problem(file, n, "mode %q is not an octal mode from 0000 to 7777", fields[0]))
			continue
		}
		uid, err1 := strconv.ParseUint(fields[1], 10, 31)
		gid, err2 := strconv.ParseUint(fields[2], 10, 31)
		if err1 != nil || err2 != nil {
			errs = append(errs, problem(file, n, "uid %q and gid %q must be numbers", fields[1], fields[2]))
			continue
		}
		p := fields[3]
		if !strings.HasPrefix(p, "/") || path.Clean(p) != p {
			errs = append(errs, problem(file, n, "path %q must be absolute and clean (/etc/shadow)", p))
			continue
		}
		if prev, dup := out[p]; dup {
			errs = append(errs, problem(file, n, "%s is also listed on line %d", p, prev.line))
			continue
		}
		out[p] = attr{mode: int64(mode), uid: int(uid), gid: int(gid), line: n, file: file}
	}
	if err := sc.Err(); err != nil {
		return nil, problem(file, 0, "%v", err)
	}
	return out, joinProblems(errs)
}

// rootTar packs the directory root into a rootfs tarball whose headers
// carry the modes and owners of attrs (unlisted files 0644, directories
// 0755, symlinks 0777, all 0:0), as `tar --numeric-owner -C root -cf - .`
// would after applying them. Nothing on disk is changed, so no privilege
// is needed. Only regular files, directories and symlinks may appear.
func rootTar(root string, attrs map[string]attr) ([]byte, error) {
	fi, err := os.Lstat(root)
	if err != nil {
		return nil, problem(root, 0, "%v", err)
	}
	if !fi.IsDir() {
		return nil, problem(root, 0, "not a directory")
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	seen := map[string]bool{}
	var errs []error
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == root {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		inRoot := "/" + filepath.ToSlash(rel)
		seen[inRoot] = true
		a, listed := attrs[inRoot]
		hdr := &tar.Header{Name: filepath.ToSlash(rel), ModTime: time.Unix(tarModTime, 0), Format: tar.FormatPAX}
		var data []byte
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			if listed {
				errs = append(errs, problem(a.file, a.line, "%s is a symlink, whose mode and owner do not matter: list its target", inRoot))
			}
			hdr.Typeflag = tar.TypeSymlink
			if hdr.Linkname, err = os.Readlink(p); err != nil {
				return err
			}
			a = attr{mode: 0o777}
		case d.IsDir():
			hdr.Typeflag, hdr.Name = tar.TypeDir, hdr.Name+"/"
			if !listed {
				a = attr{mode: 0o755}
			}
		case d.Type().IsRegular():
			hdr.Typeflag = tar.TypeReg
			if !listed {
				a = attr{mode: 0o644}
			}
			if data, err = os.ReadFile(p); err != nil {
				return err
			}
			hdr.Size = int64(len(data))
		default:
			errs = append(errs, problem(p, 0, "not a regular file, directory or symlink (%s)", d.Type()))
			return nil
		}
		hdr.Mode, hdr.Uid, hdr.Gid = a.mode, a.uid, a.gid
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		_, err = tw.Write(data)
		return err
	})
	if err == nil {
		err = tw.Close()
	}
	if err != nil {
		return nil, problem(root, 0, "%v", err)
	}
	for p, a := range attrs {
		if !seen[p] {
			errs = append(errs, problem(a.file, a.line, "%s is not in %s", p, root))
		}
	}
	if err := joinProblems(errs); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// readExpected parses expected.yaml:
//
//	rules:
//	  ACME-001: pass
//	  GCL-SSH-001: {status: fail, codes: [permit_root_login]}
func readExpected(file string) ([]expectation, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, problem(file, 0, "%v", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, problem(file, yamlLine(err), "%s", yamlMessage(err))
	}
	if len(doc.Content) == 0 {
		return nil, problem(file, 0, "empty: want a mapping with rules")
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		return nil, problem(file, top.Line, "want a mapping with rules")
	}
	var rules *yaml.Node
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		if k.Value != "rules" {
			return nil, problem(file, k.Line, "unknown field %q (want rules)", k.Value)
		}
		rules = v
	}
	if rules == nil {
		return nil, problem(file, top.Line, "no rules: list the rules to compare")
	}
	if rules.Kind != yaml.MappingNode || len(rules.Content) == 0 {
		return nil, problem(file, rules.Line, "rules must map rule ids to statuses")
	}
	var out []expectation
	var errs []error
	seen := map[string]int{}
	for i := 0; i+1 < len(rules.Content); i += 2 {
		k, v := rules.Content[i], rules.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.Value == "" {
			errs = append(errs, problem(file, k.Line, "a rule id must be a string"))
			continue
		}
		if prev, dup := seen[k.Value]; dup {
			errs = append(errs, problem(file, k.Line, "rule %s is also listed on line %d", k.Value, prev))
			continue
		}
		seen[k.Value] = k.Line
		e, err := readExpectation(file, k, v)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, e)
	}
	if err := joinProblems(errs); err != nil {
		return nil, err
	}
	return out, nil
}

func readExpectation(file string, k, v *yaml.Node) (expectation, error) {
	e := expectation{id: k.Value, line: k.Line}
	switch v.Kind {
	case yaml.ScalarNode:
		e.status = v.Value
	case yaml.MappingNode:
		for i := 0; i+1 < len(v.Content); i += 2 {
			fk, fv := v.Content[i], v.Content[i+1]
			switch fk.Value {
			case "status":
				if fv.Kind != yaml.ScalarNode {
					return e, problem(file, fv.Line, "rule %s: status must be a string", e.id)
				}
				e.status = fv.Value
			case "codes":
				if fv.Kind != yaml.SequenceNode {
					return e, problem(file, fv.Line, "rule %s: codes must be a list of reason codes", e.id)
				}
				e.codes = []string{}
				for _, c := range fv.Content {
					if c.Kind != yaml.ScalarNode || c.Value == "" {
						return e, problem(file, c.Line, "rule %s: a reason code must be a non-empty string", e.id)
					}
					e.codes = append(e.codes, c.Value)
				}
				e.codes = uniqueSorted(e.codes)
			default:
				return e, problem(file, fk.Line, "rule %s: unknown field %q (want status, codes)", e.id, fk.Value)
			}
		}
	default:
		return e, problem(file, v.Line, "rule %s: want a status or {status: ..., codes: [...]}", e.id)
	}
	if !expectedStatuses[e.status] {
		return e, problem(file, v.Line, "rule %s: status %q is not one of pass, fail, not_applicable, error", e.id, e.status)
	}
	if e.codes != nil && (e.status == string(engine.StatusPass) || e.status == string(engine.StatusError)) {
		return e, problem(file, v.Line, "rule %s: codes are the reasons of a fail or not_applicable result, not of %s", e.id, e.status)
	}
	return e, nil
}

// yamlLine digs the line number out of a yaml.v3 error ("yaml: line 3: ...").
func yamlLine(err error) int {
	msg := err.Error()
	if _, rest, ok := strings.Cut(msg, "line "); ok {
		end := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
		if end > 0 {
			n, _ := strconv.Atoi(rest[:end])
			return n
		}
	}
	return 0
}

// yamlMessage is a yaml.v3 error without its "yaml: line N:" prefix, since
// the problem carries the line.
func yamlMessage(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if strings.HasPrefix(msg, "line ") {
		if _, rest, ok := strings.Cut(msg, ": "); ok {
			return rest
		}
	}
	return msg
}

func uniqueSorted(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// checkExpected reports ids of expected.yaml that no loaded pack defines:
// a typo must not make a fixture compare nothing.
func checkExpected(fixtures []*fixture, known map[string]bool) error {
	var errs []error
	for _, fx := range fixtures {
		for _, e := range fx.expected {
			if !known[e.id] {
				errs = append(errs, problem(filepath.Join(fx.dir, FixtureExpected), e.line, "rule %s: no loaded pack defines it", e.id))
			}
		}
	}
	return joinProblems(errs)
}

// outcome is what a fixture compares for one rule.
type outcome struct {
	Status string
	Codes  []string
}

// runFixture evaluates the fixture's root with the engine, as `gcrun
// evaluate --root` evaluates an offline root, and compares the listed
// rules. The tarball goes through a temporary file because images are
// opened from files.
func runFixture(ctx context.Context, eng *engine.Engine, fx *fixture, toolVersion string) (res Fixture) {
	start := time.Now()
	res = Fixture{Name: fx.name, Dir: fx.dir, Rules: len(fx.expected)}
	defer func() { res.Duration = time.Since(start) }()
	rep, err := evaluateTar(ctx, eng, fx.tar, toolVersion)
	if err != nil {
		res.Status, res.Message = StatusError, err.Error()
		return res
	}
	got := map[string]report.RuleResult{}
	for _, r := range rep.Rules {
		got[r.ID] = r
	}
	want := map[string]outcome{}
	have := map[string]outcome{}
	var notes []string
	for _, e := range fx.expected {
		r, ok := got[e.id]
		if !ok {
			// Known to the pack (checkExpected) but not evaluated: a
			// tailoring or a dependent pack dropped it.
			res.Excluded = append(res.Excluded, e.id)
			continue
		}
		want[e.id] = outcome{Status: e.status, Codes: e.codes}
		o := outcome{Status: string(r.Status)}
		if e.codes != nil {
			codes := make([]string, 0, len(r.Reasons))
			for _, reason := range r.Reasons {
				codes = append(codes, reason.Code)
			}
			o.Codes = uniqueSorted(codes)
		}
		have[e.id] = o
		if !cmp.Equal(want[e.id], o, cmpopts.EquateEmpty()) {
			notes = append(notes, explain(r))
		}
	}
	res.Status = StatusPass
	if diff := cmp.Diff(want, have, cmpopts.EquateEmpty()); diff != "" {
		res.Status = StatusFail
		res.Diff = diff
		res.Message = fmt.Sprintf("%d of %d rules differ", len(notes), len(want))
		res.Details = notes
	}
	return res
}

// explain says what a rule that differs actually reported.
func explain(r report.RuleResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s is %s", r.ID, r.Status)
	if r.Error != "" {
		fmt.Fprintf(&b, ": %s", r.Error)
	}
	for _, reason := range r.Reasons {
		fmt.Fprintf(&b, "\n  %s: %s", reason.Code, reason.Phrase)
	}
	return b.String()
}

func evaluateTar(ctx context.Context, eng *engine.Engine, data []byte, toolVersion string) (*report.Report, error) {
	f, err := os.CreateTemp("", "gcrun-fixture-*.tar")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	target, img, err := runner.OpenImage(ctx, f.Name())
	if err != nil {
		return nil, err
	}
	return runner.Evaluate(ctx, eng, target, runner.Options{ToolVersion: toolVersion, Image: img})
}
