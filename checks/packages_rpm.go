package checks

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/spf13/afero"
)

// The rpm database: where rpm keeps it and how it stores it.
//
// rpm looks in its %_dbpath (/var/lib/rpm upstream; /usr/lib/sysimage/rpm
// on Fedora 36+, openSUSE and SLE 15, which keep /var/lib/rpm as a symlink
// to it) for the file of its configured backend, then for those of the
// other backends in the order sqlite, ndb, bdb (lib/backend/dbi.c,
// dbDetectBackend). The collector tries the same files in the same order,
// the /usr/lib/sysimage/rpm directory first: a system that uses it has
// configured it, and /var/lib/rpm then points there or is gone. The file
// name decides the backend, as it does for rpm.
//
// Each backend stores one header blob per installed package under the
// package's instance number (hnum). The readers below are written from
// rpm 4.18's own code (lib/backend/bdb_ro.c, lib/backend/ndb/rpmpkg.c,
// lib/header.c) and the SQLite file format, bounds-checked throughout: a
// hostile image can make them fail, never hang, panic or allocate more than
// the file's size.
var rpmDatabases = []struct{ path, backend string }{
	{"/usr/lib/sysimage/rpm/rpmdb.sqlite", rpmSQLite},
	{"/usr/lib/sysimage/rpm/Packages.db", rpmNDB},
	{"/usr/lib/sysimage/rpm/Packages", rpmBDB},
	{"/var/lib/rpm/rpmdb.sqlite", rpmSQLite},
	{"/var/lib/rpm/Packages.db", rpmNDB},
	{"/var/lib/rpm/Packages", rpmBDB},
}

// rpmDefaultDatabase is reported when no rpm database exists: rpm's
// upstream %_dbpath with its default (sqlite) backend.
const rpmDefaultDatabase = "/var/lib/rpm/rpmdb.sqlite"

// rpm's database backends.
const (
	rpmSQLite = "sqlite"
	rpmNDB    = "ndb"
	rpmBDB    = "bdb"
)

// rpmBlob is one header blob of the database and its instance number.
type rpmBlob struct {
	hnum uint32
	data []byte
}

// readRPM reads the rpm database at path (a file of rpmDatabases) and
// returns its packages in instance-number order, the order in which they
// were installed.
func readRPM(ctx context.Context, fsys afero.Fs, path, backend string, data []byte) ([]Package, error) {
	var blobs []rpmBlob
	var err error
	switch backend {
	case rpmBDB:
		blobs, err = rpmBDBBlobs(ctx, path, data)
	case rpmNDB:
		blobs, err = rpmNDBBlobs(ctx, path, data)
	case rpmSQLite:
		blobs, err = rpmSQLiteBlobs(ctx, fsys, path, data)
	default:
		err = fmt.Errorf("packages: %s: unknown rpm backend %q", path, backend)
	}
	if err != nil {
		return nil, err
	}
	slices.SortFunc(blobs, func(a, b rpmBlob) int {
		switch {
		case a.hnum < b.hnum:
			return -1
		case a.hnum > b.hnum:
			return 1
		}
		return 0
	})
	pkgs := make([]Package, 0, len(blobs))
	for i, b := range blobs {
		if i > 0 && blobs[i-1].hnum == b.hnum {
			return nil, fmt.Errorf("packages: %s: two headers with instance number %d", path, b.hnum)
		}
		if i%dpkgCancelEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		h, err := parseRPMHeader(b.data)
		if err != nil {
			return nil, fmt.Errorf("packages: %s: header #%d: %w", path, b.hnum, err)
		}
		pkg, err := h.pkg()
		if err != nil {
			return nil, fmt.Errorf("packages: %s: header #%d (%s): %w", path, b.hnum, h.name, err)
		}
		pkgs = append(pkgs, pkg)
	}
	return pkgs, nil
}

// ---- Header blobs (lib/header.c) ----

// Header tags and types the collector reads.
const (
	rpmTagHeaderImage      = 61
	rpmTagHeaderSignatures = 62
	rpmTagHeaderImmutable  = 63
	rpmTagHeaderI18NTable  = 100
	rpmTagName             = 1000
	rpmTagVersion          = 1001
	rpmTagRelease          = 1002
	rpmTagEpoch            = 1003
	rpmTagArch             = 1022
	rpmTagSourceRPM        = 1044

	rpmTypeInt32       = 4
	rpmTypeString      = 6
	rpmTypeBin         = 7
	rpmTypeStringArray = 8
	rpmTypeI18NString  = 9

	rpmEntrySize    = 16
	rpmHeaderTags   = 0x0000ffff // HEADER_TAGS_MAX
	rpmHeaderData   = 0x0fffffff // HEADER_DATA_MAX
	rpmHeaderArray  = 0x000fffff // HEADER_ARRAY_MAX
	rpmHeaderMaxLen = 256 << 20  // headerMaxbytes
)

// rpmTypeSizes and rpmTypeAlign are rpm's typeSizes and typeAlign for the
// types 0 (NULL) to 9 (I18NSTRING); -1 is a string type.
var (
	rpmTypeSizes = [10]int{0, 1, 1, 2, 4, 8, -1, 1, -1, -1}
	rpmTypeAlign = [10]int{1, 1, 1, 2, 4, 8, 1, 1, 1, 1}
)

// rpmHeader holds the tags of one header that the facts need.
type rpmHeader struct {
	name, version, release, arch, sourceRPM string
	epoch                                   uint32
	hasEpoch, hasArch, hasSourceRPM         bool
}

