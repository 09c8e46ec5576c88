package engine

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"gopkg.in/yaml.v3"
)

// PackFile is the name of a baseline's optional manifest.
const PackFile = "pack.yaml"

// FixturesDir is the directory of a pack that holds its fixture roots
// (fixtures/<name>/root, attrs.txt, expected.yaml) for gcrun test. They
// are test data, not part of the baseline: LoadBaseline skips the
// top-level directory of that name, so that a fixture root may hold what
// a real root holds (symbolic links, large files) and the pack's digest
// covers what is evaluated.
const FixturesDir = "fixtures"

// maxBaselineFile bounds each file of a baseline; Rego packs are text.
const maxBaselineFile = 8 << 20

// Baseline is a loaded baseline pack: its manifest and the content of its
// files. It is immutable once loaded.
type Baseline struct {
	// Name, Version and Description come from pack.yaml; Name defaults to
	// the directory's base name and Version to "0.0.0".
	Name        string
	Version     string
	Description string
	// Parameters are the values the baseline's rules read and users may
	// override (data.gcrun.params.<name>).
	Parameters []Parameter
	// Gcrun is the constraint on the gcrun versions the pack needs
	// (">=0.3.0"), "" for any; Depends lists the packs it builds on. The
	// engine does not interpret either: runner.LoadPacks does.
	Gcrun   string
	Depends []Dependency
	// HasManifest says whether the pack has a pack.yaml at all.
	HasManifest bool
	// Origin says where the baseline came from (a directory, or
	// "builtin:linux" for an embedded pack); file names in errors start
	// with it.
	Origin string
	// Digest is "sha256:" and the hex SHA-256 of the sha256sum(1) listing
	// of every file, sorted by path: the same digest comes out of
	//   (cd DIR && find . -path ./fixtures -prune -o -type f -printf '%P\n' | LC_ALL=C sort | xargs sha256sum) | sha256sum
	// (the fixtures directory is not part of the baseline: FixturesDir).
	Digest string

	files map[string][]byte
	paths []string
	// gcrunLine is the line of the gcrun field in pack.yaml; paramLines
	// those of the parameters' declarations, by name.
	gcrunLine  int
	paramLines map[string]int
	// manifest is pack.yaml as written, before defaults.
	manifest Manifest
}

// Manifest is the content of pack.yaml.
type Manifest struct {
	Name        string `yaml:"name"`
	Version     string `yaml:"version"`
	Description string `yaml:"description"`
	// Gcrun constrains the gcrun versions the pack works with (">=0.3.0").
	Gcrun string `yaml:"gcrun"`
	// Depends lists the packs this one builds on.
	Depends    []Dependency `yaml:"depends"`
	Parameters []Parameter  `yaml:"parameters"`
}

// Dependency is one entry of a manifest's depends list: a pack whose rules
// this pack inherits, drops some of (Skip) and tunes (Parameters).
type Dependency struct {
	// Name is the dependency's pack name; the pack found must have it.
	Name string `yaml:"name" json:"name"`
	// Builtin names a pack embedded in gcrun (linux); Path is a directory
	// relative to the depending pack's. Exactly one of them is set.
	Builtin bool   `yaml:"builtin" json:"builtin,omitempty"`
	Path    string `yaml:"path" json:"path,omitempty"`
	// Version constrains the dependency's version (">=0.3.0 <0.4.0").
	Version string `yaml:"version" json:"version,omitempty"`
	// Skip lists ids of the dependency's rules that this pack drops.
	Skip []string `yaml:"skip" json:"skip,omitempty"`
	// Parameters overrides parameters the dependency declares.
	Parameters map[string]any `yaml:"parameters" json:"parameters,omitempty"`

	// Line is the line of the entry in pack.yaml.
	Line  int `yaml:"-" json:"-"`
	lines map[string]int
}

// LineOf returns the line in pack.yaml of one of the entry's values, for
// messages: "version", "path", "builtin", "skip/ID" or "parameters/NAME";
// the entry's own line when unknown.
func (d Dependency) LineOf(key string) int {
	if l := d.lines[key]; l > 0 {
		return l
	}
	return d.Line
}

