package spool

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func exportedSpool(t *testing.T) (*Spool, []byte) {
	t.Helper()
	c := newClock()
	s := open(t, t.TempDir(), SpoolLimits{}, c)
	for _, r := range [][2]string{{"r1", "linux"}, {"r2", "web"}, {"r3", "linux"}} {
		put(t, s, r[0], r[1])
		c.advance(time.Minute)
	}
	var buf bytes.Buffer
	if err := s.Export(&buf); err != nil {
		t.Fatal(err)
	}
	return s, buf.Bytes()
}

func TestExportRoundTrip(t *testing.T) {
	s, data := exportedSpool(t)
	got, err := ReadExport(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	want := []ExportedReport{
		{ID: "r1", Assignment: "linux", Created: t0, Envelope: envelope("r1")},
		{ID: "r2", Assignment: "web", Created: t0.Add(time.Minute), Envelope: envelope("r2")},
		{ID: "r3", Assignment: "linux", Created: t0.Add(2 * time.Minute), Envelope: envelope("r3")},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ReadExport (-want +got):\n%s", diff)
	}
	// The format: a header, one line per report, a trailer.
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[0], `{"format":"gcrun-spool-export","version":1,`) ||
		!strings.HasPrefix(lines[4], `{"end":true,"count":3,"sha256":"`) {
		t.Errorf("export:\n%s", data)
	}
	// Exporting leaves the spool as it is.
	wantPending(t, s, "r1", "r2", "r3")

	// ExportFile: atomic, 0600, the same content.
	path := filepath.Join(t.TempDir(), "spool.export")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.ExportFile(path); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("export file: %v, %v", info.Mode(), err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err = ReadExport(f)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ReadExport(file) (-want +got):\n%s", diff)
	}
	des, _ := os.ReadDir(filepath.Dir(path))
	if len(des) != 1 {
		t.Errorf("temporary files left beside the export: %d entries", len(des))
	}

	if err := s.ExportFile(filepath.Join(s.Dir(), "x.export")); err == nil || !strings.Contains(err.Error(), "outside the spool") {
		t.Errorf("export into the spool: %v", err)
	}
	if err := s.ExportFile(filepath.Join(s.Dir(), badDir, "x.export")); err == nil {
		t.Error("export into bad/ accepted")
	}
}

func TestExportEmptyAndCorrupt(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, SpoolLimits{}, newClock())
	var buf bytes.Buffer
	if err := s.Export(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := ReadExport(&buf)
	if err != nil || len(got) != 0 {
		t.Fatalf("empty export: %v, %v", got, err)
	}
	// A report damaged on disk is moved aside and left out.
	put(t, s, "r1", "linux")
	put(t, s, "r2", "linux")
	p, _ := s.Pending()
	if err := os.WriteFile(filepath.Join(dir, p[0].path), []byte("\x1f\x8b damaged"), 0o600); err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	if err := s.Export(&buf); err != nil {
		t.Fatal(err)
	}
	got, err = ReadExport(&buf)
	if err != nil || len(got) != 1 || got[0].ID != "r2" {
		t.Fatalf("export with a damaged report: %v, %v", got, err)
	}
	if _, moved := badFiles(t, dir)[p[0].path]; !moved || s.Stats().Corrupt != 1 {
		t.Errorf("damaged report not moved aside: %q", badFiles(t, dir))
	}
}

func TestReadExportDetectsTruncation(t *testing.T) {
	_, data := exportedSpool(t)
	for n := 0; n < len(data); n++ {
		if got, err := ReadExport(bytes.NewReader(data[:n])); err == nil {
			t.Fatalf("export truncated to %d of %d bytes read as %d reports", n, len(data), len(got))
		}
	}
}

func TestReadExportErrors(t *testing.T) {
	_, data := exportedSpool(t)
	lines := strings.SplitAfter(string(data), "\n")
	lines = lines[:len(lines)-1] // the empty string after the last "\n"
	join := func(ls ...string) string { return strings.Join(ls, "") }
	hdr, r1, r2, r3, trailer := lines[0], lines[1], lines[2], lines[3], lines[4]
	cases := map[string]struct{ text, want string }{
		"empty":             {"", "empty file"},
		"not an export":     {`{"hello":1}` + "\n", "line 1: not a gcrun spool export"},
		"future version":    {strings.Replace(hdr, `"version":1`, `"version":2`, 1) + r1, "line 1: unsupported export version 2"},
		"no trailer":        {join(hdr, r1, r2, r3), "truncated: no trailer after 3 report(s)"},
		"a report removed":  {join(hdr, r1, r3, trailer), "line 4: the trailer counts 3 report(s), the file has 2"},
		"a report altered":  {join(hdr, r1, strings.Replace(r2, `"web"`, `"wex"`, 1), r3, trailer), "line 5: checksum mismatch"},
		"reports reordered": {join(hdr, r2, r1, r3, trailer), "line 5: checksum mismatch"},
		"after the trailer": {join(hdr, r1, r2, r3, trailer, r1), "line 5: data after the trailer"},
		"duplicate id":      {join(hdr, r1, r1), "line 3: report id r1 twice (first on line 2)"},
		"bad id":            {join(hdr, strings.Replace(r1, `"id":"r1"`, `"id":"../r1"`, 1)), `line 2: invalid report id "../r1"`},
		"bad assignment":    {join(hdr, strings.Replace(r1, `"linux"`, `"a/b"`, 1)), `line 2: report r1: invalid assignment name "a/b"`},
		"unknown field":     {join(hdr, strings.Replace(r1, `{"id"`, `{"extra":1,"id"`, 1)), `line 2: json: unknown field "extra"`},
		"not JSON envelope": {join(hdr, `{"id":"x","assignment":"a","created":"2026-01-01T00:00:00Z","envelope":"bm90IGpzb24="}`+"\n"), "line 2: report x: the envelope is not JSON"},
		"mixed line":        {join(hdr, strings.Replace(r1, `{"id"`, `{"end":false,"count":1,"id"`, 1)), "line 2: a report with trailer fields"},
	}
	for name, tc := range cases {
		_, err := ReadExport(strings.NewReader(tc.text))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", name, err, tc.want)
		}
	}
}
