package checks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"syscall"
	"unicode/utf8"
)

// dpkgDefaultStatus is where dpkg keeps its database unless --admindir
// moves it.
const dpkgDefaultStatus = "/var/lib/dpkg/status"

// Packages collects the package database of the scanned root: dpkg's
// status file, rpm's database (sqlite, ndb or Berkeley DB) or apk's
// installed file.
//
// All three are looked for; the facts' format, database, installed and
// packages describe the authoritative one, that of the package manager of
// the OS family named by /etc/os-release (debian: dpkg; rhel, suse: rpm;
// alpine: apk), or, for another family or none, the first that exists in
// the order dpkg, rpm, apk. Databases says what was found of each.
//
// For dpkg only the status file is read: it is what dpkg itself trusts
// between runs. Records still waiting in /var/lib/dpkg/updates (left by an
// interrupted dpkg run) are not merged in; dpkg merges them on its next
// start.
type Packages struct {
	// StatusPath is the dpkg status file inside the root; "" means
	// /var/lib/dpkg/status. It exists for roots whose dpkg was configured
	// with another --admindir.
	StatusPath string
}

// Package is one entry of the package database, installed or not.
type Package struct {
	// Name is the binary package name, lowercased as dpkg stores it (rpm
	// and apk names as their databases write them).
	Name string `json:"name"`
	// Version is the Version field as written in the database ("" for
	// dpkg entries that dpkg lets go without one: not-installed,
	// half-installed). For rpm it is "[epoch:]version-release", the epoch
	// only when the package has one, as rpm's %{EVR}.
	Version string `json:"version"`
	// Architecture is the Architecture field ("" when the entry has none,
	// as in config-files entries left by very old dpkg versions, or rpm's
	// gpg-pubkey entries).
	Architecture string `json:"architecture"`
	// Source is the source package name: the Source field's first word, or
	// Name when there is no Source field. For rpm it is the SOURCERPM file
	// name without "-version-release.src.rpm", for apk the origin (o:).
	Source string `json:"source"`
	// SourceVersion is the version in parentheses in the Source field, or
	// Version when there is none, as dpkg-query's ${source:Version}. For
	// rpm it is the version-release of SOURCERPM with the package's epoch;
	// for apk it is Version.
	SourceVersion string `json:"source_version"`
	// Status is the Status field normalised to lowercase "want eflag state"
	// with single spaces, as dpkg-query prints it; an entry without a Status
	// field is "unknown ok not-installed", which is how dpkg reads it. rpm
	// and apk list installed packages only: their status is "installed".
	Status string `json:"status"`
	// Installed is true when the state (Status's third word) is
	// "installed"; always for rpm and apk.
	Installed bool `json:"installed"`
}

// PackageDatabase is what the collector found of one package manager's
// database.
type PackageDatabase struct {
	// Format is "dpkg", "rpm" or "apk".
	Format string `json:"format"`
	// Path is the database file inside the root: the one read, or where
	// the package manager would keep it when there is none
	// (/var/lib/dpkg/status, /var/lib/rpm/rpmdb.sqlite,
	// /lib/apk/db/installed).
	Path string `json:"path"`
	// Exists is true when the file exists (it was then read, or the
	// collector failed).
	Exists bool `json:"exists"`
	// Count is the number of entries in the database (0 when it does not
	// exist).
	Count int `json:"count"`
}

// PackagesFacts is the facts of the packages collector (see
// docs/facts/packages.md).
type PackagesFacts struct {
	// Format names the authoritative database's format ("dpkg", "rpm" or
	// "apk"), so that rules can tell one package manager's facts from
	// another's.
	Format string `json:"format"`
	// Database is the path of the authoritative database inside the root.
	Database string `json:"database"`
	// Exists is false when the root has no authoritative database;
	// Installed and Packages are then empty.
	Exists bool `json:"exists"`
	// Installed maps a package name to its installed instances, in database
	// order; a name has several when several architectures of a dpkg
	// Multi-Arch: same package are installed, or several versions of an
	// rpm package (kernels) or several architectures (multilib).
	Installed map[string][]Package `json:"installed"`
	// Packages is every entry of the authoritative database in database
	// order (file order for dpkg and apk, installation order for rpm),
	// including dpkg's removed packages whose configuration files remain.
	Packages []Package `json:"packages"`
	// Databases has one entry per format looked for, in the order dpkg,
	// rpm, apk.
	Databases []PackageDatabase `json:"databases"`
}

