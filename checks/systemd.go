package checks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"syscall"
	"unicode/utf8"

	"github.com/spf13/afero"
)

// Systemd reports the enablement state of every systemd system unit file as
// `systemctl is-enabled` computes it for an offline root (`systemctl
// --root=DIR`): from the unit files, their [Install] sections and the
// symlink trees of the unit search path alone, without asking a running
// manager. The rules follow systemd 252's src/shared/install.c
// (unit_file_lookup_state, unit_file_get_list); docs/facts/systemd.md
// describes them.
type Systemd struct {
	// MaxEntries bounds the directory entries one collection reads in the
	// unit search path, its .wants/.requires and drop-in directories; 0
	// means 200000.
	MaxEntries int
}

// SystemdFacts are the facts of the systemd collector.
type SystemdFacts struct {
	// Exists is true when at least one directory of the unit search path
	// exists in the root: false means the root has no systemd units at all.
	Exists bool `json:"exists"`
	// SearchPath lists the directories of the unit search path that exist,
	// in search order (earlier wins for the same unit name).
	SearchPath []string `json:"search_path"`
	// DefaultTarget is the unit default.target resolves to
	// (`systemctl get-default`), "" when there is none or it is masked.
	DefaultTarget string `json:"default_target"`
	// Units maps each unit name to its description: every unit file and
	// link in the search path (`systemctl list-unit-files`) plus the
	// template instances that a .wants or .requires directory names
	// (getty@tty1.service).
	Units map[string]*SystemdUnit `json:"units"`
}

// SystemdUnit is one unit name.
type SystemdUnit struct {
	// Name is the unit name ("cron.service").
	Name string `json:"name"`
	// Path is the entry that defines the name: the file or symlink that
	// comes first in the search path, or for a template instance the
	// template file.
	Path string `json:"path"`
	// FragmentPath is the unit file the name resolves to once aliases and
	// linked unit files are followed; for a masked unit it is the mask (the
	// empty file or the link to /dev/null). "" when the state is "bad".
	FragmentPath string `json:"fragment_path"`
	// State is what `systemctl is-enabled` prints: enabled,
	// enabled-runtime, linked, linked-runtime, alias, masked,
	// masked-runtime, static, indirect, disabled, generated, transient, or
	// bad (the unit file cannot be loaded; Error says why).
	State string `json:"state"`
	// AliasOf is the unit an alias name resolves to (state "alias").
	AliasOf string `json:"alias_of,omitempty"`
	// WantedBy and RequiredBy list the units whose .wants and .requires
	// directories (in any directory of the search path) hold a link with
	// this unit's name, sorted: ["multi-user.target"].
	WantedBy   []string `json:"wanted_by"`
	RequiredBy []string `json:"required_by"`
	// Links are those links, in-root paths in search order.
	Links []string `json:"links"`
	// Install is the [Install] section of the unit file (and its
	// drop-ins) the name resolves to.
	Install SystemdInstall `json:"install"`
	// DropIns are the drop-in files (NAME.d/*.conf) read for [Install].
	DropIns []string `json:"drop_ins"`
	// Error says why the state is "bad".
	Error string `json:"error,omitempty"`

	err error // the error behind "bad"
}

// SystemdInstall is a unit's [Install] section, values as written
// (specifiers unexpanded, except in Also, where %n %N %p %i %j and %% are
// expanded as systemctl does).
type SystemdInstall struct {
	WantedBy        []string `json:"wanted_by"`
	RequiredBy      []string `json:"required_by"`
	Also            []string `json:"also"`
	Alias           []string `json:"alias"`
	DefaultInstance string   `json:"default_instance,omitempty"`
}

// systemdSearchPath is systemd 252's system unit search path as Debian 12
// builds it (`systemd-path systemd-search-system-unit`): /lib/systemd/system
// comes before /usr/lib/systemd/system, and on a merged-/usr root both name
// the same directory.
var systemdSearchPath = []string{
	"/etc/systemd/system.control",
	"/run/systemd/system.control",
	"/run/systemd/transient",
	"/run/systemd/generator.early",
	"/etc/systemd/system",
	"/etc/systemd/system.attached",
	"/run/systemd/system",
	"/run/systemd/system.attached",
	"/run/systemd/generator",
	"/usr/local/lib/systemd/system",
	"/lib/systemd/system",
	"/usr/lib/systemd/system",
	"/run/systemd/generator.late",
}

const (
	sdPersistentConfig = "/etc/systemd/system"
	sdTransient        = "/run/systemd/transient"
	// sdMaxEntries is the default of Systemd.MaxEntries.
	sdMaxEntries = 200000
	// sdMaxFollow is UNIT_FILE_FOLLOW_SYMLINK_MAX.
	sdMaxFollow = 64
	// sdMaxLine is systemd's LONG_LINE_MAX.
	sdMaxLine = 1 << 20
)

var sdGenerators = []string{"/run/systemd/generator", "/run/systemd/generator.early", "/run/systemd/generator.late"}

// sdUnitTypes are the unit type suffixes systemd 252 knows.
var sdUnitTypes = map[string]bool{
	"service": true, "socket": true, "target": true, "device": true, "mount": true, "automount": true,
	"swap": true, "timer": true, "path": true, "slice": true, "scope": true,
}

// Name implements Collector.
func (Systemd) Name() string { return "systemd" }

