package cli

import (
	"fmt"
	"os"

	"github.com/gcrun/gcrun/internal/atomicfile"
)

// writeFileAtomic writes data to path through a temporary file in the same
// directory, synced and renamed into place, so that a reader (or a crash)
// never sees half a report or half a key.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	return atomicfile.WriteFile(path, data, perm)
}

// emit writes data to --output, or to stdout when output is "" or "-".
func (a *app) emit(output string, data []byte) error {
	if output == "" || output == "-" {
		_, err := a.io.Stdout.Write(data)
		return err
	}
	if err := writeFileAtomic(output, data, 0o644); err != nil {
		return usageErr(fmt.Errorf("--output: %w", err))
	}
	return nil
}