type rpmIndexEntry struct {
	tag, typ, offset, count int64
}

// parseRPMHeader checks a header blob as rpm's hdrblobInit does (lengths,
// region tag and trailer, every index entry's tag, type, count, alignment
// and data bounds) and reads the tags of rpmHeader. rpm skips a header
// that fails these checks ("damaged header ... skipping"); the collector
// reports it instead, since a package it cannot read may be the one a rule
// looks for.
func parseRPMHeader(blob []byte) (*rpmHeader, error) {
	if len(blob) < 8 {
		return nil, fmt.Errorf("header of %d bytes, shorter than its 8-byte preamble", len(blob))
	}
	il := int64(binary.BigEndian.Uint32(blob))
	dl := int64(binary.BigEndian.Uint32(blob[4:]))
	if il > rpmHeaderTags {
		return nil, fmt.Errorf("%d tags, more than rpm accepts", il)
	}
	if dl > rpmHeaderData {
		return nil, fmt.Errorf("%d bytes of data, more than rpm accepts", dl)
	}
	if il < 1 {
		return nil, errors.New("header has no tags")
	}
	pvlen := 8 + rpmEntrySize*il + dl
	if pvlen >= rpmHeaderMaxLen || pvlen != int64(len(blob)) {
		return nil, fmt.Errorf("blob size %d, but 8 + 16 * il(%d) + dl(%d) = %d", len(blob), il, dl, pvlen)
	}
	entry := func(i int64) rpmIndexEntry {
		e := blob[8+rpmEntrySize*i:]
		return rpmIndexEntry{
			tag:    int64(int32(binary.BigEndian.Uint32(e))),
			typ:    int64(binary.BigEndian.Uint32(e[4:])),
			offset: int64(int32(binary.BigEndian.Uint32(e[8:]))),
			count:  int64(binary.BigEndian.Uint32(e[12:])),
		}
	}
	data := blob[8+rpmEntrySize*il:]

	// The region (hdrblobVerifyRegion): a first entry tagged
	// HEADERIMMUTABLE (or IMAGE, SIGNATURES) points at a trailer entry
	// that says how many entries and bytes the region covers.
	first := entry(0)
	var regionTag, rdl int64
	if first.tag == rpmTagHeaderSignatures || first.tag == rpmTagHeaderImmutable || first.tag == rpmTagHeaderImage {
		regionTag = first.tag
		if first.typ != rpmTypeBin || first.count != rpmEntrySize {
			return nil, fmt.Errorf("region tag %d: type %d count %d, want %d and %d", first.tag, first.typ, first.count, rpmTypeBin, rpmEntrySize)
		}
		if end := first.offset + rpmEntrySize; first.offset < 0 || end > dl {
			return nil, fmt.Errorf("region tag %d: trailer at %d outside the %d bytes of data", first.tag, first.offset, dl)
		}
		tr := data[first.offset:]
		trailer := rpmIndexEntry{
			tag:    int64(int32(binary.BigEndian.Uint32(tr))),
			typ:    int64(binary.BigEndian.Uint32(tr[4:])),
			offset: -int64(int32(binary.BigEndian.Uint32(tr[8:]))),
			count:  int64(binary.BigEndian.Uint32(tr[12:])),
		}
		rdl = first.offset + rpmEntrySize
		if regionTag == rpmTagHeaderSignatures && trailer.tag == rpmTagHeaderImage {
			trailer.tag = rpmTagHeaderSignatures
		}
		if trailer.tag != regionTag || trailer.typ != rpmTypeBin || trailer.count != rpmEntrySize {
			return nil, fmt.Errorf("region trailer: tag %d type %d count %d", trailer.tag, trailer.typ, trailer.count)
		}
		ril := trailer.offset / rpmEntrySize
		if trailer.offset%rpmEntrySize != 0 || ril < 0 || ril > il || rdl < 0 || rdl > dl {
			return nil, fmt.Errorf("region size: ril %d il %d rdl %d dl %d", ril, il, rdl, dl)
		}
	}

	// Every other entry (hdrblobVerifyInfo).
	h := &rpmHeader{}
	seen := map[int64]bool{}
	start := int64(0)
	if regionTag != 0 {
		start = 1
	}
	var end int64
	for i := start; i < il; i++ {
		e := entry(i)
		bad := func(why string) error {
			return fmt.Errorf("tag[%d]: %s (tag %d type %d offset %d count %d)", i, why, e.tag, e.typ, e.offset, e.count)
		}
		switch {
		case end > e.offset:
			return nil, bad("data overlaps the previous entry's")
		case e.tag < rpmTagHeaderI18NTable:
			return nil, bad("invalid tag")
		case e.typ < 0 || e.typ >= int64(len(rpmTypeSizes)):
			return nil, bad("invalid type")
		case e.count < 1 || e.count > dl:
			return nil, bad("invalid count")
		case e.offset&int64(rpmTypeAlign[e.typ]-1) != 0:
			return nil, bad("misaligned data")
		case e.offset < 0 || e.offset > dl:
			return nil, bad("data outside the header")
		case e.typ != rpmTypeBin && e.count > rpmHeaderArray:
			return nil, bad("array too large")
		}
		n := rpmDataLength(data, e)
		end = e.offset + n
		if n <= 0 || end > dl {
			return nil, bad("data does not fit")
		}
		if regionTag != 0 && end > rdl-rpmEntrySize && e.offset < rdl {
			return nil, bad("data overlaps the region trailer")
		}
		var dst *string
		var present *bool
		switch e.tag {
		case rpmTagName:
			dst = &h.name
		case rpmTagVersion:
			dst = &h.version
		case rpmTagRelease:
			dst = &h.release
		case rpmTagArch:
			dst, present = &h.arch, &h.hasArch
		case rpmTagSourceRPM:
			dst, present = &h.sourceRPM, &h.hasSourceRPM
		case rpmTagEpoch:
			if e.typ != rpmTypeInt32 || e.count != 1 {
				return nil, bad("EPOCH is not one INT32")
			}
			if seen[e.tag] {
				return nil, bad("second EPOCH tag")
			}
			seen[e.tag] = true
			h.epoch = binary.BigEndian.Uint32(data[e.offset:])
			h.hasEpoch = true
			continue
		default:
			continue
		}
		if e.typ != rpmTypeString && e.typ != rpmTypeI18NString || e.count != 1 {
			return nil, bad("not a string")
		}
		if seen[e.tag] {
			return nil, bad("tag appears twice")
		}
		seen[e.tag] = true
		*dst = string(data[e.offset : end-1])
		if present != nil {
			*present = true
		}
	}
	return h, nil
}

