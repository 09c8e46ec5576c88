// Package deps anchors modules that code in progress is about to use, so
// that go.mod and go.sum hold them. Removed once the code lands.
package deps

import (
	_ "github.com/google/go-containerregistry/pkg/v1/mutate"
	_ "github.com/google/go-containerregistry/pkg/v1/tarball"
	_ "github.com/knqyf263/go-rpmdb/pkg"
)