// ManifestFile names the baseline's pack.yaml for messages (origin/pack.yaml).
func (b *Baseline) ManifestFile() string { return b.file(PackFile) }

// GcrunLine is the line of the gcrun field in pack.yaml (0 if absent).
func (b *Baseline) GcrunLine() int { return b.gcrunLine }

// ParameterLine is the line in pack.yaml where parameter name is declared
// (0 if unknown).
func (b *Baseline) ParameterLine(name string) int { return b.paramLines[name] }

// LoadBaselineDir loads the baseline in directory dir.
func LoadBaselineDir(dir string) (*Baseline, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("baseline %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("baseline %s: not a directory", dir)
	}
	return LoadBaseline(os.DirFS(dir), strings.TrimSuffix(dir, "/"))
}

// LoadBaseline loads a baseline from fsys, whose root is the pack's
// directory. origin names it in messages (a path, or "builtin:NAME").
func LoadBaseline(fsys fs.FS, origin string) (*Baseline, error) {
	b := &Baseline{Origin: origin, files: map[string][]byte{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p == FixturesDir {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s: not a regular file", b.file(p))
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Size() > maxBaselineFile {
			return fmt.Errorf("%s: larger than %d bytes", b.file(p), maxBaselineFile)
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		b.files[p] = data
		b.paths = append(b.paths, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("baseline %s: %w", origin, err)
	}
	sort.Strings(b.paths)
	if len(b.paths) == 0 {
		return nil, fmt.Errorf("baseline %s: no files", origin)
	}
	b.Digest = digest(b.paths, b.files)

	m := Manifest{}
	if data, ok := b.files[PackFile]; ok {
		b.HasManifest = true
		if err := b.decodeManifest(data, &m); err != nil {
			return nil, err
		}
	}
	b.Name, b.Version, b.Description, b.Parameters = m.Name, m.Version, m.Description, m.Parameters
	b.Gcrun, b.Depends = m.Gcrun, m.Depends
	b.manifest = m
	if b.Name == "" {
		b.Name = path.Base(strings.TrimPrefix(origin, "builtin:"))
	}
	if b.Version == "" {
		b.Version = "0.0.0"
	}
	return b, nil
}

// yamlLine matches the line number yaml.v3 puts in its messages.
var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// yamlType is the Go type yaml.v3 names in "field x not found in type
// engine.Manifest": noise for a pack author.
var yamlType = regexp.MustCompile(` in type [\w.]+$`)

// decodeManifest decodes pack.yaml strictly (unknown fields are errors)
// and checks the shape of its depends entries, reporting every problem
// with its line.
func (b *Baseline) decodeManifest(data []byte, m *Manifest) error {
	file := b.file(PackFile)
	var ps problems
	bad := func(line int, code, format string, args ...any) {
		ps.addCode(code, &ast.Location{File: file, Row: line}, format, args...)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(m); err != nil && !errors.Is(err, io.EOF) {
		var msgs []string
		var te *yaml.TypeError
		if errors.As(err, &te) {
			msgs = te.Errors
		} else {
			msgs = []string{err.Error()}
		}
		for _, msg := range msgs {
			msg = yamlType.ReplaceAllString(msg, "")
			if g := yamlLine.FindStringSubmatch(msg); g != nil {
				line, _ := strconv.Atoi(g[1])
				bad(line, CodeBadManifest, "%s", g[2])
			} else {
				bad(0, CodeBadManifest, "%s", strings.TrimPrefix(msg, "yaml: "))
			}
		}
		return ps.err()
	}
	// Lines of the values, from the node tree, for later messages.
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err == nil && len(doc.Content) == 1 {
		root := doc.Content[0]
		for i := 0; i+1 < len(root.Content); i += 2 {
			key, val := root.Content[i], root.Content[i+1]
			switch key.Value {
			case "gcrun":
				b.gcrunLine = key.Line
			case "parameters":
				b.paramLines = map[string]int{}
				for _, entry := range val.Content {
					for j := 0; j+1 < len(entry.Content); j += 2 {
						if entry.Content[j].Value == "name" {
							b.paramLines[entry.Content[j+1].Value] = entry.Line
						}
					}
				}
			case "depends":
				for j, entry := range val.Content {
					if j < len(m.Depends) {
						m.Depends[j].Line = entry.Line
						m.Depends[j].lines = nodeLines(entry)
					}
				}
			}
		}
	}
	if m.Depends != nil && len(m.Depends) == 0 {
		m.Depends = nil
	}
	seen := map[string]int{}
	for _, d := range m.Depends {
		switch {
		case d.Name == "":
			bad(d.Line, CodeBadDependency, "depends: entry has no name")
		case strings.ContainsAny(d.Name, "/ \t"):
			bad(d.Line, CodeBadDependency, "depends: name %q must be a pack name, not a path (use path: for a directory)", d.Name)
		}
		switch {
		case d.Builtin && d.Path != "":
			bad(d.LineOf("path"), CodeBadDependency, "depends %s: builtin and path are exclusive", d.Name)
		case !d.Builtin && d.Path == "":
			bad(d.Line, CodeBadDependency, "depends %s: set builtin: true or path: DIR", d.Name)
		case path.IsAbs(d.Path) || strings.HasPrefix(d.Path, "\\"):
			bad(d.LineOf("path"), CodeBadDependency, "depends %s: path %q must be relative to the pack", d.Name, d.Path)
		}
		if prev, dup := seen[d.Name]; dup && d.Name != "" {
			bad(d.Line, CodeBadDependency, "depends %s: listed twice (also line %d)", d.Name, prev)
		}
		seen[d.Name] = d.Line
		skipped := map[string]bool{}
		for _, id := range d.Skip {
			if skipped[id] {
				bad(d.LineOf("skip/"+id), CodeBadDependency, "depends %s: skip lists %s twice", d.Name, id)
			}
			skipped[id] = true
		}
	}
	return ps.err()
}

// nodeLines maps the keys of a depends entry to their lines: "version",
// "skip/ID", "parameters/NAME".
func nodeLines(entry *yaml.Node) map[string]int {
	out := map[string]int{}
	for i := 0; i+1 < len(entry.Content); i += 2 {
		key, val := entry.Content[i], entry.Content[i+1]
		out[key.Value] = key.Line
		switch key.Value {
		case "skip":
			for _, item := range val.Content {
				out["skip/"+item.Value] = item.Line
			}
		case "parameters":
			for j := 0; j+1 < len(val.Content); j += 2 {
				out["parameters/"+val.Content[j].Value] = val.Content[j].Line
			}
		}
	}
	return out
}

func digest(paths []string, files map[string][]byte) string {
	var listing bytes.Buffer
	for _, p := range paths {
		sum := sha256.Sum256(files[p])
		fmt.Fprintf(&listing, "%s  %s\n", hex.EncodeToString(sum[:]), p)
	}
	sum := sha256.Sum256(listing.Bytes())
	return "sha256:" + hex.EncodeToString(sum[:])
}

// file names a file of the baseline for messages.
func (b *Baseline) file(p string) string {
	return b.Origin + "/" + p
}

// Files returns the baseline's file paths, relative to its root, sorted.
func (b *Baseline) Files() []string {
	return append([]string(nil), b.paths...)
}

// ReadFile returns the content of one of the baseline's files.
func (b *Baseline) ReadFile(p string) ([]byte, bool) {
	d, ok := b.files[p]
	return d, ok
}

// regoModules returns the Rego modules to evaluate (tests excluded), keyed
// by the path relative to the baseline's root.
func (b *Baseline) regoModules() []string {
	var out []string
	for _, p := range b.paths {
		if strings.HasSuffix(p, ".rego") && !strings.HasSuffix(p, "_test.rego") {
			out = append(out, p)
		}
	}
	return out
}
