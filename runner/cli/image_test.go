package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/gcrun/gcrun/internal/fixture"
	"github.com/gcrun/gcrun/report"
	"github.com/gcrun/gcrun/runner/packtest"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// statuses maps rule id to status.
func statuses(t *testing.T, out string) (*report.Report, map[string]string) {
	t.Helper()
	var rep report.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	m := map[string]string{}
	for _, r := range rep.Rules {
		m[r.ID] = string(r.Status)
	}
	return &rep, m
}

// TestEvaluateImageTar scans the same fixture as a docker-save archive, as
// a plain rootfs tarball and (with root, to set ownership) as a directory:
// every rule must come out the same, and the report must say what image
// it scanned.
func TestEvaluateImageTar(t *testing.T) {
	for _, fx := range []string{compliant, noncompliant} {
		t.Run(filepath.Base(fx), func(t *testing.T) {
			layerTar, err := packtest.FixtureTar(fx)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			rootfsTar := filepath.Join(dir, "rootfs.tar")
			if err := os.WriteFile(rootfsTar, layerTar, 0o600); err != nil {
				t.Fatal(err)
			}
			layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
				return io.NopCloser(bytes.NewReader(layerTar)), nil
			})
			if err != nil {
				t.Fatal(err)
			}
			img, err := mutate.AppendLayers(empty.Image, layer)
			if err != nil {
				t.Fatal(err)
			}
			tag, err := name.NewTag("example.com/gcrun/fixture:1")
			if err != nil {
				t.Fatal(err)
			}
			dockerTar := filepath.Join(dir, "image.tar")
			if err := tarball.WriteToFile(dockerTar, tag, img); err != nil {
				t.Fatal(err)
			}

			wantCode := ExitCompliant
			if fx == noncompliant {
				wantCode = ExitNonCompliant
			}
			r := run(t, nil, "evaluate", "--image-tar", dockerTar)
			r.want(t, wantCode)
			rep, fromImage := statuses(t, r.stdout)
			if rep.Image == nil || rep.Image.Format != "docker-archive" || rep.Image.Reference != tag.String() || rep.Image.Layers != 1 {
				t.Errorf("report image %+v", rep.Image)
			}
			if rep.Root != dockerTar {
				t.Errorf("root %q, want %q", rep.Root, dockerTar)
			}
			if rep.Host.OS.ID != "debian" {
				t.Errorf("host %+v: os-release not read from the image", rep.Host)
			}

			r = run(t, nil, "evaluate", "--image-tar", rootfsTar)
			r.want(t, wantCode)
			rep, fromRootfs := statuses(t, r.stdout)
			if rep.Image == nil || rep.Image.Format != "rootfs-tar" {
				t.Errorf("report image %+v", rep.Image)
			}
			if diff := cmp.Diff(fromImage, fromRootfs); diff != "" {
				t.Errorf("docker archive vs rootfs tar (-docker +rootfs):\n%s", diff)
			}
			if os.Geteuid() == 0 {
				r = run(t, nil, "evaluate", "--root", fixture.Materialize(t, fx))
				_, fromDir := statuses(t, r.stdout)
				if diff := cmp.Diff(fromDir, fromImage); diff != "" {
					t.Errorf("directory vs image (-dir +image):\n%s", diff)
				}
			}
		})
	}
}

func TestImageTarErrors(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.tar")
	if err := os.WriteFile(junk, []byte("not a tarball at all"), 0o600); err != nil {
		t.Fatal(err)
	}
	run(t, nil, "evaluate", "--image-tar", junk).want(t, ExitUsage, "--image-tar")
	run(t, nil, "evaluate", "--image-tar", filepath.Join(dir, "missing.tar")).want(t, ExitUsage, "missing.tar")
	run(t, nil, "evaluate", "--root", dir, "--image-tar", junk).want(t, ExitUsage, "one or the other")
}

func TestSweepFlags(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"a", "b"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(root, d, "open")
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	type sweepFacts struct {
		Sweep struct {
			Complete           bool     `json:"complete"`
			Excludes           []string `json:"excludes"`
			WorldWritableFiles []struct {
				Path string `json:"path"`
			} `json:"world_writable_files"`
		} `json:"sweep"`
	}
	facts := func(args ...string) sweepFacts {
		t.Helper()
		r := run(t, nil, append([]string{"facts", "sweep", "--root", root}, args...)...)
		r.want(t, 0)
		var f sweepFacts
		if err := json.Unmarshal([]byte(r.stdout), &f); err != nil {
			t.Fatal(err)
		}
		return f
	}
	f := facts("--sweep-exclude", "/b")
	var paths []string
	for _, w := range f.Sweep.WorldWritableFiles {
		paths = append(paths, w.Path)
	}
	if diff := cmp.Diff([]string{"/a/open"}, paths); diff != "" {
		t.Errorf("world-writable files (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"/b", "/dev", "/proc", "/run", "/sys"}, f.Sweep.Excludes); diff != "" {
		t.Errorf("excludes (-want +got):\n%s", diff)
	}
	if !f.Sweep.Complete {
		t.Error("sweep incomplete")
	}
	if f = facts("--sweep-path", "/b"); len(f.Sweep.WorldWritableFiles) != 1 || f.Sweep.WorldWritableFiles[0].Path != "/b/open" {
		t.Errorf("--sweep-path /b: %+v", f.Sweep.WorldWritableFiles)
	}
	if f = facts("--sweep-max-entries", "1"); f.Sweep.Complete {
		t.Error("--sweep-max-entries 1: sweep complete")
	}
}
