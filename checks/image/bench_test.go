package image

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"
)

// synthLayer is a layer of files files of about size bytes each, spread
// over directories of 100, with text content that compresses about 2:1.
// Every 50th file of the previous layer is whited out.
func synthLayer(b *testing.B, layer, files, size int) []byte {
	b.Helper()
	rng := rand.New(rand.NewPCG(uint64(layer), 1))
	const alphabet = "abcdefghijklmnop \n"
	body := make([]byte, size)
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	write := func(hdr *tar.Header, data []byte) {
		hdr.ModTime, hdr.Format = testMtime, tar.FormatPAX
		if err := tw.WriteHeader(hdr); err != nil {
			b.Fatal(err)
		}
		if _, err := tw.Write(data); err != nil {
			b.Fatal(err)
		}
	}
	for i := range files {
		d := fmt.Sprintf("usr/share/l%d/d%04d", layer, i/100)
		if i%100 == 0 {
			write(&tar.Header{Name: d + "/", Typeflag: tar.TypeDir, Mode: 0o755}, nil)
		}
		for j := range body {
			body[j] = alphabet[rng.IntN(len(alphabet))]
		}
		write(&tar.Header{Name: fmt.Sprintf("%s/f%03d", d, i%100), Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(size)}, body)
		if layer > 0 && i%50 == 0 {
			write(&tar.Header{Name: fmt.Sprintf("usr/share/l%d/d%04d/.wh.f%03d", layer-1, i/100, i%100), Typeflag: tar.TypeReg, Mode: 0o644}, nil)
		}
	}
	if err := tw.Close(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// peakHeap runs fn and returns the largest live heap seen while it ran,
// sampled every millisecond.
func peakHeap(fn func()) uint64 {
	var stop atomic.Bool
	var peak uint64
	done := make(chan struct{})
	go func() {
		defer close(done)
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		for !stop.Load() {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			time.Sleep(time.Millisecond)
		}
	}()
	fn()
	stop.Store(true)
	<-done
	return peak
}

// BenchmarkOpen opens ~100 MB synthetic images: a two-layer docker archive
// with gzip layers (24,000 files of 4 KiB, whiteouts), the same tree as a
// plain and a gzip rootfs tarball, and a rootfs of 200,000 tiny files.
// Besides ns/op and B/op it reports the peak live heap during Open and the
// content retained.
func BenchmarkOpen(b *testing.B) {
	dir := b.TempDir()
	l1 := synthLayer(b, 0, 20000, 4096)
	l2 := synthLayer(b, 1, 4000, 4096)
	docker := filepath.Join(dir, "docker.tar")
	writeDocker(b, docker, testRef, mkImage(b, "amd64", gzipLayer(b, l1), gzipLayer(b, l2)))
	rootfsTar := filepath.Join(dir, "rootfs.tar")
	writeFile(b, rootfsTar, append(l1[:len(l1)-1024:len(l1)-1024], l2...)) // one tar: l1 without its end marker, then l2
	rootfsGz := filepath.Join(dir, "rootfs.tar.gz")
	writeFile(b, rootfsGz, gzipBytes(b, readFile(b, rootfsTar)))
	tiny := filepath.Join(dir, "tiny.tar")
	writeFile(b, tiny, synthLayer(b, 7, 200000, 16))
	uncompressed := int64(len(l1) + len(l2))
	for _, c := range []struct {
		name, file string
		bytes      int64
	}{
		{"docker-gzip-100MB", docker, uncompressed},
		{"rootfs-tar-100MB", rootfsTar, uncompressed},
		{"rootfs-tar-gz-100MB", rootfsGz, uncompressed},
		{"rootfs-tar-200k-tiny-files", tiny, 0},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(c.bytes)
			var peak uint64
			var info Info
			for b.Loop() {
				b.StopTimer()
				runtime.GC()
				b.StartTimer()
				p := peakHeap(func() {
					fsys, err := Open(context.Background(), c.file)
					if err != nil {
						b.Fatal(err)
					}
					info = fsys.Describe()
					runtime.KeepAlive(fsys)
				})
				peak = max(peak, p)
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(info.RetainedBytes)/(1<<20), "retained-MiB")
			b.ReportMetric(float64(info.Files), "files")
		})
	}
}
