// Package packtest runs the tests of a baseline pack: `gcrun test PACK`.
//
// A pack's tests are of two kinds:
//
//   - Rego unit tests: rules named test_* in files *_test.rego, run with
//     OPA's tester under the conditions of evaluation: Rego v1, the
//     engine's restricted capabilities, strict builtin errors, the pack's
//     parameters in data.gcrun.params and gcrun's own builtins
//     (gcrun.sshd.effective_config, gcrun.version_compare).
//   - Fixture tests: fixtures/<name>/root is evaluated with the pack, as
//     `gcrun evaluate --root` evaluates an offline root, and the rules that
//     fixtures/<name>/expected.yaml lists are compared with what it says.
//     The modes and owners of fixtures/<name>/attrs.txt are applied without
//     privileges: the root is packed into a rootfs tarball with those
//     attributes in its headers and scanned as an image.
//
// See docs/testing-packs.md.
package packtest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/gcrun/gcrun/engine"
	"github.com/gcrun/gcrun/runner"
)

// FixturesDir is the directory of a pack that holds its fixture roots. It
// is not part of the pack's rules: the baseline is loaded without it.
const FixturesDir = "fixtures"

// pack is a pack loaded for testing: the baselines to compile (the
// dependencies first, the pack under test last) and the engine options the
// pack itself implies (rules it drops from its dependencies, parameters it
// overrides).
type pack struct {
	dir       string
	baselines []*engine.Baseline
	options   []engine.Option
}

// self is the baseline under test.
func (p *pack) self() *engine.Baseline { return p.baselines[len(p.baselines)-1] }

// loadPack loads the pack in dir with its dependencies (runner.LoadPacks),
// the pack under test last among the baselines.
func loadPack(_ context.Context, dir, toolVersion string) (*pack, error) {
	dir = filepath.Clean(dir)
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("pack %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("pack %s: not a directory", dir)
	}
	// The pack with the packs it depends on, dependencies first; the
	// loader leaves the fixture roots (test data, not rules) out.
	ps, err := runner.LoadPacks([]string{dir}, toolVersion)
	if err != nil {
		return nil, err
	}
	return &pack{dir: dir, baselines: ps.Baselines(), options: ps.EngineOptions()}, nil
}

// withoutFixtures hides the top-level fixtures directory of a pack.
type withoutFixtures struct{ fsys fs.FS }

func hidden(name string) bool {
	return name == FixturesDir || strings.HasPrefix(name, FixturesDir+"/")
}

func (w withoutFixtures) Open(name string) (fs.File, error) {
	if hidden(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return w.fsys.Open(name)
}

func (w withoutFixtures) ReadDir(name string) ([]fs.DirEntry, error) {
	if hidden(name) {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	entries, err := fs.ReadDir(w.fsys, name)
	if err != nil || name != "." {
		return entries, err
	}
	kept := entries[:0]
	for _, e := range entries {
		if e.Name() != FixturesDir {
			kept = append(kept, e)
		}
	}
	return kept, nil
}

// problem builds a load error with one problem at file:line, so that every
// bad pack is reported the same way, whoever found it.
func problem(file string, line int, format string, args ...any) *engine.LoadError {
	return &engine.LoadError{Problems: []engine.Problem{{
		Location: engine.Location{File: file, Line: line},
		Message:  fmt.Sprintf(format, args...),
	}}}
}

// joinProblems merges load errors into one, keeping every problem.
func joinProblems(errs []error) error {
	var out engine.LoadError
	for _, err := range errs {
		if err == nil {
			continue
		}
		var le *engine.LoadError
		if errors.As(err, &le) {
			out.Problems = append(out.Problems, le.Problems...)
			continue
		}
		out.Problems = append(out.Problems, engine.Problem{Message: err.Error()})
	}
	if len(out.Problems) == 0 {
		return nil
	}
	return &out
}
