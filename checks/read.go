package checks

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/spf13/afero"
)

// Size limits for files that collectors read whole. A hostile root may hold
// a multi-gigabyte "config file"; reading stops there with an error.
const (
	// MaxConfigSize bounds small configuration files (sshd_config, passwd).
	MaxConfigSize = 4 << 20
	// MaxDatabaseSize bounds package databases such as dpkg's status file.
	MaxDatabaseSize = 256 << 20
)

// ErrNotRegular is returned by ReadFile for a path that is not a regular
// file (a directory, FIFO, device or socket).
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is returned by ReadFile for a file above its size limit.
var ErrTooLarge = errors.New("file too large")

// ReadFile reads the regular file name from fsys, following symlinks inside
// the root, and refuses anything that is not a regular file or is larger
// than limit bytes. Errors wrap fs.ErrNotExist when the file is missing.
func ReadFile(fsys afero.Fs, name string, limit int64) ([]byte, error) {
	fi, err := fsys.Stat(name)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "read", Path: name, Err: ErrNotRegular}
	}
	if fi.Size() > limit {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, fi.Size(), limit)}
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Check again on the open file: the path may have changed since Stat.
	if fi, err := f.Stat(); err == nil && !fi.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "read", Path: name, Err: ErrNotRegular}
	}
	// Size the buffer from Stat: io.ReadAll's doubling from 512 bytes was
	// most of the allocation in reading a large dpkg database.
	buf := bytes.NewBuffer(make([]byte, 0, min(fi.Size(), limit)+bytes.MinRead))
	_, err = buf.ReadFrom(io.LimitReader(f, limit+1))
	b := buf.Bytes()
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	if int64(len(b)) > limit {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fmt.Errorf("%w: limit %d", ErrTooLarge, limit)}
	}
	return b, nil
}