// Name implements Collector.
func (Packages) Name() string { return "packages" }

// pkgFamilyFormat maps an OS family (see osFamily) to its package manager.
var pkgFamilyFormat = map[string]string{"debian": "dpkg", "rhel": "rpm", "suse": "rpm", "alpine": "apk"}

// pkgDB is one database read.
type pkgDB struct {
	info PackageDatabase
	pkgs []Package
}

// Collect implements Collector. A missing database is a fact (Exists false);
// one that cannot be read, or that its package manager would not read the
// same way, is an error naming the file (and line, for text databases).
func (p Packages) Collect(ctx context.Context, t Target) (any, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	osr, err := hostReadOSRelease(t.Fs)
	if err != nil {
		return nil, fmt.Errorf("packages: deciding the package manager: %w", err)
	}
	var dbs []pkgDB
	for _, read := range []func(context.Context, Target) (pkgDB, error){p.readDpkg, readRPMDatabase, readApkDatabase} {
		db, err := read(ctx, t)
		if err != nil {
			return nil, err
		}
		dbs = append(dbs, db)
	}
	auth := &dbs[0]
	if format, ok := pkgFamilyFormat[osr.Family]; ok {
		for i := range dbs {
			if dbs[i].info.Format == format {
				auth = &dbs[i]
			}
		}
	} else {
		for i := range dbs {
			if dbs[i].info.Exists {
				auth = &dbs[i]
				break
			}
		}
	}
	facts := &PackagesFacts{
		Format:    auth.info.Format,
		Database:  auth.info.Path,
		Exists:    auth.info.Exists,
		Installed: map[string][]Package{},
		Packages:  []Package{},
	}
	for _, db := range dbs {
		facts.Databases = append(facts.Databases, db.info)
	}
	if auth.pkgs != nil {
		facts.Packages = auth.pkgs
	}
	pkgs := facts.Packages
	n := 0
	for _, pkg := range pkgs {
		if pkg.Installed {
			n++
		}
	}
	// The one-element slices of the map share one array; capping each at
	// its length makes the rare second (multi-arch) instance reallocate
	// instead of overwriting the next name's.
	facts.Installed = make(map[string][]Package, n)
	shared := make([]Package, 0, n)
	for _, pkg := range pkgs {
		if !pkg.Installed {
			continue
		}
		if prev, ok := facts.Installed[pkg.Name]; ok {
			facts.Installed[pkg.Name] = append(prev, pkg)
			continue
		}
		shared = append(shared, pkg)
		i := len(shared)
		facts.Installed[pkg.Name] = shared[i-1 : i : i]
	}
	return facts, nil
}

// readDpkg reads dpkg's status file.
func (p Packages) readDpkg(ctx context.Context, t Target) (pkgDB, error) {
	path := p.StatusPath
	if path == "" {
		path = dpkgDefaultStatus
	}
	db := pkgDB{info: PackageDatabase{Format: "dpkg", Path: path}}
	data, err := ReadFile(t.Fs, path, MaxDatabaseSize)
	if err != nil {
		if dpkgMissing(err) {
			return db, nil
		}
		return db, fmt.Errorf("packages: %w", err)
	}
	db.info.Exists = true
	if db.pkgs, err = parseDpkgStatus(ctx, path, data); err != nil {
		return db, err
	}
	db.info.Count = len(db.pkgs)
	return db, nil
}

// readRPMDatabase reads the first rpm database that exists (see
// rpmDatabases).
func readRPMDatabase(ctx context.Context, t Target) (pkgDB, error) {
	db := pkgDB{info: PackageDatabase{Format: "rpm", Path: rpmDefaultDatabase}}
	for _, c := range rpmDatabases {
		data, err := ReadFile(t.Fs, c.path, MaxDatabaseSize)
		if err != nil {
			if dpkgMissing(err) {
				continue
			}
			return db, fmt.Errorf("packages: %w", err)
		}
		db.info.Path, db.info.Exists = c.path, true
		if db.pkgs, err = readRPM(ctx, t.Fs, c.path, c.backend, data); err != nil {
			return db, err
		}
		db.info.Count = len(db.pkgs)
		return db, nil
	}
	return db, nil
}