// rpmDataLength is rpm's dataLength for on-disk data: the bytes of the
// entry's strings with their NULs, or count items of the type's size; -1
// when they do not fit.
func rpmDataLength(data []byte, e rpmIndexEntry) int64 {
	switch e.typ {
	case rpmTypeString, rpmTypeStringArray, rpmTypeI18NString:
		if e.typ == rpmTypeString && e.count != 1 {
			return -1
		}
		n := int64(0)
		for c := e.count; c > 0; c-- {
			i := bytes.IndexByte(data[e.offset+n:], 0)
			if i < 0 {
				return -1
			}
			n += int64(i) + 1
		}
		return n
	}
	n := int64(rpmTypeSizes[e.typ]) * e.count
	if n < 0 || e.offset+n > int64(len(data)) {
		return -1
	}
	return n
}

// pkg makes the facts' entry: version "[epoch:]version-release" (the
// epoch when the header has one, as rpm's %{EVR}), source and
// source_version from the SOURCERPM file name (the package's own name and
// version when it has none).
func (h *rpmHeader) pkg() (Package, error) {
	for _, f := range []struct{ name, v string }{{"NAME", h.name}, {"VERSION", h.version}, {"RELEASE", h.release}} {
		if f.v == "" {
			return Package{}, fmt.Errorf("no %s", f.name)
		}
	}
	for _, f := range []struct{ name, v string }{{"NAME", h.name}, {"VERSION", h.version}, {"RELEASE", h.release}, {"ARCH", h.arch}, {"SOURCERPM", h.sourceRPM}} {
		if why := rpmInvalidText(f.v); why != "" {
			return Package{}, fmt.Errorf("%s %q: %s", f.name, f.v, why)
		}
	}
	epoch := ""
	if h.hasEpoch {
		epoch = strconv.FormatUint(uint64(h.epoch), 10) + ":"
	}
	p := Package{
		Name:          h.name,
		Version:       epoch + h.version + "-" + h.release,
		Architecture:  h.arch,
		Source:        h.name,
		SourceVersion: epoch + h.version + "-" + h.release,
		Status:        "installed",
		Installed:     true,
	}
	// rpm writes SOURCERPM "(none)" into the headers of the gpg-pubkey
	// pseudo-packages, which have no source.
	if h.hasSourceRPM && h.sourceRPM != "(none)" {
		name, version, ok := rpmSplitSourceRPM(h.sourceRPM)
		if !ok {
			return Package{}, fmt.Errorf("SOURCERPM %q is not name-version-release.src.rpm", h.sourceRPM)
		}
		p.Source, p.SourceVersion = name, epoch+version
	}
	return p, nil
}

// rpmSplitSourceRPM splits "bash-5.1.8-2.fc35.src.rpm" into "bash" and
// "5.1.8-2.fc35". A source package has the epoch of its binaries, which
// its file name leaves out; pkg adds it.
func rpmSplitSourceRPM(s string) (name, version string, ok bool) {
	base, found := strings.CutSuffix(s, ".src.rpm")
	if !found {
		if base, found = strings.CutSuffix(s, ".nosrc.rpm"); !found {
			return "", "", false
		}
	}
	r := strings.LastIndexByte(base, '-')
	if r <= 0 {
		return "", "", false
	}
	v := strings.LastIndexByte(base[:r], '-')
	if v <= 0 || v+1 == r || r+1 == len(base) {
		return "", "", false
	}
	return base[:v], base[v+1:], true
}

// rpmInvalidText checks a value that goes into the facts verbatim: one
// word of printable UTF-8 ("" is allowed: absent tags).
func rpmInvalidText(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c == 0x7f {
			return "white space or control character"
		}
	}
	if !utf8.ValidString(s) {
		return "invalid UTF-8"
	}
	return ""
}

// ---- Berkeley DB hash (lib/backend/bdb_ro.c) ----

const (
	bdbHashMagic       = 0x00061561
	bdbPageHeader      = 26
	bdbPageHashUnsort  = 2
	bdbPageOverflow    = 7
	bdbPageHash        = 13
	bdbItemKeyData     = 1
	bdbItemOffPage     = 3
	bdbOffPageItemSize = 12
)

