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
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// PackFile is the name of a baseline's optional manifest.
const PackFile = "pack.yaml"

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
	// Origin says where the baseline came from (a directory, or
	// "builtin:linux" for an embedded pack); file names in errors start
	// with it.
	Origin string
	// Digest is "sha256:" and the hex SHA-256 of the sha256sum(1) listing
	// of every file, sorted by path: the same digest comes out of
	//   (cd DIR && find . -type f -printf '%P\n' | LC_ALL=C sort | xargs sha256sum) | sha256sum
	Digest string

	files map[string][]byte
	paths []string
}

// Manifest is the content of pack.yaml.
type Manifest struct {
	Name        string      `yaml:"name"`
	Version     string      `yaml:"version"`
	Description string      `yaml:"description"`
	Parameters  []Parameter `yaml:"parameters"`
}

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
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&m); err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: %w", b.file(PackFile), err)
		}
	}
	b.Name, b.Version, b.Description, b.Parameters = m.Name, m.Version, m.Description, m.Parameters
	if b.Name == "" {
		b.Name = path.Base(strings.TrimPrefix(origin, "builtin:"))
	}
	if b.Version == "" {
		b.Version = "0.0.0"
	}
	return b, nil
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
