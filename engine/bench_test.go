package engine_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/gcrun/gcrun/baselines"
	"github.com/gcrun/gcrun/checks"
	"github.com/gcrun/gcrun/checks/rootfs"
	"github.com/gcrun/gcrun/engine"
	"github.com/gcrun/gcrun/internal/fixture"
)

func defaultBaseline(b *testing.B) *engine.Baseline {
	base, err := engine.LoadBaseline(baselines.Linux(), "builtin:linux")
	if err != nil {
		b.Fatal(err)
	}
	return base
}

// BenchmarkNew measures loading, checking and compiling the default
// baseline: the one-time cost of an engine.
func BenchmarkNew(b *testing.B) {
	base := defaultBaseline(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := engine.New(context.Background(), []*engine.Baseline{base}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvaluate measures evaluating every rule of the default baseline
// against the facts of the non-compliant fixture (the slower path: every
// failing rule builds its reasons), one rule at a time and in parallel.
func BenchmarkEvaluate(b *testing.B) {
	for _, p := range []int{1, runtime.GOMAXPROCS(0)} {
		b.Run(fmt.Sprintf("parallelism=%d", p), func(b *testing.B) { benchmarkEvaluate(b, p) })
	}
}

func benchmarkEvaluate(b *testing.B, parallelism int) {
	ctx := context.Background()
	eng, err := engine.New(ctx, []*engine.Baseline{defaultBaseline(b)}, engine.WithParallelism(parallelism))
	if err != nil {
		b.Fatal(err)
	}
	root := fixture.Materialize(b, "../testdata/hosts/noncompliant")
	fsys, err := rootfs.New(root)
	if err != nil {
		b.Fatal(err)
	}
	facts, err := checks.Collect(ctx, checks.Target{Fs: fsys, Root: root},
		checks.Files{Paths: eng.Files()}, checks.SSHD{}, checks.Packages{}, checks.Host{})
	if err != nil {
		b.Fatal(err)
	}
	if errs := facts.Errors(); len(errs) > 0 {
		b.Fatal(errs)
	}
	in := engine.Input{Facts: facts.Input()}
	b.ReportAllocs()
	for b.Loop() {
		rs, err := eng.Evaluate(ctx, in)
		if err != nil {
			b.Fatal(err)
		}
		if len(rs) == 0 {
			b.Fatal("no results")
		}
	}
	b.ReportMetric(float64(len(eng.Rules())), "rules")
}