type bdbReader struct {
	file     string
	data     []byte
	order    binary.ByteOrder
	pagesize int64
	lastpage int64
	// visits counts page reads, to stop at a cycle in a page chain,
	// which rpm would follow forever.
	visits int64
}

func (r *bdbReader) errorf(format string, args ...any) error {
	return fmt.Errorf("packages: %s: %s", r.file, fmt.Sprintf(format, args...))
}

// page is bdb_getpage: pages 1 to lastpage, whose header names them.
func (r *bdbReader) page(pgno int64) ([]byte, error) {
	if pgno == 0 || pgno > r.lastpage {
		return nil, r.errorf("page %d outside the database (last page %d)", pgno, r.lastpage)
	}
	r.visits++
	// Each page belongs to one bucket chain or one overflow chain: more
	// reads than twice the file's pages mean a chain loops.
	if r.visits > 2*(int64(len(r.data))/r.pagesize+1) {
		return nil, r.errorf("page chains loop (page %d read again)", pgno)
	}
	off := pgno * r.pagesize
	if off+r.pagesize > int64(len(r.data)) {
		return nil, r.errorf("page %d beyond the end of the file (truncated database?)", pgno)
	}
	p := r.data[off : off+r.pagesize]
	if got := int64(r.order.Uint32(p[8:])); got != pgno {
		return nil, r.errorf("page %d says it is page %d", pgno, got)
	}
	return p, nil
}

// rpmBDBBlobs reads the header blobs of a Berkeley DB hash database the way
// rpm's read-only backend (bdb_ro) walks it: bucket by bucket, each
// bucket's page chain, each page's key/value pairs, values inline or on
// overflow pages.
func rpmBDBBlobs(ctx context.Context, file string, data []byte) ([]rpmBlob, error) {
	r := &bdbReader{file: file, data: data}
	if len(data) < 512 {
		return nil, r.errorf("%d bytes: too short for a Berkeley DB database", len(data))
	}
	switch {
	case binary.LittleEndian.Uint32(data[12:]) == bdbHashMagic:
		r.order = binary.LittleEndian
	case binary.BigEndian.Uint32(data[12:]) == bdbHashMagic:
		r.order = binary.BigEndian
	default:
		return nil, r.errorf("not a Berkeley DB hash database (magic %#x)", binary.LittleEndian.Uint32(data[12:]))
	}
	meta := func(i int) uint32 { return r.order.Uint32(data[4*i:]) }
	if v := meta(4); v < 8 || v > 10 {
		return nil, r.errorf("unsupported hash version %d", v)
	}
	r.pagesize = int64(meta(5))
	if r.pagesize < 512 || r.pagesize > 65536 || r.pagesize&(r.pagesize-1) != 0 {
		return nil, r.errorf("invalid page size %d", r.pagesize)
	}
	r.lastpage = int64(meta(8))
	maxbucket := int64(meta(18))
	var spares [32]int64
	for i := range spares {
		spares[i] = int64(meta(24 + i))
	}
	bucketPage := func(bucket int64) (int64, error) {
		i := 0
		for b := bucket; b != 0; b >>= 1 {
			i++
		}
		if i >= len(spares) {
			return 0, r.errorf("bucket %d out of range", bucket)
		}
		return bucket + spares[i], nil
	}
	if maxbucket > r.lastpage {
		return nil, r.errorf("%d buckets but %d pages", maxbucket+1, r.lastpage)
	}

	var blobs []rpmBlob
	bucket := int64(0)
	pgno, err := bucketPage(0)
	if err != nil {
		return nil, err
	}
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		page, err := r.page(pgno)
		if err != nil {
			return nil, err
		}
		if t := page[25]; t != bdbPageHash && t != bdbPageHashUnsort {
			return nil, r.errorf("page %d: type %d where a hash page belongs", pgno, t)
		}
		numidx := int64(r.order.Uint16(page[20:]))
		for idx := int64(0); idx+1 < numidx; idx += 2 {
			if bdbPageHeader+2*idx+4 > r.pagesize {
				return nil, r.errorf("page %d: %d entries do not fit the page", pgno, numidx)
			}
			koff := int64(r.order.Uint16(page[bdbPageHeader+2*idx:]))
			voff := int64(r.order.Uint16(page[bdbPageHeader+2*idx+2:]))
			if koff >= r.pagesize || voff >= r.pagesize {
				return nil, r.errorf("page %d: entry %d outside the page", pgno, idx)
			}
			klen := r.pagesize - koff
			if idx > 0 {
				klen = int64(r.order.Uint16(page[bdbPageHeader+2*idx-2:])) - koff
			}
			key, err := r.item(page, pgno, koff, klen)
			if err != nil {
				return nil, err
			}
			value, err := r.item(page, pgno, voff, koff-voff)
			if err != nil {
				return nil, err
			}
			if len(key) != 4 {
				return nil, r.errorf("page %d: key of %d bytes, want a 4-byte instance number", pgno, len(key))
			}
			// Key 0 holds rpm's next instance number, not a header.
			if hnum := r.order.Uint32(key); hnum != 0 {
				blobs = append(blobs, rpmBlob{hnum, value})
			}
		}
		next := int64(r.order.Uint32(page[16:]))
		if next == 0 {
			if bucket >= maxbucket {
				return blobs, nil
			}
			bucket++
			if next, err = bucketPage(bucket); err != nil {
				return nil, err
			}
		}
		pgno = next
	}
}