// readApkDatabase reads apk's installed database.
func readApkDatabase(ctx context.Context, t Target) (pkgDB, error) {
	db := pkgDB{info: PackageDatabase{Format: "apk", Path: apkInstalled}}
	data, err := ReadFile(t.Fs, apkInstalled, MaxDatabaseSize)
	if err != nil {
		if dpkgMissing(err) {
			return db, nil
		}
		return db, fmt.Errorf("packages: %w", err)
	}
	db.info.Exists = true
	if db.pkgs, err = parseApkInstalled(ctx, apkInstalled, data); err != nil {
		return db, err
	}
	db.info.Count = len(db.pkgs)
	return db, nil
}

// dpkgMissing reports whether err means the database does not exist in the
// root. ENOTDIR counts: when /var/lib/dpkg is a file, there is no database.
func dpkgMissing(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}

// Fields of a stanza that the collector interprets. Every other field is
// skipped without being copied, which is what keeps parsing cheap: a status
// file is mostly descriptions and dependency lists.
const (
	dpkgPackage = iota
	dpkgStatus
	dpkgVersion
	dpkgArchitecture
	dpkgSource
	dpkgNumFields

	dpkgOther = -1
)

var dpkgFieldNames = [dpkgNumFields]string{"Package", "Status", "Version", "Architecture", "Source"}

// dpkgClassify maps a field name to one of the interpreted fields. dpkg
// compares field names case-insensitively, so "PACKAGE:" is Package.
func dpkgClassify(name []byte) int {
	switch len(name) {
	case 6:
		if dpkgEqualFold(name, "Status") {
			return dpkgStatus
		}
		if dpkgEqualFold(name, "Source") {
			return dpkgSource
		}
	case 7:
		if dpkgEqualFold(name, "Package") {
			return dpkgPackage
		}
		if dpkgEqualFold(name, "Version") {
			return dpkgVersion
		}
	case 12:
		if dpkgEqualFold(name, "Architecture") {
			return dpkgArchitecture
		}
	}
	return dpkgOther
}

// dpkgEqualFold is an ASCII-only bytes.EqualFold: field names are ASCII, and
// the fast path matters when it runs for every line of the database.
func dpkgEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := 0; i < len(b); i++ {
		c, d := b[i], s[i]
		if c == d {
			continue
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if 'A' <= d && d <= 'Z' {
			d += 'a' - 'A'
		}
		if c != d {
			return false
		}
	}
	return true
}

// The words of a Status field, in dpkg's order (lib/dpkg/pkg-namevalue.c).
var (
	dpkgWants  = []string{"unknown", "install", "hold", "deinstall", "purge"}
	dpkgEflags = []string{"ok", "reinstreq"}
	dpkgStates = []string{"not-installed", "config-files", "half-installed", "unpacked",
		"half-configured", "triggers-awaited", "triggers-pending", "installed"}
)

const (
	dpkgStateNotInstalled  = 0
	dpkgStateHalfInstalled = 2
	dpkgStateInstalled     = 7
)

// dpkgStatusStrings holds every canonical status string, built once, so
// that the thousands of identical "install ok installed" values of a
// database share one string instead of allocating one each.
var dpkgStatusStrings = func() [][][]string {
	s := make([][][]string, len(dpkgWants))
	for w, want := range dpkgWants {
		s[w] = make([][]string, len(dpkgEflags))
		for e, eflag := range dpkgEflags {
			s[w][e] = make([]string, len(dpkgStates))
			for st, state := range dpkgStates {
				s[w][e][st] = want + " " + eflag + " " + state
			}
		}
	}
	return s
}()

// dpkgValue locates a field's value in the database: data[start:end],
// continuation lines included. line is 0 when the stanza lacks the field.
type dpkgValue struct{ start, end, line int }

// dpkgParser holds the state of one parse.
type dpkgParser struct {
	file string
	data []byte
	// fields and last describe the stanza being read; last is the
	// interpreted field that continuation lines extend, or dpkgOther.
	stanzaLine int
	fields     [dpkgNumFields]dpkgValue
	last       int

	pkgs []Package
	// seen detects a second entry for the same package and architecture,
	// which dpkg never writes and would silently let win over the first.
	seen map[dpkgKey]int
	// interned shares the few distinct architecture strings.
	interned map[string]string
	// scratch assembles each entry's strings before their one allocation.
	scratch []byte
}

type dpkgKey struct{ name, arch string }

