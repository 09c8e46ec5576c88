package serve

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"time"
)

// bundleDigest caches a bundle file's ETag while the file is unchanged.
type bundleDigest struct {
	fi   os.FileInfo
	etag string
}

// validBundleName reports whether name is a bundle name: 1 to 128 of
// [a-z0-9._-], not starting with a dot.
func validBundleName(name string) bool {
	if name == "" || len(name) > 128 || name[0] == '.' {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// handleBundle is GET /v1/bundles/{name}: the file <BundlesDir>/<name>.tar.gz
// with a strong ETag (its SHA-256) and 304 for a matching If-None-Match.
// The file is opened through an os.Root, so neither the name nor a
// symbolic link can reach outside the directory.
func (s *Server) handleBundle(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if s.bundlesDir == "" || !validBundleName(name) {
		writeError(w, http.StatusNotFound, codeNotFound, "no such bundle")
		return
	}
	root, err := os.OpenRoot(s.bundlesDir)
	if err != nil {
		s.log.WithError(err).Error("bundles: cannot open the bundles directory")
		writeError(w, http.StatusInternalServerError, "internal", "cannot open the bundles directory")
		return
	}
	defer root.Close()
	f, err := root.Open(name + ".tar.gz")
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			s.log.WithError(err).WithField("bundle", name).Warn("bundles: cannot open bundle")
		}
		writeError(w, http.StatusNotFound, codeNotFound, "no such bundle")
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		writeError(w, http.StatusNotFound, codeNotFound, "no such bundle")
		return
	}
	etag, err := s.bundleETag(name, f, fi)
	if err != nil {
		s.log.WithError(err).WithField("bundle", name).Error("bundles: cannot read bundle")
		writeError(w, http.StatusInternalServerError, "internal", "cannot read the bundle")
		return
	}
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Content-Type", "application/gzip")
	// Cache, but revalidate every time (the ETag makes that cheap).
	h.Set("Cache-Control", "no-cache")
	// No modification time: only the ETag decides 304s (a file copied in
	// with an older mtime must not look unchanged).
	http.ServeContent(w, r, "", time.Time{}, f)
}

// bundleETag returns the strong ETag of the open file f, hashing it only
// when the file changed since the last request (another inode, size or
// modification time). It leaves f at offset 0.
func (s *Server) bundleETag(name string, f *os.File, fi os.FileInfo) (string, error) {
	s.bundleMu.Lock()
	c, ok := s.bundleCache[name]
	s.bundleMu.Unlock()
	if ok && os.SameFile(c.fi, fi) && c.fi.Size() == fi.Size() && c.fi.ModTime().Equal(fi.ModTime()) {
		return c.etag, nil
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	etag := `"sha256-` + hex.EncodeToString(h.Sum(nil)) + `"`
	s.bundleMu.Lock()
	s.bundleCache[name] = bundleDigest{fi: fi, etag: etag}
	s.bundleMu.Unlock()
	return etag, nil
}
