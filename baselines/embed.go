// Package baselines holds the baseline packs that ship inside gcrun.
package baselines

import (
	"embed"
	"io/fs"
)

//go:embed all:linux
var linux embed.FS

// Linux returns the default Linux baseline pack (baselines/linux: pack.yaml,
// the rule modules and their tests), rooted at the pack's directory. It is
// embedded in the binary so that gcrun evaluate needs no files on disk.
func Linux() fs.FS {
	sub, err := fs.Sub(linux, "linux")
	if err != nil {
		// fs.Sub fails only on an invalid path; "linux" is valid.
		panic(err)
	}
	return sub
}