// Collect implements Collector. A unit file systemd itself cannot load is
// a fact (state "bad"); a file that cannot be read at all (too large, a
// permission error) or a directory that cannot be listed fails the
// collector.
func (c Systemd) Collect(ctx context.Context, t Target) (any, error) {
	s := &sdScan{ctx: ctx, fs: t.Fs, dirs: map[string]*sdDir{}, parsed: map[string]*sdParsed{}, maxEntries: c.MaxEntries}
	if s.maxEntries <= 0 {
		s.maxEntries = sdMaxEntries
	}
	facts := &SystemdFacts{SearchPath: []string{}, Units: map[string]*SystemdUnit{}}
	// List the whole search path first: a unit's state depends on links
	// in every directory of it.
	for _, dir := range systemdSearchPath {
		d, err := s.dir(dir)
		if err != nil {
			return nil, err
		}
		if d != nil {
			facts.Exists = true
			facts.SearchPath = append(facts.SearchPath, dir)
		}
	}
	for _, dir := range facts.SearchPath {
		for _, e := range s.dirs[dir].entries {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if _, seen := facts.Units[e.name]; seen || !sdNameValid(e.name, sdAny) {
				continue
			}
			if !e.mode.IsRegular() && e.mode&fs.ModeSymlink == 0 {
				continue
			}
			u, err := s.unit(e.name)
			if err != nil {
				return nil, err
			}
			u.Path = path.Join(dir, e.name)
			facts.Units[e.name] = u
		}
	}
	// Template instances enabled through .wants/.requires links.
	for _, dir := range facts.SearchPath {
		for _, dep := range s.dirs[dir].deps {
			for _, name := range dep.links {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				if _, seen := facts.Units[name]; seen || !sdNameValid(name, sdInstance) {
					continue
				}
				u, err := s.unit(name)
				if err != nil {
					return nil, err
				}
				if errors.Is(u.err, sdENOENT) {
					continue // names no unit file: a dangling link, not a unit
				}
				u.Path = u.FragmentPath
				facts.Units[name] = u
			}
		}
	}
	// Each directory once: on a merged-/usr root /lib/systemd/system and
	// /usr/lib/systemd/system are the same.
	seenDir := map[string]bool{}
	for _, dir := range facts.SearchPath {
		resolved := dir
		if r, err := s.chase(dir + "/x"); err == nil {
			resolved = path.Dir(r)
		}
		if seenDir[resolved] {
			continue
		}
		seenDir[resolved] = true
		for _, dep := range s.dirs[dir].deps {
			owner := dep.name[:strings.LastIndexByte(dep.name, '.')]
			for _, name := range dep.links {
				u := facts.Units[name]
				if u == nil {
					continue
				}
				u.Links = append(u.Links, path.Join(dir, dep.name, name))
				if strings.HasSuffix(dep.name, ".wants") {
					u.WantedBy = append(u.WantedBy, owner)
				} else {
					u.RequiredBy = append(u.RequiredBy, owner)
				}
			}
		}
	}
	for _, u := range facts.Units {
		u.WantedBy = sortedUnique(u.WantedBy)
		u.RequiredBy = sortedUnique(u.RequiredBy)
	}
	def, err := s.traverse("default.target", false)
	if err != nil && !sdIsUnitError(err) {
		return nil, err
	}
	if err == nil && def.mode == sdRegular && !s.generatedOrTransient(def.path) {
		facts.DefaultTarget = def.name
	}
	return facts, nil
}

