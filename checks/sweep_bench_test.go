package checks

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/spf13/afero"

	"github.com/gcrun/gcrun/checks/rootfs"
)

// sweepBenchTree builds, once, a root of 100,000 files in 110 directories
// (10 x 10 x 1,000), one in a hundred of them world-writable.
func sweepBenchTree(b *testing.B) string {
	b.Helper()
	dir := b.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "etc"), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "etc", "passwd"), []byte("root:x:0:0::/root:/bin/sh\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "etc", "group"), []byte("root:x:0:\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	n := 0
	for i := range 10 {
		for j := range 10 {
			d := filepath.Join(dir, "usr", fmt.Sprintf("d%02d", i), fmt.Sprintf("s%02d", j))
			if err := os.MkdirAll(d, 0o755); err != nil {
				b.Fatal(err)
			}
			for k := range 1000 {
				mode := os.FileMode(0o644)
				if n%100 == 0 {
					mode = 0o666
				}
				p := filepath.Join(d, fmt.Sprintf("file-%04d", k))
				if err := os.WriteFile(p, nil, mode); err != nil {
					b.Fatal(err)
				}
				if err := os.Chmod(p, mode); err != nil {
					b.Fatal(err)
				}
				n++
			}
		}
	}
	return dir
}

// BenchmarkSweep100k sweeps 100,000 files: the quality bar is under 1.5 s
// on two cores for the walk of a root made by rootfs.New. The generic walk
// (every path resolved with securejoin) is measured for comparison.
func BenchmarkSweep100k(b *testing.B) {
	dir := sweepBenchTree(b)
	run := func(b *testing.B, fsys afero.Fs, workers int) {
		b.ReportAllocs()
		for b.Loop() {
			got, err := Sweep{Workers: workers}.Collect(context.Background(), Target{Fs: fsys, Root: dir})
			if err != nil {
				b.Fatal(err)
			}
			f := got.(*SweepFacts)
			if !f.Complete || f.Counts.WorldWritableFiles != 1000 || f.Scanned.Entries < 100_000 {
				b.Fatalf("complete %v, %d world-writable, %d entries", f.Complete, f.Counts.WorldWritableFiles, f.Scanned.Entries)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/100_000, "ns/entry")
	}
	fast, err := rootfs.New(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("fast/workers=1", func(b *testing.B) { run(b, fast, 1) })
	b.Run("fast/workers=2", func(b *testing.B) { run(b, fast, 2) })
	b.Run("generic", func(b *testing.B) {
		run(b, rootfs.Wrap(afero.NewBasePathFs(afero.NewOsFs(), dir)), 1)
	})
}