// item is hash_getkv: an inline (H_KEYDATA) or overflow (H_OFFPAGE) item
// at off, of n bytes on the page.
func (r *bdbReader) item(page []byte, pgno, off, n int64) ([]byte, error) {
	if n <= 0 || off+n > r.pagesize {
		return nil, r.errorf("page %d: item at %d of %d bytes outside the page", pgno, off, n)
	}
	switch page[off] {
	case bdbItemKeyData:
		return page[off+1 : off+n], nil
	case bdbItemOffPage:
		if n != bdbOffPageItemSize {
			return nil, r.errorf("page %d: overflow item of %d bytes", pgno, n)
		}
		return r.overflow(int64(r.order.Uint32(page[off+4:])), int64(r.order.Uint32(page[off+8:])))
	}
	return nil, r.errorf("page %d: item type %d at %d, want inline or overflow data", pgno, page[off], off)
}

// overflow is ovfl_get: length bytes spread over a chain of overflow pages.
func (r *bdbReader) overflow(pgno, length int64) ([]byte, error) {
	if length == 0 || length > int64(len(r.data)) {
		return nil, r.errorf("overflow item of %d bytes", length)
	}
	out := make([]byte, 0, length)
	for int64(len(out)) < length {
		page, err := r.page(pgno)
		if err != nil {
			return nil, err
		}
		if page[25] != bdbPageOverflow {
			return nil, r.errorf("page %d: type %d in an overflow chain", pgno, page[25])
		}
		n := int64(r.order.Uint16(page[22:]))
		if n+bdbPageHeader > r.pagesize || n > length-int64(len(out)) {
			return nil, r.errorf("overflow page %d: %d bytes do not fit", pgno, n)
		}
		out = append(out, page[bdbPageHeader:bdbPageHeader+n]...)
		pgno = int64(r.order.Uint32(page[16:]))
	}
	return out, nil
}

// ---- ndb (lib/backend/ndb/rpmpkg.c) ----

const (
	ndbMagic      = 'R' | 'p'<<8 | 'm'<<16 | 'P'<<24
	ndbSlotMagic  = 'S' | 'l'<<8 | 'o'<<16 | 't'<<24
	ndbBlobMagic  = 'B' | 'l'<<8 | 'b'<<16 | 'S'<<24
	ndbTailMagic  = 'B' | 'l'<<8 | 'b'<<16 | 'E'<<24
	ndbPageSize   = 4096
	ndbSlotSize   = 16
	ndbBlkSize    = 16
	ndbHeaderSize = 32
	ndbBlobHead   = 16
	ndbBlobTail   = 12
)

// rpmNDBBlobs reads the header blobs of an ndb Packages.db as rpm's
// rpmpkgReadSlots and rpmpkgReadBlob do: the slot pages map each package
// index to a run of 16-byte blocks holding the blob between a head and a
// tail that repeat its index and length.
func rpmNDBBlobs(ctx context.Context, file string, data []byte) ([]rpmBlob, error) {
	fail := func(format string, args ...any) ([]rpmBlob, error) {
		return nil, fmt.Errorf("packages: %s: %s", file, fmt.Sprintf(format, args...))
	}
	le := binary.LittleEndian
	if len(data) < ndbHeaderSize || le.Uint32(data) != ndbMagic {
		return fail("not an rpm ndb database")
	}
	if v := le.Uint32(data[4:]); v != 0 {
		return fail("ndb version %d, want 0", v)
	}
	if len(data)%ndbBlkSize != 0 {
		return fail("size %d is not a multiple of %d (truncated database?)", len(data), ndbBlkSize)
	}
	fileblks := int64(len(data) / ndbBlkSize)
	slotnpages := int64(le.Uint32(data[12:]))
	if slotnpages == 0 || slotnpages*ndbPageSize > int64(len(data)) {
		return fail("%d slot pages do not fit the file", slotnpages)
	}
	minblkoff := slotnpages * (ndbPageSize / ndbBlkSize)
	var blobs []rpmBlob
	seen := map[uint32]int64{}
	for o := int64(ndbHeaderSize); o < slotnpages*ndbPageSize; o += ndbSlotSize {
		if o%(ndbPageSize*64) == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		slot := data[o : o+ndbSlotSize]
		slotno := o / ndbSlotSize
		if le.Uint32(slot) != ndbSlotMagic {
			return fail("slot %d: bad magic", slotno)
		}
		blkoff := int64(le.Uint32(slot[8:]))
		if blkoff == 0 {
			continue // a free slot
		}
		pkgidx := le.Uint32(slot[4:])
		blkcnt := int64(le.Uint32(slot[12:]))
		if blkoff+blkcnt > fileblks {
			return fail("slot %d: blocks %d+%d beyond the end of the file (truncated database?)", slotno, blkoff, blkcnt)
		}
		if pkgidx == 0 || blkcnt == 0 || blkoff < minblkoff {
			return fail("slot %d: bad entry (package %d, blocks %d+%d)", slotno, pkgidx, blkoff, blkcnt)
		}
		if first, dup := seen[pkgidx]; dup {
			return fail("slots %d and %d both hold package %d", first, slotno, pkgidx)
		}
		seen[pkgidx] = slotno
		if blkcnt < (ndbBlobHead+ndbBlobTail+ndbBlkSize-1)/ndbBlkSize {
			return fail("package %d: %d blocks, too few for a blob", pkgidx, blkcnt)
		}
		blk := data[blkoff*ndbBlkSize : (blkoff+blkcnt)*ndbBlkSize]
		if le.Uint32(blk) != ndbBlobMagic || le.Uint32(blk[4:]) != pkgidx {
			return fail("package %d: bad blob head at block %d", pkgidx, blkoff)
		}
		bloblen := int64(le.Uint32(blk[12:]))
		if blkcnt != (ndbBlobHead+bloblen+ndbBlobTail+ndbBlkSize-1)/ndbBlkSize {
			return fail("package %d: blob of %d bytes in %d blocks", pkgidx, bloblen, blkcnt)
		}
		tail := blk[len(blk)-ndbBlobTail:]
		if int64(le.Uint32(tail[4:])) != bloblen || le.Uint32(tail[8:]) != ndbTailMagic {
			return fail("package %d: bad blob tail", pkgidx)
		}
		blobs = append(blobs, rpmBlob{pkgidx, blk[ndbBlobHead : ndbBlobHead+bloblen]})
	}
	return blobs, nil
}