// dpkgCancelEvery is how many stanzas are parsed between checks of the
// context: often enough to stop promptly, rarely enough to cost nothing.
const dpkgCancelEvery = 256

// parseDpkgStatus parses a dpkg status file (deb822 stanzas) the way dpkg's
// parser does (lib/dpkg/parse.c), rejecting what dpkg would reject and what
// would make the facts untrustworthy. file names the database in errors.
func parseDpkgStatus(ctx context.Context, file string, data []byte) ([]Package, error) {
	p := &dpkgParser{
		file:     file,
		data:     data,
		interned: map[string]string{},
	}
	// A NUL never occurs in a text database; a binary file (or one whose
	// tail was zeroed by a crash) is reported as such rather than as
	// whatever syntax error its bytes happen to produce.
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return nil, p.errorf(1+bytes.Count(data[:i], []byte{'\n'}), "binary content (NUL byte); not a dpkg database")
	}
	// A stanza takes 800 to 1000 bytes in real databases (descriptions make
	// most of it); sizing the result for 700 avoids regrowth without
	// a counting pass over the data.
	p.pkgs = make([]Package, 0, len(data)/700+1)
	p.seen = make(map[dpkgKey]int, cap(p.pkgs))

	inStanza := false
	lineNo := 0
	for off := 0; off < len(data); {
		lineNo++
		nl := bytes.IndexByte(data[off:], '\n')
		if nl < 0 {
			// dpkg refuses this too: the file was truncated mid-write.
			return nil, p.errorf(lineNo, "missing final newline (truncated database?)")
		}
		start, end := off, off+nl
		line := data[start:end]
		off = end + 1

		if len(line) == 0 {
			if inStanza {
				if err := p.endStanza(); err != nil {
					return nil, err
				}
				inStanza = false
				if len(p.pkgs)%dpkgCancelEvery == 0 {
					if err := ctx.Err(); err != nil {
						return nil, err
					}
				}
			}
			continue
		}
		if line[len(line)-1] == '\r' {
			// dpkg cannot read a CRLF database (its blank "\r" lines are
			// continuations, merging stanzas), so neither do we, with a
			// clearer message than the duplicate-field error dpkg gives.
			return nil, p.errorf(lineNo, "CRLF line ending; dpkg databases use LF only")
		}
		if line[0] == ' ' || line[0] == '\t' {
			if !inStanza {
				return nil, p.errorf(lineNo, "continuation line with no field to continue")
			}
			if p.last != dpkgOther {
				p.fields[p.last].end = end
			}
			continue
		}
		colon := bytes.IndexByte(line, ':')
		if colon < 0 {
			return nil, p.errorf(lineNo, `line is neither "Field: value" nor a continuation`)
		}
		name := dpkgTrimRight(line[:colon])
		if !dpkgValidFieldName(name) {
			return nil, p.errorf(lineNo, `line is neither "Field: value" nor a continuation (invalid field name %q)`, name)
		}
		if !inStanza {
			inStanza = true
			p.stanzaLine = lineNo
			p.fields = [dpkgNumFields]dpkgValue{}
		}
		k := dpkgClassify(name)
		p.last = k
		if k == dpkgOther {
			continue
		}
		if first := p.fields[k].line; first != 0 {
			return nil, p.errorf(lineNo, "duplicate %s field (first at line %d)", dpkgFieldNames[k], first)
		}
		vs := start + colon + 1
		for vs < end && (data[vs] == ' ' || data[vs] == '\t') {
			vs++
		}
		p.fields[k] = dpkgValue{start: vs, end: end, line: lineNo}
	}
	if inStanza {
		if err := p.endStanza(); err != nil {
			return nil, err
		}
	}
	return p.pkgs, nil
}

