package runner

import (
	"context"
	"fmt"

	"github.com/gcrun/gcrun/checks"
	"github.com/gcrun/gcrun/checks/image"
	"github.com/gcrun/gcrun/checks/rootfs"
	"github.com/gcrun/gcrun/report"
)

// OpenImage opens a container image saved with `docker save`, an OCI
// layout archive or a plain rootfs tarball as a read-only target, with its
// layers flattened in memory (nothing is unpacked to disk). Symlinks in the
// image resolve inside it, as under chroot. The target is never live: facts
// that only a running system has are reported as unavailable.
func OpenImage(ctx context.Context, path string, opts ...image.Option) (checks.Target, *report.Image, error) {
	fsys, err := image.Open(ctx, path, opts...)
	if err != nil {
		return checks.Target{}, nil, fmt.Errorf("image %s: %w", path, err)
	}
	info := fsys.Describe()
	digest := info.Digest
	if digest == "" {
		digest = info.ConfigDigest
	}
	desc := &report.Image{Format: info.Format, Reference: info.Reference, Digest: digest, Layers: info.Layers}
	return checks.Target{Fs: rootfs.Wrap(fsys), Root: path, Live: false}, desc, nil
}