// ---- SQLite (rpm's sqlite backend: table Packages(hnum, blob)) ----

// rpmSQLiteBlobs reads the Packages table of rpm's sqlite database, with
// the committed transactions of its write-ahead log (rpmdb.sqlite-wal)
// applied, as SQLite shows them to a reader. The -shm file is only an
// index of the log, rebuilt by SQLite when it opens the database first;
// the log itself is what counts. A rollback journal left beside the
// database means an interrupted transaction that SQLite would roll back
// before reading: the collector reports it rather than read a half-written
// file.
func rpmSQLiteBlobs(ctx context.Context, fsys afero.Fs, file string, data []byte) ([]rpmBlob, error) {
	wal, err := ReadFile(fsys, file+"-wal", MaxDatabaseSize)
	if err != nil && !dpkgMissing(err) {
		return nil, fmt.Errorf("packages: %w", err)
	}
	journal, err := ReadFile(fsys, file+"-journal", MaxDatabaseSize)
	if err != nil && !dpkgMissing(err) {
		return nil, fmt.Errorf("packages: %w", err)
	}
	if len(journal) >= 8 && bytes.Equal(journal[:8], sqliteJournalMagic) {
		return nil, fmt.Errorf("packages: %s-journal: rollback journal of an interrupted transaction; the database may be half-written", file)
	}
	db, err := openSQLite(file, data, wal)
	if err != nil {
		return nil, err
	}
	root, err := db.tableRoot("Packages")
	if err != nil {
		return nil, err
	}
	var blobs []rpmBlob
	err = db.scanTable(ctx, root, func(rowid int64, rec []byte) error {
		cols, err := sqliteRecord(rec)
		if err != nil {
			return fmt.Errorf("Packages row %d: %w", rowid, err)
		}
		// hnum is the rowid (INTEGER PRIMARY KEY, stored as NULL).
		if len(cols) != 2 || cols[0].typ != sqliteNull || (cols[1].typ != sqliteBlob && cols[1].typ != sqliteText) {
			return fmt.Errorf("Packages row %d: not (hnum, blob)", rowid)
		}
		if rowid <= 0 || rowid > 1<<32-1 {
			return fmt.Errorf("Packages row %d: instance number out of range", rowid)
		}
		blobs = append(blobs, rpmBlob{uint32(rowid), cols[1].data})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return blobs, nil
}

var (
	sqliteMagic        = []byte("SQLite format 3\x00")
	sqliteJournalMagic = []byte{0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7}
)

// sqliteDB reads pages of a SQLite database file with its write-ahead log
// applied.
type sqliteDB struct {
	file     string
	data     []byte
	pageSize int64
	usable   int64
	npages   int64
	// wal maps a page number to its latest committed version in the log.
	wal map[int64][]byte
	// maxPayload bounds a row's size by the bytes the files have, whatever
	// page count the log's commit frame claims.
	maxPayload int64
}

func (db *sqliteDB) errorf(format string, args ...any) error {
	return fmt.Errorf("packages: %s: %s", db.file, fmt.Sprintf(format, args...))
}

func openSQLite(file string, data, wal []byte) (*sqliteDB, error) {
	db := &sqliteDB{file: file, data: data}
	if len(data) < 100 || !bytes.Equal(data[:16], sqliteMagic) {
		return nil, db.errorf("not a SQLite database")
	}
	db.pageSize = int64(binary.BigEndian.Uint16(data[16:]))
	if db.pageSize == 1 {
		db.pageSize = 65536
	}
	if db.pageSize < 512 || db.pageSize > 65536 || db.pageSize&(db.pageSize-1) != 0 {
		return nil, db.errorf("invalid page size %d", db.pageSize)
	}
	if data[19] > 2 {
		return nil, db.errorf("file format version %d is newer than this reader", data[19])
	}
	db.usable = db.pageSize - int64(data[20])
	if db.usable < 480 {
		return nil, db.errorf("%d usable bytes per page", db.usable)
	}
	if enc := binary.BigEndian.Uint32(data[56:]); enc != 1 && enc != 0 {
		return nil, db.errorf("text encoding %d; rpm databases are UTF-8", enc)
	}
	db.npages = int64(len(data)) / db.pageSize
	db.maxPayload = int64(len(data)) + int64(len(wal))
	if err := db.readWAL(wal); err != nil {
		return nil, err
	}
	return db, nil
}

// readWAL applies the write-ahead log as SQLite's recovery does: frames
// are valid while their salts match the header's and their cumulative
// checksums hold; the pages of the frames up to the last valid commit
// frame are the current ones, and that frame gives the database size.
func (db *sqliteDB) readWAL(wal []byte) error {
	if len(wal) < 32 {
		return nil // empty (rpm truncates it on close) or never written
	}
	magic := binary.BigEndian.Uint32(wal)
	if magic&^1 != 0x377f0682 {
		return fmt.Errorf("packages: %s-wal: not a SQLite write-ahead log", db.file)
	}
	var order binary.ByteOrder = binary.LittleEndian
	if magic&1 != 0 {
		order = binary.BigEndian
	}
	if v := binary.BigEndian.Uint32(wal[4:]); v != 3007000 {
		return fmt.Errorf("packages: %s-wal: log format %d", db.file, v)
	}
	if ps := int64(binary.BigEndian.Uint32(wal[8:])); ps != db.pageSize {
		return fmt.Errorf("packages: %s-wal: page size %d, database %d", db.file, ps, db.pageSize)
	}
	checksum := func(s0, s1 uint32, b []byte) (uint32, uint32) {
		for i := 0; i+8 <= len(b); i += 8 {
			s0 += order.Uint32(b[i:]) + s1
			s1 += order.Uint32(b[i+4:]) + s0
		}
		return s0, s1
	}
	s0, s1 := checksum(0, 0, wal[:24])
	if s0 != binary.BigEndian.Uint32(wal[24:]) || s1 != binary.BigEndian.Uint32(wal[28:]) {
		return nil // a header SQLite would not trust: the log is empty
	}
	salt := wal[16:24]
	pending := map[int64][]byte{}
	frameSize := 24 + db.pageSize
	for off := int64(32); off+frameSize <= int64(len(wal)); off += frameSize {
		fh := wal[off : off+24]
		page := wal[off+24 : off+frameSize]
		if !bytes.Equal(fh[8:16], salt) {
			break
		}
		s0, s1 = checksum(s0, s1, fh[:8])
		s0, s1 = checksum(s0, s1, page)
		if s0 != binary.BigEndian.Uint32(fh[16:]) || s1 != binary.BigEndian.Uint32(fh[20:]) {
			break
		}
		pgno := int64(binary.BigEndian.Uint32(fh))
		if pgno == 0 {
			break
		}
		pending[pgno] = page
		if size := int64(binary.BigEndian.Uint32(fh[4:])); size != 0 {
			// A commit frame: everything so far is committed.
			if db.wal == nil {
				db.wal = map[int64][]byte{}
			}
			for p, b := range pending {
				db.wal[p] = b
			}
			clear(pending)
			db.npages = size
		}
	}
	return nil
}

// page returns page pgno (1-based), from the log when it has it.
func (db *sqliteDB) page(pgno int64) ([]byte, error) {
	if pgno < 1 || pgno > db.npages {
		return nil, db.errorf("page %d outside the database (%d pages)", pgno, db.npages)
	}
	if p, ok := db.wal[pgno]; ok {
		return p, nil
	}
	off := (pgno - 1) * db.pageSize
	if off+db.pageSize > int64(len(db.data)) {
		return nil, db.errorf("page %d beyond the end of the file (truncated database?)", pgno)
	}
	return db.data[off : off+db.pageSize], nil
}

// tableRoot finds the root page of a table in the schema (page 1).
func (db *sqliteDB) tableRoot(name string) (int64, error) {
	root := int64(-1)
	err := db.scanTable(context.Background(), 1, func(rowid int64, rec []byte) error {
		cols, err := sqliteRecord(rec)
		if err != nil {
			return fmt.Errorf("schema row %d: %w", rowid, err)
		}
		if len(cols) < 4 || cols[0].typ != sqliteText || cols[1].typ != sqliteText {
			return fmt.Errorf("schema row %d: unexpected layout", rowid)
		}
		if string(cols[0].data) != "table" || !strings.EqualFold(string(cols[1].data), name) {
			return nil
		}
		if cols[3].typ != sqliteInt || cols[3].int < 2 {
			return fmt.Errorf("schema: table %s has root page %d", name, cols[3].int)
		}
		root = cols[3].int
		return nil
	})
	if err != nil {
		return 0, err
	}
	if root < 0 {
		return 0, db.errorf("no %s table: not an rpm database", name)
	}
	return root, nil
}

// scanTable calls fn with every row of the table b-tree rooted at root, in
// rowid order.
func (db *sqliteDB) scanTable(ctx context.Context, root int64, fn func(rowid int64, record []byte) error) error {
	visited := map[int64]bool{}
	var walk func(pgno int64, depth int) error
	walk = func(pgno int64, depth int) error {
		if visited[pgno] {
			return db.errorf("b-tree page %d reached twice", pgno)
		}
		visited[pgno] = true
		if depth > 64 {
			return db.errorf("b-tree deeper than 64 levels")
		}
		if len(visited)%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		page, err := db.page(pgno)
		if err != nil {
			return err
		}
		hdr := int64(0)
		if pgno == 1 {
			hdr = 100
		}
		typ := page[hdr]
		hsize := int64(8)
		if typ == 0x05 {
			hsize = 12
		} else if typ != 0x0d {
			return db.errorf("page %d: type %#x where a table b-tree page belongs", pgno, typ)
		}
		ncells := int64(binary.BigEndian.Uint16(page[hdr+3:]))
		ptrs := hdr + hsize
		if ptrs+2*ncells > db.usable {
			return db.errorf("page %d: %d cells do not fit", pgno, ncells)
		}
		for i := int64(0); i < ncells; i++ {
			off := int64(binary.BigEndian.Uint16(page[ptrs+2*i:]))
			if off < ptrs+2*ncells || off >= db.usable {
				return db.errorf("page %d: cell %d at %d outside the cell area", pgno, i, off)
			}
			cell := page[off:db.usable]
			if typ == 0x05 {
				if len(cell) < 4 {
					return db.errorf("page %d: cell %d truncated", pgno, i)
				}
				if err := walk(int64(binary.BigEndian.Uint32(cell)), depth+1); err != nil {
					return err
				}
				continue
			}
			rowid, rec, err := db.leafCell(cell)
			if err != nil {
				return db.errorf("page %d: cell %d: %v", pgno, i, err)
			}
			if err := fn(rowid, rec); err != nil {
				return db.errorf("%v", err)
			}
		}
		if typ == 0x05 {
			return walk(int64(binary.BigEndian.Uint32(page[hdr+8:])), depth+1)
		}
		return nil
	}
	return walk(root, 0)
}

// leafCell reads a table leaf cell: payload size, rowid, payload (its
// tail on overflow pages).
func (db *sqliteDB) leafCell(cell []byte) (int64, []byte, error) {
	size, n := sqliteVarint(cell)
	if n == 0 {
		return 0, nil, errors.New("truncated payload size")
	}
	cell = cell[n:]
	rowid, n := sqliteVarint(cell)
	if n == 0 {
		return 0, nil, errors.New("truncated rowid")
	}
	cell = cell[n:]
	p := int64(size)
	if p < 0 || p > db.maxPayload {
		return 0, nil, fmt.Errorf("payload of %d bytes", size)
	}
	// How much of the payload the cell holds (the SQLite file format,
	// "cell payload overflow pages").
	u := db.usable
	x := u - 35
	local := p
	if p > x {
		m := ((u-12)*32/255 - 23)
		k := m + (p-m)%(u-4)
		local = m
		if k <= x {
			local = k
		}
	}
	if int64(len(cell)) < local {
		return 0, nil, errors.New("payload runs off the page")
	}
	if local == p {
		return int64(rowid), cell[:p], nil
	}
	if int64(len(cell)) < local+4 {
		return 0, nil, errors.New("overflow pointer runs off the page")
	}
	out := make([]byte, 0, p)
	out = append(out, cell[:local]...)
	next := int64(binary.BigEndian.Uint32(cell[local:]))
	// The chain has exactly the pages the payload needs: counting them
	// bounds the walk whatever the pointers say.
	for int64(len(out)) < p {
		page, err := db.page(next)
		if err != nil {
			return 0, nil, err
		}
		chunk := min(p-int64(len(out)), u-4)
		out = append(out, page[4:4+chunk]...)
		next = int64(binary.BigEndian.Uint32(page))
	}
	return int64(rowid), out, nil
}

// sqliteVarint decodes a SQLite varint (1 to 9 bytes, big-endian, 7 bits
// a byte and 8 in the ninth); n is 0 when b is too short.
func sqliteVarint(b []byte) (uint64, int) {
	var v uint64
	for i := 0; i < 9; i++ {
		if i >= len(b) {
			return 0, 0
		}
		if i == 8 {
			return v<<8 | uint64(b[i]), 9
		}
		v = v<<7 | uint64(b[i]&0x7f)
		if b[i] < 0x80 {
			return v, i + 1
		}
	}
	return v, 9
}

// Column types of a SQLite record.
const (
	sqliteNull = iota
	sqliteInt
	sqliteFloat
	sqliteBlob
	sqliteText
)

type sqliteValue struct {
	typ  int
	int  int64
	data []byte
}

// sqliteRecord decodes a record: a header of serial types, then the
// values.
func sqliteRecord(rec []byte) ([]sqliteValue, error) {
	hsize, n := sqliteVarint(rec)
	if n == 0 || hsize < uint64(n) || hsize > uint64(len(rec)) {
		return nil, errors.New("bad record header")
	}
	hdr := rec[n:hsize]
	body := rec[hsize:]
	var cols []sqliteValue
	for len(hdr) > 0 {
		st, n := sqliteVarint(hdr)
		if n == 0 {
			return nil, errors.New("bad record header")
		}
		hdr = hdr[n:]
		var size uint64
		v := sqliteValue{}
		switch {
		case st == 0:
			v.typ = sqliteNull
		case st <= 6:
			v.typ = sqliteInt
			size = [...]uint64{0, 1, 2, 3, 4, 6, 8}[st]
		case st == 7:
			v.typ, size = sqliteFloat, 8
		case st == 8 || st == 9:
			v.typ, v.int = sqliteInt, int64(st-8)
		case st >= 12:
			v.typ, size = sqliteBlob, (st-12)/2
			if st%2 == 1 {
				v.typ = sqliteText
			}
		default:
			return nil, fmt.Errorf("reserved serial type %d", st)
		}
		if size > uint64(len(body)) {
			return nil, errors.New("record shorter than its header says")
		}
		v.data = body[:size]
		if v.typ == sqliteInt && size > 0 {
			x := int64(int8(v.data[0]))
			for _, c := range v.data[1:] {
				x = x<<8 | int64(c)
			}
			v.int = x
		}
		body = body[size:]
		cols = append(cols, v)
	}
	return cols, nil
}