// endStanza validates the stanza just read and appends its entry.
func (p *dpkgParser) endStanza() error {
	f := &p.fields
	if f[dpkgPackage].line == 0 {
		return p.errorf(p.stanzaLine, "stanza has no Package field")
	}
	nameB := p.value(dpkgPackage)
	if why := dpkgInvalidName(nameB); why != "" {
		return p.errorf(f[dpkgPackage].line, "invalid package name %q: %s", nameB, why)
	}

	want, eflag, state := 0, 0, dpkgStateNotInstalled
	if f[dpkgStatus].line != 0 {
		var why string
		want, eflag, state, why = dpkgParseStatus(p.value(dpkgStatus))
		if why != "" {
			return p.errorf(f[dpkgStatus].line, "malformed Status field %q: %s", p.value(dpkgStatus), why)
		}
	}

	var version []byte
	if f[dpkgVersion].line != 0 {
		version = p.value(dpkgVersion)
		if why := dpkgInvalidWord(version); why != "" {
			return p.errorf(f[dpkgVersion].line, "invalid Version %q: %s", version, why)
		}
	} else if state != dpkgStateNotInstalled && state != dpkgStateHalfInstalled {
		// As in dpkg: only an entry that was never fully unpacked may lack
		// a version, and rules comparing versions must not see "".
		return p.errorf(p.stanzaLine, "package %s (%s) has no Version field", nameB, dpkgStates[state])
	}

	var arch string
	if f[dpkgArchitecture].line != 0 {
		a := p.value(dpkgArchitecture)
		if why := dpkgInvalidWord(a); why != "" {
			return p.errorf(f[dpkgArchitecture].line, "invalid Architecture %q: %s", a, why)
		}
		arch = p.intern(a)
	}

	// Without a Source field (or with an empty one, which dpkg ignores)
	// the source is the binary package itself: nil says so to p.strings.
	var srcName []byte
	srcVersion := version
	if f[dpkgSource].line != 0 && len(p.value(dpkgSource)) > 0 {
		var why string
		srcName, srcVersion, why = dpkgParseSource(p.value(dpkgSource))
		if why != "" {
			return p.errorf(f[dpkgSource].line, "malformed Source field %q: %s", p.value(dpkgSource), why)
		}
		if srcVersion == nil {
			srcVersion = version
		}
	}

	pkg := p.strings(nameB, version, srcName, srcVersion)
	pkg.Architecture = arch
	pkg.Status = dpkgStatusStrings[want][eflag][state]
	pkg.Installed = state == dpkgStateInstalled

	key := dpkgKey{pkg.Name, arch}
	if first, ok := p.seen[key]; ok {
		return p.errorf(p.stanzaLine, "second entry for package %s architecture %q (first at line %d)", pkg.Name, arch, first)
	}
	p.seen[key] = p.stanzaLine
	p.pkgs = append(p.pkgs, pkg)
	return nil
}