func sortedUnique(list []string) []string {
	out := []string{}
	sort.Strings(list)
	for i, s := range list {
		if i == 0 || s != list[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// sdErrno is the errno systemd's code returns for a unit it cannot load;
// it turns the unit's state into "bad" rather than failing the collector.
type sdErrno string

func (e sdErrno) Error() string { return string(e) }

const (
	sdENOENT  sdErrno = "no such file or directory"
	sdENOTDIR sdErrno = "not a directory"
	sdEACCES  sdErrno = "permission denied"
	sdELOOP   sdErrno = "too many levels of symbolic links"
	sdEINVAL  sdErrno = "invalid argument"
	sdEXDEV   sdErrno = "invalid cross-device link"
	sdEISDIR  sdErrno = "is a directory"
	sdEBADMSG sdErrno = "bad message"
	sdENOLINK sdErrno = "link has been severed"
	sdEBADFD  sdErrno = "file descriptor in bad state"
)

// sdUnitError is an error systemd reports for one unit.
type sdUnitError struct {
	errno sdErrno
	msg   string
}

func (e *sdUnitError) Error() string { return e.msg + ": " + string(e.errno) }
func (e *sdUnitError) Unwrap() error { return e.errno }

func sdFail(errno sdErrno, format string, args ...any) error {
	return &sdUnitError{errno: errno, msg: fmt.Sprintf(format, args...)}
}

func sdIsUnitError(err error) bool {
	var ue *sdUnitError
	return errors.As(err, &ue)
}

// sdSkippable are the errors unit_file_search passes over to try the next
// directory of the search path.
func sdSkippable(err error) bool {
	return errors.Is(err, sdENOENT) || errors.Is(err, sdENOTDIR) || errors.Is(err, sdEACCES)
}

// sdScan caches what one collection reads: directory listings and parsed
// unit files.
type sdScan struct {
	ctx        context.Context
	fs         afero.Fs
	dirs       map[string]*sdDir // search path directory -> listing (nil: missing)
	parsed     map[string]*sdParsed
	entries    int
	maxEntries int
}

// sdDir is one directory of the search path.
type sdDir struct {
	entries []sdEntry
	byName  map[string]*sdEntry
	deps    []sdDeps
	// depNames holds every link name in the .wants/.requires directories;
	// depTemplates maps a template to the instance links of it there.
	depNames     map[string]bool
	depTemplates map[string][]string
	// byDest maps the last component of each top-level symlink's target to
	// the links' names.
	byDest map[string][]string
}

type sdEntry struct {
	name   string
	mode   fs.FileMode
	size   int64
	target string // symlinks: the target as written
}

// sdDeps is a NAME.wants or NAME.requires directory and its symlinks.
type sdDeps struct {
	name  string
	links []string
}

// dir lists a directory of the search path once; nil when it does not
// exist (or is not a directory, or not readable, which systemd skips too).
func (s *sdScan) dir(dir string) (*sdDir, error) {
	if d, ok := s.dirs[dir]; ok {
		return d, nil
	}
	s.dirs[dir] = nil
	infos, err := s.readDir(dir)
	if infos == nil || err != nil {
		return nil, err
	}
	d := &sdDir{byName: map[string]*sdEntry{}, depNames: map[string]bool{}, depTemplates: map[string][]string{}, byDest: map[string][]string{}}
	for _, fi := range infos {
		e := sdEntry{name: fi.Name(), mode: fi.Mode(), size: fi.Size()}
		if e.mode&fs.ModeSymlink != 0 {
			if e.target, err = s.readlink(path.Join(dir, e.name)); err != nil {
				return nil, err
			}
			d.byDest[sdBase(e.target)] = append(d.byDest[sdBase(e.target)], e.name)
		}
		d.entries = append(d.entries, e)
	}
	for i := range d.entries {
		e := &d.entries[i]
		d.byName[e.name] = e
		suffix := ""
		if dot := strings.LastIndexByte(e.name, '.'); dot >= 0 {
			suffix = e.name[dot:]
		}
		if !e.mode.IsDir() || (suffix != ".wants" && suffix != ".requires") {
			continue
		}
		sub := path.Join(dir, e.name)
		links, err := s.readDir(sub)
		if err != nil {
			return nil, err
		}
		deps := sdDeps{name: e.name}
		for _, fi := range links {
			if fi.Mode()&fs.ModeSymlink == 0 {
				continue
			}
			n := fi.Name()
			deps.links = append(deps.links, n)
			d.depNames[n] = true
			if tmpl, ok := sdTemplate(n); ok && n != tmpl {
				d.depTemplates[tmpl] = append(d.depTemplates[tmpl], n)
			}
		}
		d.deps = append(d.deps, deps)
	}
	s.dirs[dir] = d
	return d, nil
}

// readDir lists dir sorted by name; nil without error when systemd would
// skip it (missing, not a directory, not readable).
func (s *sdScan) readDir(dir string) ([]os.FileInfo, error) {
	if err := s.ctx.Err(); err != nil {
		return nil, err
	}
	infos, err := afero.ReadDir(s.fs, dir)
	if err != nil {
		if hostMissing(err) || errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.ENOTDIR) {
			return nil, nil
		}
		return nil, fmt.Errorf("systemd: %w", err)
	}
	s.entries += len(infos)
	if s.entries > s.maxEntries {
		return nil, fmt.Errorf("systemd: %s: more than %d entries in the unit search path", dir, s.maxEntries)
	}
	return infos, nil
}

func (s *sdScan) readlink(p string) (string, error) {
	lr, ok := s.fs.(afero.LinkReader)
	if !ok {
		return "", fmt.Errorf("systemd: %s: file system cannot read symlinks", p)
	}
	target, err := lr.ReadlinkIfPossible(p)
	if err != nil {
		return "", fmt.Errorf("systemd: %w", err)
	}
	return target, nil
}

// lstat describes p without following a final symlink, from the cached
// listing when p is in a directory of the search path.
func (s *sdScan) lstat(p string) (sdEntry, error) {
	dir, name := path.Split(p)
	dir = path.Clean(dir)
	if d, ok := s.dirs[dir]; ok {
		if d == nil {
			return sdEntry{}, sdFail(sdENOENT, "%s", p)
		}
		if e := d.byName[name]; e != nil {
			return *e, nil
		}
		return sdEntry{}, sdFail(sdENOENT, "%s", p)
	}
	fi, err := lstat(s.fs, p)
	switch {
	case hostMissing(err):
		if errors.Is(err, syscall.ENOTDIR) {
			return sdEntry{}, sdFail(sdENOTDIR, "%s", p)
		}
		return sdEntry{}, sdFail(sdENOENT, "%s", p)
	case errors.Is(err, fs.ErrPermission):
		return sdEntry{}, sdFail(sdEACCES, "%s", p)
	case errors.Is(err, syscall.ELOOP):
		return sdEntry{}, sdFail(sdELOOP, "%s", p)
	case err != nil:
		return sdEntry{}, fmt.Errorf("systemd: %w", err)
	}
	e := sdEntry{name: name, mode: fi.Mode(), size: fi.Size()}
	if e.mode&fs.ModeSymlink != 0 {
		if e.target, err = s.readlink(p); err != nil {
			return sdEntry{}, err
		}
	}
	return e, nil
}

// chase makes p absolute inside the root with every symlink but the last
// component resolved, as chase_symlinks(CHASE_NOFOLLOW|CHASE_NONEXISTENT).
func (s *sdScan) chase(p string) (string, error) {
	p = path.Clean("/" + p)
	if p == "/" {
		return p, nil
	}
	r, ok := s.fs.(interface{ Resolve(string) (string, error) })
	if !ok {
		return p, nil
	}
	dir, err := r.Resolve(path.Dir(p))
	if err != nil {
		if errors.Is(err, syscall.ELOOP) {
			return "", sdFail(sdELOOP, "%s", p)
		}
		return "", fmt.Errorf("systemd: %w", err)
	}
	return path.Join(dir, path.Base(p)), nil
}

// The install modes of install.c.
const (
	sdInvalid = iota
	sdRegular
	sdMasked
	sdAlias
	sdLinked
)

// sdInfo is install.c's InstallInfo.
type sdInfo struct {
	name, path    string
	mode          int
	symlinkTarget string
	install       SystemdInstall
	dropIns       []string
}

// unit computes the facts of one unit name.
func (s *sdScan) unit(name string) (*SystemdUnit, error) {
	u := &SystemdUnit{Name: name, WantedBy: []string{}, RequiredBy: []string{}, Links: []string{}, DropIns: []string{},
		Install: SystemdInstall{WantedBy: []string{}, RequiredBy: []string{}, Also: []string{}, Alias: []string{}}}
	info, state, err := s.state(name)
	if err != nil {
		if !sdIsUnitError(err) {
			return nil, err
		}
		u.State, u.Error, u.err = "bad", err.Error(), err
		return u, nil
	}
	u.State, u.FragmentPath = state, info.path
	if state == "alias" {
		u.AliasOf = info.name
	}
	in := info.install
	u.Install = SystemdInstall{
		WantedBy: nonNil(in.WantedBy), RequiredBy: nonNil(in.RequiredBy), Also: nonNil(in.Also),
		Alias: nonNil(in.Alias), DefaultInstance: in.DefaultInstance,
	}
	u.DropIns = nonNil(info.dropIns)
	return u, nil
}

func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}

// state is unit_file_lookup_state.
func (s *sdScan) state(name string) (*sdInfo, string, error) {
	if !sdNameValid(name, sdAny) {
		return nil, "", sdFail(sdEINVAL, "invalid unit name %q", name)
	}
	info, err := s.traverse(name, true)
	if err != nil {
		return nil, "", err
	}
	if info.mode == sdMasked {
		if sdUnder(info.path, "/run") {
			return info, "masked-runtime", nil
		}
		return info, "masked", nil
	}
	if name != sdBase(info.path) && !sdNameValid(info.name, sdInstance) {
		return info, "alias", nil
	}
	switch parent := path.Dir(info.path); {
	case sdContains(sdGenerators, parent):
		return info, "generated", nil
	case parent == sdTransient:
		return info, "transient", nil
	}
	if state, ok := s.findInScope(info, true); ok {
		return info, state, nil
	}
	if _, ok := s.findInScope(info, false); ok {
		return info, "indirect", nil
	}
	in := info.install
	switch {
	case len(in.Alias) > 0 || len(in.WantedBy) > 0 || len(in.RequiredBy) > 0:
		return info, "disabled", nil
	case len(in.Also) > 0:
		return info, "indirect", nil
	}
	return info, "static", nil
}

func (s *sdScan) generatedOrTransient(p string) bool {
	parent := path.Dir(p)
	return sdContains(sdGenerators, parent) || parent == sdTransient
}

// findInScope is find_symlinks_in_scope.
func (s *sdScan) findInScope(info *sdInfo, matchName bool) (string, bool) {
	var sameConfig, sameRuntime, enabledRuntime, enabledAtAll, ignoreSame bool
	for _, dir := range systemdSearchPath {
		d := s.dirs[dir]
		if d != nil {
			found, same := s.findSymlinks(d, info, matchName, ignoreSame)
			switch {
			case found && dir == sdPersistentConfig:
				return "enabled", true
			case found && sdRuntimeDir(dir):
				enabledRuntime = true
			case found:
				enabledAtAll = true
			case same && dir == sdPersistentConfig:
				sameConfig = true
			case same && sdRuntimeDir(dir):
				sameRuntime = true
			}
		}
		if !ignoreSame && sdUnder(info.path, dir) {
			ignoreSame = true
		}
	}
	switch {
	case enabledRuntime:
		return "enabled-runtime", true
	case enabledAtAll && sdNameValid(info.name, sdInstance):
		return "static", true
	case sameConfig:
		return "linked", true
	case sameRuntime:
		return "linked-runtime", true
	}
	return "", false
}

// sdRuntimeDir is path_is_runtime for a directory of the search path.
func sdRuntimeDir(dir string) bool { return sdUnder(dir, "/run") }

// findSymlinks is find_symlinks for one directory of the search path: a
// link naming the unit in its .wants/.requires directories, else a link
// in the directory itself that names it or points to it.
func (s *sdScan) findSymlinks(d *sdDir, info *sdInfo, matchName, ignoreSame bool) (found, sameName bool) {
	if d.depNames[info.name] {
		return true, false // the name itself is always a known name
	}
	for _, inst := range d.depTemplates[info.name] {
		if !matchName || info.knownName(inst) {
			return true, false
		}
	}
	// Top-level symlinks: those named like the unit, and those whose
	// target's last component is the unit's name.
	var candidates []string
	if e := d.byName[info.name]; e != nil && e.mode&fs.ModeSymlink != 0 {
		candidates = append(candidates, info.name)
	}
	for _, n := range d.byDest[info.name] {
		if n != info.name {
			candidates = append(candidates, n)
		}
	}
	for _, n := range candidates {
		e := d.byName[n]
		foundDest := sdBase(e.target) == info.name
		foundPath := !ignoreSame && n == info.name
		switch {
		case foundPath && foundDest:
			sameName = true
		case foundPath || foundDest:
			if !matchName || info.knownName(n) {
				return true, false
			}
		}
	}
	return false, sameName
}

// knownName is is_symlink_with_known_name.
func (i *sdInfo) knownName(name string) bool {
	if name == i.name || sdContains(i.install.Alias, name) {
		return true
	}
	if i.install.DefaultInstance != "" && sdNameValid(i.name, sdTemplateName) {
		if n, ok := sdReplaceInstance(i.name, i.install.DefaultInstance); ok && n == name {
			return true
		}
	}
	return false
}

// traverse is install_info_discover/install_info_traverse with
// SEARCH_FOLLOW_CONFIG_SYMLINKS: find the unit file and follow alias and
// link symlinks to the regular file (or mask) at the end.
func (s *sdScan) traverse(name string, load bool) (*sdInfo, error) {
	ctx := map[string]*sdInfo{}
	start := &sdInfo{name: name}
	ctx[name] = start
	if err := s.search(start, load); err != nil {
		return nil, err
	}
	i := start
	for k := 0; i.mode == sdAlias || i.mode == sdLinked; {
		if k++; k > sdMaxFollow {
			return nil, sdFail(sdELOOP, "%s: too many symlinks to follow", name)
		}
		err := s.follow(i, load, i.mode == sdLinked)
		if errors.Is(err, sdEXDEV) && i.symlinkTarget != "" {
			bn := sdBase(i.symlinkTarget)
			if sdNameValid(i.name, sdInstance) && sdNameValid(bn, sdTemplateName) {
				inst, _ := sdInstanceOf(i.name)
				buf, ok := sdReplaceInstance(bn, inst)
				if !ok {
					return nil, sdFail(sdEINVAL, "%s: cannot instantiate %s", i.path, bn)
				}
				if buf == i.name {
					if err := s.follow(i, load, true); err != nil {
						return nil, err
					}
					continue
				}
				bn = buf
			}
			if !sdNameValid(bn, sdAny) {
				return nil, sdFail(sdEINVAL, "%s: invalid unit name %q", i.path, bn)
			}
			next := ctx[bn]
			if next == nil {
				next = &sdInfo{name: bn}
				ctx[bn] = next
			}
			i = next
			err = s.search(i, load)
			if errors.Is(err, sdENOENT) {
				return nil, sdFail(sdENOLINK, "%s: alias target %s not found", name, bn)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return i, nil
}

// follow is install_info_follow.
func (s *sdScan) follow(i *sdInfo, load, ignoreDifferentName bool) error {
	if !ignoreDifferentName && sdBase(i.symlinkTarget) != i.name {
		return sdFail(sdEXDEV, "%s", i.symlinkTarget)
	}
	i.path, i.symlinkTarget, i.mode = i.symlinkTarget, "", sdInvalid
	return s.loadOrReadlink(i, i.path, load)
}

// search is unit_file_search: the first directory of the search path with
// the name (or, for an instance, its template), then the drop-ins.
func (s *sdScan) search(i *sdInfo, load bool) error {
	if i.mode != sdInvalid {
		return nil
	}
	if i.path != "" {
		return s.loadOrReadlink(i, i.path, load)
	}
	names := []string{i.name}
	tmpl, isInstance := "", sdNameValid(i.name, sdInstance)
	if isInstance {
		tmpl, _ = sdTemplate(i.name)
		names = append(names, tmpl)
	}
	found := false
	for _, n := range names {
		for _, dir := range systemdSearchPath {
			if _, err := s.dir(dir); err != nil {
				return err
			}
			p := path.Join(dir, n)
			err := s.loadOrReadlink(i, p, load)
			if err == nil {
				i.path, found = p, true
				break
			}
			if !sdSkippable(err) {
				return err
			}
		}
		if found {
			break
		}
	}
	if !found {
		if isInstance {
			return sdFail(sdENOENT, "cannot find unit %s or %s", i.name, tmpl)
		}
		return sdFail(sdENOENT, "cannot find unit %s", i.name)
	}
	if i.mode == sdMasked || !load {
		return nil
	}
	// Drop-ins: every *.conf in NAME.d (and TEMPLATE.d) of the search path,
	// the first of each file name winning, in file-name order.
	var dropDirs []string
	for _, n := range names {
		for _, dir := range systemdSearchPath {
			dropDirs = append(dropDirs, path.Join(dir, n+".d"))
		}
	}
	byName := map[string]string{}
	var order []string
	seenDir := map[string]bool{}
	for _, dd := range dropDirs {
		resolved := dd
		if r, err := s.chase(dd + "/x"); err == nil {
			resolved = path.Dir(r)
		}
		if seenDir[resolved] {
			continue
		}
		seenDir[resolved] = true
		infos, err := s.readDir(dd)
		if err != nil {
			return err
		}
		for _, fi := range infos {
			n := fi.Name()
			if !strings.HasSuffix(n, ".conf") {
				continue
			}
			if _, dup := byName[n]; dup {
				continue
			}
			byName[n] = path.Join(dd, n)
			order = append(order, n)
		}
	}
	sort.Strings(order)
	for _, n := range order {
		p := byName[n]
		if err := s.loadDropIn(i, p); err != nil {
			return err
		}
	}
	return nil
}

// loadDropIn parses a drop-in's [Install] section into i; empty files and
// links to /dev/null add nothing.
func (s *sdScan) loadDropIn(i *sdInfo, p string) error {
	fi, err := s.fs.Stat(p)
	if err != nil {
		if hostMissing(err) {
			return sdFail(sdENOENT, "failed to load conf file %s", p)
		}
		return fmt.Errorf("systemd: %w", err)
	}
	if sdNullOrEmpty(fi.Mode(), fi.Size()) {
		return nil
	}
	if fi.IsDir() {
		return sdFail(sdEISDIR, "failed to load conf file %s", p)
	}
	if !fi.Mode().IsRegular() {
		return sdFail(sdEBADFD, "failed to load conf file %s", p)
	}
	i.dropIns = append(i.dropIns, p)
	return s.parseInto(i, p)
}

// sdNullOrEmpty is null_or_empty: an empty regular file or a character
// device (/dev/null).
func sdNullOrEmpty(mode fs.FileMode, size int64) bool {
	return mode.IsRegular() && size <= 0 || mode&fs.ModeCharDevice != 0
}

// loadOrReadlink is unit_file_load_or_readlink for the main unit file p.
func (s *sdScan) loadOrReadlink(i *sdInfo, p string, load bool) error {
	typ := sdType(i.name)
	if sdNameValid(i.name, sdInstance|sdTemplateName) && !sdTemplatable(typ) {
		return sdFail(sdEINVAL, "%s: unit type %s cannot be templated", p, typ)
	}
	e, err := s.lstat(p)
	if err != nil {
		return err
	}
	switch {
	case e.mode&fs.ModeSymlink != 0:
		return s.readlinkUnit(i, p, e.target)
	case sdNullOrEmpty(e.mode, e.size):
		i.mode = sdMasked
		return nil
	case e.mode.IsDir():
		return sdFail(sdEISDIR, "%s", p)
	case !e.mode.IsRegular():
		return sdFail(sdEBADFD, "%s", p)
	}
	if load {
		if err := s.parseInto(i, p); err != nil {
			return err
		}
	}
	i.mode = sdRegular
	return nil
}

// readlinkUnit is the symlink half of unit_file_load_or_readlink: a link
// into the search path is an alias, one out of it links a unit file, one
// to /dev/null or an empty file masks.
func (s *sdScan) readlinkUnit(i *sdInfo, p, target string) error {
	abs := target
	if !path.IsAbs(abs) {
		abs = path.Join(path.Dir(p), target)
	}
	simplified, err := s.chase(abs)
	if err != nil {
		return err
	}
	inSearchPath := false
	for _, dir := range systemdSearchPath {
		if sdUnder(simplified, dir) {
			inSearchPath = true
			break
		}
	}
	if inSearchPath {
		if err := sdValidateAlias(p, simplified); err != nil {
			return err
		}
	}
	i.symlinkTarget = simplified
	masked, err := s.nullOrEmptyPath(simplified)
	if err != nil {
		return err
	}
	switch {
	case masked:
		i.mode = sdMasked
	case inSearchPath:
		i.mode = sdAlias
	default:
		i.mode = sdLinked
	}
	return nil
}

// nullOrEmptyPath is null_or_empty_path_with_root: a (possibly dangling)
// link to /dev/null, or a path that resolves to an empty file or a
// character device. A missing target is not a mask.
func (s *sdScan) nullOrEmptyPath(p string) (bool, error) {
	if p == "/dev/null" {
		return true, nil
	}
	fi, err := s.fs.Stat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case errors.Is(err, syscall.ELOOP):
		return false, sdFail(sdELOOP, "%s", p)
	case errors.Is(err, syscall.ENOTDIR):
		return false, sdFail(sdENOTDIR, "%s", p)
	case errors.Is(err, fs.ErrPermission):
		return false, sdFail(sdEACCES, "%s", p)
	case err != nil:
		return false, fmt.Errorf("systemd: %w", err)
	}
	return sdNullOrEmpty(fi.Mode(), fi.Size()), nil
}

// sdValidateAlias is unit_validate_alias_symlink_or_warn.
func sdValidateAlias(file, target string) error {
	src, dst := sdBase(file), sdBase(target)
	srcKind := sdKind(src)
	if srcKind == 0 {
		return sdFail(sdEINVAL, "%s: not a valid unit name %q", file, src)
	}
	if !sdAliasable(sdType(src)) {
		return sdFail(sdEINVAL, "%s: symlinks are not allowed for units of this type", file)
	}
	if srcKind != sdPlain && !sdTemplatable(sdType(src)) {
		return sdFail(sdEINVAL, "%s: templates not allowed for %s units", file, sdType(src))
	}
	if src == dst {
		return sdFail(sdELOOP, "%s: unit self-alias: %s -> %s", file, src, dst)
	}
	dstKind := sdKind(dst)
	if dstKind == 0 {
		return sdFail(sdEXDEV, "%s points to %q which is not a valid unit name", file, dst)
	}
	if !(dstKind == srcKind || srcKind == sdInstance && dstKind == sdTemplateName) {
		return sdFail(sdEXDEV, "%s: symlink target name type %q does not match source", file, dst)
	}
	if dstKind == sdInstance {
		a, _ := sdInstanceOf(src)
		b, _ := sdInstanceOf(dst)
		if a != b {
			return sdFail(sdEXDEV, "%s: unit symlink target %q instance name does not match", file, dst)
		}
	}
	if sdType(src) != sdType(dst) {
		return sdFail(sdEXDEV, "%s: symlink target %q has incompatible suffix", file, dst)
	}
	return nil
}

// sdParsed is a unit file's [Install] assignments, in order.
type sdParsed struct {
	assignments []sdAssignment
	err         error
}

type sdAssignment struct {
	key, value string
	line       int
}

// parseInto applies the [Install] section of the file p to i, as
// unit_file_load does with its config table.
func (s *sdScan) parseInto(i *sdInfo, p string) error {
	parsed := s.parsed[p]
	if parsed == nil {
		data, err := ReadFile(s.fs, p, MaxConfigSize)
		if err != nil {
			return fmt.Errorf("systemd: %w", err)
		}
		parsed = &sdParsed{}
		parsed.assignments, parsed.err = sdParseInstall(p, data)
		s.parsed[p] = parsed
	}
	if parsed.err != nil {
		return parsed.err
	}
	for _, a := range parsed.assignments {
		if err := i.assign(p, a); err != nil {
			return err
		}
	}
	return nil
}

// assign is one [Install] assignment.
func (i *sdInfo) assign(file string, a sdAssignment) error {
	in := &i.install
	switch a.key {
	case "Alias":
		if !sdAliasable(sdType(i.name)) {
			return nil // "Alias= is not allowed for ... units, ignoring."
		}
		sdStrv(&in.Alias, a.value)
	case "WantedBy":
		sdStrv(&in.WantedBy, a.value)
	case "RequiredBy":
		sdStrv(&in.RequiredBy, a.value)
	case "DefaultInstance":
		if sdNameValid(i.name, sdInstance) || !sdNameValid(i.name, sdTemplateName) {
			return nil
		}
		v, ok := sdPrintf(i.name, a.value)
		if !ok {
			return sdFail(sdEBADMSG, "%s:%d: cannot resolve specifiers in DefaultInstance=%q", file, a.line, a.value)
		}
		if v != "" && !sdInstanceValid(v) {
			return sdFail(sdEINVAL, "%s:%d: invalid DefaultInstance= value %q", file, a.line, v)
		}
		in.DefaultInstance = v
	case "Also":
		words, _ := sdWords(a.value, false)
		for _, w := range words {
			v, ok := sdPrintf(i.name, w)
			if !ok {
				// A specifier that needs the running host (%H, %m, ...):
				// kept as written.
				in.Also = append(in.Also, w)
				continue
			}
			if !sdNameValid(v, sdAny) {
				return sdFail(sdEINVAL, "%s:%d: invalid unit name %q in Also=", file, a.line, v)
			}
			in.Also = append(in.Also, v)
		}
	}
	return nil
}

// sdStrv is config_parse_strv: an empty value resets the list, words are
// appended (unquoted, backslashes kept); a syntax error drops the rest.
func sdStrv(list *[]string, value string) {
	if value == "" {
		*list = nil
		return
	}
	words, _ := sdWords(value, true)
	*list = append(*list, words...)
}

// sdWords splits value as extract_first_word does: with unquote (and
// EXTRACT_RETAIN_ESCAPE) quotes delimit and are removed and backslashes
// are ordinary; without it quotes are ordinary and a backslash escapes
// the next character. It returns the words before a syntax error.
func sdWords(value string, unquote bool) ([]string, bool) {
	var words []string
	i := 0
	for {
		for i < len(value) && strings.IndexByte(" \t\n\r", value[i]) >= 0 {
			i++
		}
		if i >= len(value) {
			return words, true
		}
		var w strings.Builder
		for i < len(value) && strings.IndexByte(" \t\n\r", value[i]) < 0 {
			c := value[i]
			switch {
			case unquote && (c == '\'' || c == '"'):
				end := strings.IndexByte(value[i+1:], c)
				if end < 0 {
					return words, false
				}
				w.WriteString(value[i+1 : i+1+end])
				i += end + 2
			case !unquote && c == '\\':
				if i+1 >= len(value) {
					return words, false
				}
				w.WriteByte(value[i+1])
				i += 2
			default:
				w.WriteByte(c)
				i++
			}
		}
		words = append(words, w.String())
	}
}

// sdPrintf expands the unit-name specifiers install_name_printf knows
// without asking the host (%n %N %p %i %j %%); ok is false for any other.
func sdPrintf(name, s string) (string, bool) {
	if !strings.Contains(s, "%") {
		return s, true
	}
	prefix, instance := name[:strings.LastIndexByte(name, '.')], ""
	if at := strings.IndexByte(name, '@'); at >= 0 {
		prefix = name[:at]
		instance = name[at+1 : strings.LastIndexByte(name, '.')]
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 >= len(s) {
			return "", false
		}
		i++
		switch s[i] {
		case '%':
			b.WriteByte('%')
		case 'n':
			b.WriteString(name)
		case 'N':
			b.WriteString(name[:strings.LastIndexByte(name, '.')])
		case 'p':
			b.WriteString(prefix)
		case 'i':
			b.WriteString(instance)
		case 'j':
			j := prefix
			if dash := strings.LastIndexByte(prefix, '-'); dash >= 0 {
				j = prefix[dash+1:]
			}
			b.WriteString(j)
		default:
			return "", false
		}
	}
	return b.String(), true
}

// sdParseInstall reads a unit file as config_parse does and returns the
// assignments of its [Install] section. Errors are those that make
// systemd refuse the file (a malformed section header, an overlong line).
func sdParseInstall(file string, data []byte) ([]sdAssignment, error) {
	var out []sdAssignment
	section, continuation, inContinuation := "", "", false
	line := 0
	bomSeen := false
	parse := func(l string, n int) error {
		l = strings.Trim(l, " \t\n\r")
		if l == "" {
			return nil
		}
		if !utf8.ValidString(l) {
			return nil // logged and ignored
		}
		if l[0] == '[' {
			if l[len(l)-1] != ']' {
				return sdFail(sdEBADMSG, "%s:%d: invalid section header %q", file, n, l)
			}
			name := l[1 : len(l)-1]
			if !sdStringSafe(name) {
				return sdFail(sdEBADMSG, "%s:%d: bad characters in section header %q", file, n, l)
			}
			section = name
			return nil
		}
		if section != "Install" {
			return nil
		}
		eq := strings.IndexByte(l, '=')
		if eq <= 0 {
			return nil
		}
		out = append(out, sdAssignment{
			key:   strings.Trim(l[:eq], " \t\n\r"),
			value: strings.Trim(l[eq+1:], " \t\n\r"),
			line:  n,
		})
		return nil
	}
	for len(data) > 0 {
		// read_line: \n, \r\n, \r and NUL end a line.
		end := bytes.IndexAny(data, "\n\r\x00")
		var raw string
		if end < 0 {
			raw, data = string(data), nil
		} else {
			raw = string(data[:end])
			if data[end] == '\r' && end+1 < len(data) && data[end+1] == '\n' {
				end++
			}
			data = data[end+1:]
		}
		if len(raw) > sdMaxLine {
			return nil, sdFail(sdEBADMSG, "%s:%d: line too long", file, line)
		}
		line++
		if l := strings.TrimLeft(raw, " \t\n\r"); l != "" && (l[0] == '#' || l[0] == ';') {
			continue
		}
		l := raw
		if !bomSeen && strings.HasPrefix(l, "\ufeff") {
			l, bomSeen = l[3:], true
		}
		p := l
		if inContinuation {
			if len(continuation)+len(l) > sdMaxLine {
				return nil, sdFail(sdEBADMSG, "%s:%d: continuation line too long", file, line)
			}
			continuation += l
			p = continuation
		}
		escaped := false
		for k := 0; k < len(p); k++ {
			if escaped {
				escaped = false
			} else if p[k] == '\\' {
				escaped = true
			}
		}
		if escaped {
			p = p[:len(p)-1] + " "
			continuation, inContinuation = p, true
			continue
		}
		if err := parse(p, line); err != nil {
			return nil, err
		}
		continuation, inContinuation = "", false
	}
	if inContinuation {
		line++
		if err := parse(continuation, line); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// sdStringSafe is string_is_safe: no control characters, quotes or
// backslashes.
func sdStringSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c > 0 && c < ' ' || strings.IndexByte("\"'\\\x7f", c) >= 0 {
			return false
		}
	}
	return true
}

// Unit name kinds (UNIT_NAME_PLAIN, _INSTANCE, _TEMPLATE).
const (
	sdPlain        = 1
	sdInstance     = 2
	sdTemplateName = 4
	sdAny          = sdPlain | sdInstance | sdTemplateName
)

// sdKind classifies a unit name: 0 when it is not valid.
func sdKind(n string) int {
	if n == "" || len(n) >= 256 {
		return 0
	}
	dot := strings.LastIndexByte(n, '.')
	if dot <= 0 || !sdUnitTypes[n[dot+1:]] {
		return 0
	}
	at := -1
	for i := 0; i < dot; i++ {
		c := n[i]
		if c == '@' && at < 0 {
			at = i
		}
		if !sdValidChar(c) && c != '@' {
			return 0
		}
	}
	switch {
	case at == 0:
		return 0
	case at < 0:
		return sdPlain
	case dot > at+1:
		return sdInstance
	}
	return sdTemplateName
}

func sdValidChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || strings.IndexByte(":-_.\\", c) >= 0
}

func sdNameValid(n string, kinds int) bool { return sdKind(n)&kinds != 0 }

func sdInstanceValid(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !sdValidChar(s[i]) && s[i] != '@' {
			return false
		}
	}
	return true
}

// sdType is the unit type suffix ("service").
func sdType(n string) string { return n[strings.LastIndexByte(n, '.')+1:] }

func sdAliasable(typ string) bool {
	switch typ {
	case "service", "socket", "target", "device", "timer", "path":
		return true
	}
	return false
}

func sdTemplatable(typ string) bool {
	switch typ {
	case "service", "socket", "target", "timer", "path":
		return true
	}
	return false
}

// sdTemplate is unit_name_template: "getty@tty1.service" -> "getty@.service".
func sdTemplate(n string) (string, bool) {
	if !sdNameValid(n, sdInstance|sdTemplateName) {
		return "", false
	}
	at, dot := strings.IndexByte(n, '@'), strings.LastIndexByte(n, '.')
	return n[:at+1] + n[dot:], true
}

// sdInstanceOf is the instance of an instance name ("tty1").
func sdInstanceOf(n string) (string, bool) {
	if !sdNameValid(n, sdInstance) {
		return "", false
	}
	return n[strings.IndexByte(n, '@')+1 : strings.LastIndexByte(n, '.')], true
}

// sdReplaceInstance is unit_name_replace_instance.
func sdReplaceInstance(n, instance string) (string, bool) {
	if !sdNameValid(n, sdInstance|sdTemplateName) || !sdInstanceValid(instance) {
		return "", false
	}
	at, dot := strings.IndexByte(n, '@'), strings.LastIndexByte(n, '.')
	out := n[:at+1] + instance + n[dot:]
	return out, sdNameValid(out, sdInstance)
}

// sdBase is the last component of p, as systemd's basename().
func sdBase(p string) string { return p[strings.LastIndexByte(p, '/')+1:] }

// sdUnder is path_startswith: p is dir or below it, component-wise.
func sdUnder(p, dir string) bool {
	return p == dir || strings.HasPrefix(p, strings.TrimSuffix(dir, "/")+"/")
}

func sdContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
