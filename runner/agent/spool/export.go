package spool

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Export file format (version 1): JSON lines, written by Export and read by
// ReadExport (for `gcrun serve import`).
//
//	{"format":"gcrun-spool-export","version":1,"exported":"<RFC 3339>"}
//	{"id":"<report id>","assignment":"<name>","created":"<RFC 3339>","envelope":"<base64 of the DSSE envelope>"}
//	... one line per pending report, oldest first ...
//	{"end":true,"count":<reports>,"sha256":"<hex SHA-256 of every byte before this line>"}
//
// The trailer's count and checksum detect a truncated or altered file. The
// envelopes are the signed reports themselves: the receiver verifies them
// as it does delivered reports, and importing a report twice stores it
// once (the id is the idempotency key). Exporting leaves the spool as it
// is.
const (
	ExportFormat  = "gcrun-spool-export"
	ExportVersion = 1
)

// ExportedReport is one report of an export file.
type ExportedReport struct {
	ID         string    `json:"id"`
	Assignment string    `json:"assignment"`
	Created    time.Time `json:"created"`
	Envelope   []byte    `json:"envelope"`
}

type exportHeader struct {
	Format   string    `json:"format"`
	Version  int       `json:"version"`
	Exported time.Time `json:"exported"`
}

type exportTrailer struct {
	End    bool   `json:"end"`
	Count  int    `json:"count"`
	SHA256 string `json:"sha256"`
}

// exportLine is a report or the trailer.
type exportLine struct {
	ExportedReport
	exportTrailer
}

// maxExportLine bounds a line: a base64 envelope and its fields.
const maxExportLine = MaxEnvelopeSize/3*4 + 8<<10

// Export writes every pending report to w in the export format, oldest
// first. Unreadable files are moved to bad/ (as Pending does) and left
// out.
func (s *Spool) Export(w io.Writer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lock == nil {
		return ErrClosed
	}
	if err := s.scan(); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	h := sha256.New()
	mw := io.MultiWriter(bw, h)
	writeLine := func(w io.Writer, v any) error {
		data, err := json.Marshal(v)
		if err != nil {
			return err
		}
		_, err = w.Write(append(data, '\n'))
		return err
	}
	if err := writeLine(mw, exportHeader{Format: ExportFormat, Version: ExportVersion, Exported: s.now().UTC()}); err != nil {
		return fmt.Errorf("spool export: %w", err)
	}
	count, quarantined := 0, false
	for _, e := range s.sorted() {
		data, err := readReport(filepath.Join(s.dir, e.path))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			s.drop(e.path)
			continue
		case errors.Is(err, ErrCorrupt):
			s.drop(e.path)
			if err := s.quarantine(e.path, err.Error()); err != nil {
				return err
			}
			quarantined = true
			continue
		case err != nil:
			return fmt.Errorf("spool export: %s: %w", e.path, err)
		}
		if err := writeLine(mw, ExportedReport{ID: e.ID, Assignment: e.Assignment, Created: e.Created, Envelope: data}); err != nil {
			return fmt.Errorf("spool export: %w", err)
		}
		count++
	}
	if quarantined {
		if err := s.saveCounters(); err != nil {
			return fmt.Errorf("spool: %w", err)
		}
	}
	if err := writeLine(bw, exportTrailer{End: true, Count: count, SHA256: hex.EncodeToString(h.Sum(nil))}); err != nil {
		return fmt.Errorf("spool export: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("spool export: %w", err)
	}
	return nil
}

// ExportFile writes the export to path atomically (mode 0600): a temporary
// file beside it, fsynced, renamed, the directory fsynced. path must not
// be inside the spool.
func (s *Spool) ExportFile(path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("spool export: %w", err)
	}
	spoolDir, err := filepath.Abs(s.dir)
	if err != nil {
		return fmt.Errorf("spool export: %w", err)
	}
	dir := filepath.Dir(abs)
	if dir == spoolDir || dir == filepath.Join(spoolDir, badDir) {
		return fmt.Errorf("spool export: %s: write the export outside the spool directory", path)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(abs)+".tmp-*")
	if err != nil {
		return fmt.Errorf("spool export: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	fail := func(err error) error {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o600); err != nil {
		return fail(fmt.Errorf("spool export: %w", err))
	}
	if err := s.Export(tmp); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(fmt.Errorf("spool export: %w", err))
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("spool export: %w", err)
	}
	if err := os.Rename(tmp.Name(), abs); err != nil {
		return fmt.Errorf("spool export: %w", err)
	}
	syncDir(dir)
	return nil
}