// strings makes the entry's name and version strings with one allocation
// per package: they are cut from one string, and a source name (nil for
// none) or version equal to the binary's shares its bytes. The name is lowercased, as dpkg
// lowercases package names on reading ("Foo" is "foo" to dpkg-query).
func (p *dpkgParser) strings(name, version, srcName, srcVersion []byte) Package {
	b := p.scratch[:0]
	b = append(b, name...)
	for i := range len(name) {
		if c := b[i]; 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	nameEnd := len(b)
	b = append(b, version...)
	versionEnd := len(b)
	srcNameStart, srcNameEnd := 0, nameEnd
	if srcName != nil && !bytes.Equal(srcName, b[:nameEnd]) {
		srcNameStart = len(b)
		b = append(b, srcName...)
		srcNameEnd = len(b)
	}
	srcVersionStart, srcVersionEnd := nameEnd, versionEnd
	if !bytes.Equal(srcVersion, version) {
		srcVersionStart = len(b)
		b = append(b, srcVersion...)
		srcVersionEnd = len(b)
	}
	p.scratch = b
	s := string(b)
	return Package{
		Name:          s[:nameEnd],
		Version:       s[nameEnd:versionEnd],
		Source:        s[srcNameStart:srcNameEnd],
		SourceVersion: s[srcVersionStart:srcVersionEnd],
	}
}

// value returns field k's value with surrounding white space removed, as
// dpkg trims it.
func (p *dpkgParser) value(k int) []byte {
	v := p.fields[k]
	return dpkgTrimRight(p.data[v.start:v.end])
}

func (p *dpkgParser) intern(b []byte) string {
	if s, ok := p.interned[string(b)]; ok {
		return s
	}
	s := string(b)
	p.interned[s] = s
	return s
}

func (p *dpkgParser) errorf(line int, format string, args ...any) error {
	return fmt.Errorf("packages: %s:%d: %s", p.file, line, fmt.Sprintf(format, args...))
}

func dpkgIsSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func dpkgTrimRight(b []byte) []byte {
	for len(b) > 0 && dpkgIsSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

func dpkgTrimLeft(b []byte) []byte {
	for len(b) > 0 && dpkgIsSpace(b[0]) {
		b = b[1:]
	}
	return b
}

// dpkgValidFieldName applies deb822's rule: printable US-ASCII other than
// the colon, not starting with "#" or "-". It is what turns a stray line of
// prose or binary into an error rather than a bogus field.
func dpkgValidFieldName(name []byte) bool {
	if len(name) == 0 || name[0] == '#' || name[0] == '-' {
		return false
	}
	for _, c := range name {
		if c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}

// dpkgInvalidName checks a package name as dpkg does (pkg_name_is_invalid)
// and says what is wrong, or returns "".
func dpkgInvalidName(b []byte) string {
	if len(b) == 0 {
		return "empty"
	}
	if !dpkgIsAlnum(b[0]) {
		return "must start with an alphanumeric character"
	}
	for _, c := range b {
		if !dpkgIsAlnum(c) && c != '-' && c != '+' && c != '.' && c != '_' {
			return fmt.Sprintf("character %q not allowed", c)
		}
	}
	return ""
}

func dpkgIsAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// dpkgInvalidWord checks a value that goes into the facts verbatim: one
// word of printable UTF-8, so that the JSON says exactly what the file says.
func dpkgInvalidWord(b []byte) string {
	if len(b) == 0 {
		return "empty"
	}
	for _, c := range b {
		if c <= ' ' || c == 0x7f {
			if dpkgIsSpace(c) {
				return "embedded white space"
			}
			return "control character"
		}
	}
	if !utf8.Valid(b) {
		return "invalid UTF-8"
	}
	return ""
}

// dpkgParseStatus parses "want eflag state". dpkg matches the words
// case-insensitively; the result indexes dpkgStatusStrings.
func dpkgParseStatus(b []byte) (want, eflag, state int, why string) {
	var words [3][]byte
	n := 0
	for b = dpkgTrimLeft(b); len(b) > 0; b = dpkgTrimLeft(b) {
		i := 0
		for i < len(b) && !dpkgIsSpace(b[i]) {
			i++
		}
		if n == len(words) {
			return 0, 0, 0, "more than three words"
		}
		words[n] = b[:i]
		n++
		b = b[i:]
	}
	if n != 3 {
		return 0, 0, 0, fmt.Sprintf("%d words, want three (want, error flag, state)", n)
	}
	lookup := func(w []byte, names []string) int {
		for i, s := range names {
			if dpkgEqualFold(w, s) {
				return i
			}
		}
		return -1
	}
	if want = lookup(words[0], dpkgWants); want < 0 {
		return 0, 0, 0, fmt.Sprintf("unknown want %q", words[0])
	}
	if eflag = lookup(words[1], dpkgEflags); eflag < 0 {
		return 0, 0, 0, fmt.Sprintf("unknown error flag %q", words[1])
	}
	if state = lookup(words[2], dpkgStates); state < 0 {
		return 0, 0, 0, fmt.Sprintf("unknown state %q", words[2])
	}
	return want, eflag, state, ""
}

// dpkgParseSource splits "name (version)"; version is nil when the field
// has none, and the binary package's version is then the source version,
// as for dpkg-query's ${source:Version}. The name ends at white space or
// "(" (dpkg-query cuts only at a space, which differs only for a malformed
// "name(version)"). Anything after the name but a parenthesised version is
// an error where dpkg-query would guess: a source name and version are what
// rules match on, so a field that does not say them plainly cannot be
// trusted.
func dpkgParseSource(b []byte) (name, version []byte, why string) {
	i := 0
	for i < len(b) && !dpkgIsSpace(b[i]) && b[i] != '(' {
		i++
	}
	name, rest := b[:i], dpkgTrimLeft(b[i:])
	if len(name) == 0 {
		return nil, nil, "no source package name"
	}
	if w := dpkgInvalidWord(name); w != "" {
		return nil, nil, "name: " + w
	}
	if len(rest) == 0 {
		return name, nil, ""
	}
	if rest[0] != '(' {
		return nil, nil, "expected \"(version)\" after the name"
	}
	j := bytes.IndexByte(rest, ')')
	if j < 0 {
		return nil, nil, "missing \")\""
	}
	version = dpkgTrimRight(dpkgTrimLeft(rest[1:j]))
	if w := dpkgInvalidWord(version); w != "" {
		return nil, nil, "version: " + w
	}
	return name, version, ""
}
