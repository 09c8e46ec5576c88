package runner

import (
	"context"
	"io/fs"
	"path"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gcrun/gcrun/baselines"
	"github.com/gcrun/gcrun/engine"
)

// withoutSweep is the default baseline without the file-system sweep
// rules, whose cost grows with the number of files on the host and is
// measured on its own (checks.BenchmarkSweep100k).
func withoutSweep(b *testing.B) *engine.Baseline {
	b.Helper()
	src := baselines.Linux()
	out := fstest.MapFS{}
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.HasPrefix(p, "filesystem/") || strings.HasPrefix(path.Base(p), "filesystem") || strings.HasPrefix(path.Base(p), "fixtures_filesystem") {
			return nil
		}
		data, err := fs.ReadFile(src, p)
		out[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	bl, err := engine.LoadBaseline(out, "builtin:linux-without-sweep")
	if err != nil {
		b.Fatal(err)
	}
	return bl
}

// BenchmarkEvaluateThisHost is `gcrun evaluate` with the default baseline
// on the machine running the benchmark: end to end (compiling while
// collecting, then evaluating, as the command does) and in its phases,
// compiling the baseline, and collecting the facts and evaluating every
// rule. The sweep rules are left out (see withoutSweep); "with-sweep"
// adds them, and with them a walk of every local file.
func BenchmarkEvaluateThisHost(b *testing.B) {
	ctx := context.Background()
	target, err := NewTarget("/")
	if err != nil {
		b.Fatal(err)
	}
	full, err := DefaultBaseline()
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		baseline *engine.Baseline
	}{{"without-sweep", withoutSweep(b)}, {"with-sweep", full}} {
		b.Run(tc.name+"/compile", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := NewEngine(ctx, []*engine.Baseline{tc.baseline}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(tc.name+"/end-to-end", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rep, _, err := EvaluateBaselines(ctx, []*engine.Baseline{tc.baseline}, target, Options{})
				if err != nil {
					b.Fatal(err)
				}
				if rep.Summary.Error > 0 {
					b.Fatalf("%d rules in error", rep.Summary.Error)
				}
			}
		})
		eng, err := NewEngine(ctx, []*engine.Baseline{tc.baseline})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(tc.name+"/collect-and-evaluate", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rep, err := Evaluate(ctx, eng, target, Options{})
				if err != nil {
					b.Fatal(err)
				}
				if rep.Summary.Error > 0 {
					b.Fatalf("%d rules in error", rep.Summary.Error)
				}
			}
			b.ReportMetric(float64(len(eng.Rules())), "rules")
		})
	}
}