// ReadExport reads an export file, checking its header, every report (id,
// assignment name, a JSON envelope, no id twice) and the trailer's count
// and checksum: a truncated or altered file is an error naming the line.
func ReadExport(r io.Reader) ([]ExportedReport, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	h := sha256.New()
	lineNo := 0
	errorf := func(format string, args ...any) error {
		return fmt.Errorf("spool export: line %d: %s", lineNo, fmt.Sprintf(format, args...))
	}
	next := func() ([]byte, error) {
		lineNo++
		line, err := readLine(br, maxExportLine)
		if err == io.EOF && len(line) == 0 {
			return nil, io.EOF
		}
		if err == io.EOF {
			return nil, errorf("truncated: the last line has no end")
		}
		if err != nil {
			return nil, errorf("%v", err)
		}
		return line, nil
	}
	strict := func(line []byte, v any) error {
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil {
			return err
		}
		if dec.More() {
			return errors.New("more than one JSON value on the line")
		}
		return nil
	}

	line, err := next()
	if err == io.EOF {
		return nil, errors.New("spool export: empty file")
	}
	if err != nil {
		return nil, err
	}
	var hdr exportHeader
	if err := strict(line, &hdr); err != nil || hdr.Format != ExportFormat {
		return nil, errorf("not a gcrun spool export (want a %q header)", ExportFormat)
	}
	if hdr.Version != ExportVersion {
		return nil, errorf("unsupported export version %d (this gcrun reads version %d)", hdr.Version, ExportVersion)
	}
	h.Write(line)

	var out []ExportedReport
	ids := map[string]int{}
	for {
		line, err := next()
		if err == io.EOF {
			return nil, fmt.Errorf("spool export: truncated: no trailer after %d report(s)", len(out))
		}
		if err != nil {
			return nil, err
		}
		var l exportLine
		if err := strict(line, &l); err != nil {
			return nil, errorf("%v", err)
		}
		if l.End {
			if l.ID != "" || l.Envelope != nil {
				return nil, errorf("a trailer with report fields")
			}
			if l.Count != len(out) {
				return nil, errorf("the trailer counts %d report(s), the file has %d", l.Count, len(out))
			}
			if sum := hex.EncodeToString(h.Sum(nil)); l.SHA256 != sum {
				return nil, errorf("checksum mismatch: the trailer says %s, the content is %s", l.SHA256, sum)
			}
			if extra, _ := br.Peek(1); len(extra) > 0 {
				return nil, errorf("data after the trailer")
			}
			return out, nil
		}
		if l.Count != 0 || l.SHA256 != "" {
			return nil, errorf("a report with trailer fields")
		}
		rep := l.ExportedReport
		switch {
		case !ValidName(rep.ID):
			return nil, errorf("invalid report id %q", rep.ID)
		case !ValidName(rep.Assignment):
			return nil, errorf("report %s: invalid assignment name %q", rep.ID, rep.Assignment)
		case len(rep.Envelope) == 0 || !json.Valid(rep.Envelope):
			return nil, errorf("report %s: the envelope is not JSON", rep.ID)
		case len(rep.Envelope) > MaxEnvelopeSize:
			return nil, errorf("report %s: envelope larger than %d bytes", rep.ID, MaxEnvelopeSize)
		}
		if first, dup := ids[rep.ID]; dup {
			return nil, errorf("report id %s twice (first on line %d)", rep.ID, first)
		}
		ids[rep.ID] = lineNo
		h.Write(line)
		out = append(out, rep)
	}
}

// readLine returns the next line including its '\n'; io.EOF with the
// bytes read when the input ends before one.
func readLine(br *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line)+len(chunk) > max {
			return nil, fmt.Errorf("line longer than %d bytes", max)
		}
		line = append(line, chunk...)
		switch {
		case err == nil:
			return line, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		default:
			return line, err
		}
	}
}
