package checks

import (
	"context"
	"errors"
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/afero"
)

// Mounts collects the file systems a root mounts: /etc/fstab, the systemd
// mount units CIS asks about (tmp.mount), and on the live host what is
// mounted now.
type Mounts struct{}

// MountsFacts is the facts of the mounts collector (see
// docs/facts/mounts.md).
type MountsFacts struct {
	// Fstab is /etc/fstab.
	Fstab FstabFacts `json:"fstab"`
	// Mounted is /proc/self/mounts; only the live host has it.
	Mounted MountedFacts `json:"mounted"`
	// Units maps each mount unit of MountUnitNames to what the root's
	// systemd configuration says about it.
	Units map[string]MountUnit `json:"units"`
}

// FstabFacts is the fstab file.
type FstabFacts struct {
	Path   string `json:"path"`
	Exists bool   `json:"exists"`
	// Entries are the file's entries in file order.
	Entries []MountEntry `json:"entries"`
}

// MountedFacts is the live-only mount table.
type MountedFacts struct {
	LiveOnly
	// Source is the file read.
	Source string `json:"source,omitempty"`
	// Entries are the mounts in mount order: of several on one mount
	// point, the last is the one visible.
	Entries []MountEntry `json:"entries"`
}

// MountEntry is one line of fstab(5) or of /proc/self/mounts, with octal
// escapes ("\040") decoded.
type MountEntry struct {
	Spec    string   `json:"spec"`
	File    string   `json:"file"`
	Vfstype string   `json:"vfstype"`
	Options []string `json:"options"`
	Freq    int      `json:"freq"`
	Passno  int      `json:"passno"`
	Line    int      `json:"line"`
	// Nodev, Nosuid and Noexec say whether the options, read in order as
	// mount(8) reads them, end with that restriction in force: "dev"
	// after "nodev" lifts it, "user" and "users" imply all three, "owner"
	// and "group" imply nodev and nosuid.
	Nodev  bool `json:"nodev"`
	Nosuid bool `json:"nosuid"`
	Noexec bool `json:"noexec"`
}

// MountUnit is a systemd mount unit: the unit file in effect with its
// drop-ins applied.
type MountUnit struct {
	Name string `json:"name"`
	// Path is the unit file in effect ("" when there is none).
	Path   string `json:"path"`
	Exists bool   `json:"exists"`
	// Masked is true when the unit file in effect is a symlink to
	// /dev/null (or empty).
	Masked bool `json:"masked"`
	// What, Where, Type and Options are the [Mount] settings after the
	// drop-ins; Where defaults to the path the unit name encodes.
	What    string   `json:"what"`
	Where   string   `json:"where"`
	Type    string   `json:"type"`
	Options []string `json:"options"`
	// Nodev, Nosuid and Noexec are read from Options as for MountEntry.
	Nodev  bool `json:"nodev"`
	Nosuid bool `json:"nosuid"`
	Noexec bool `json:"noexec"`
	// Dropins are the drop-in files applied, in order.
	Dropins []string `json:"dropins"`
	// WantedBy lists the symlinks in *.wants and *.requires directories
	// that pull the unit in at boot.
	WantedBy []string `json:"wanted_by"`
	// Enabled is true when some such symlink exists and the unit is not
	// masked.
	Enabled bool `json:"enabled"`
	// Sources locates the line behind each setting ("what", "where",
	// "type", "options").
	Sources map[string]SysctlLocation `json:"sources"`
}

// MountUnitNames are the mount units collected.
var MountUnitNames = []string{"tmp.mount"}

const (
	fstabPath  = "/etc/fstab"
	procMounts = "/proc/self/mounts"
)

// unitDirs are systemd's system unit directories, highest priority first
// (/lib/systemd/system for split-/usr roots).
var unitDirs = []string{"/etc/systemd/system", "/run/systemd/system", "/usr/local/lib/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system"}

// Name implements Collector.
func (Mounts) Name() string { return "mounts" }

// Collect implements Collector.
func (Mounts) Collect(ctx context.Context, t Target) (any, error) {
	facts := &MountsFacts{
		Fstab:   FstabFacts{Path: fstabPath, Entries: []MountEntry{}},
		Mounted: MountedFacts{LiveOnly: LiveSection(t, procMounts), Entries: []MountEntry{}},
		Units:   map[string]MountUnit{},
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	data, err := ReadFile(t.Fs, fstabPath, MaxConfigSize)
	switch {
	case err == nil:
		facts.Fstab.Exists = true
		if facts.Fstab.Entries, err = parseMountTable(fstabPath, data, false); err != nil {
			return nil, err
		}
	case !missingPath(err):
		return nil, fmt.Errorf("mounts: %w", err)
	}
	for _, name := range MountUnitNames {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		u, err := readMountUnit(t.Fs, name)
		if err != nil {
			return nil, err
		}
		facts.Units[name] = u
	}
	if t.Live {
		for _, src := range []string{procMounts, "/proc/mounts"} {
			data, err := ReadFile(t.Fs, src, MaxDatabaseSize)
			if missingPath(err) {
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("mounts: %w", err)
			}
			facts.Mounted.Source = src
			if facts.Mounted.Entries, err = parseMountTable(src, data, true); err != nil {
				return nil, err
			}
			break
		}
		if facts.Mounted.Source == "" {
			return nil, fmt.Errorf("mounts: neither %s nor /proc/mounts exists on the live host", procMounts)
		}
	}
	return facts, nil
}

// parseMountTable parses fstab(5) lines as libmount does: blank lines and
// lines whose first non-blank character is "#" are skipped; spec, file and
// vfstype are required, options, freq and passno optional, and anything
// after passno is ignored. The kernel's table always has six fields.
func parseMountTable(file string, data []byte, kernel bool) ([]MountEntry, error) {
	entries := []MountEntry{}
	for i, line := range strings.Split(string(data), "\n") {
		lineNo := i + 1
		fields := strings.Fields(line)
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		if len(fields) < 3 || (kernel && len(fields) != 6) {
			want := "at least 3 fields (spec, file, vfstype)"
			if kernel {
				want = "6 fields"
			}
			return nil, fmt.Errorf("mounts: %s:%d: %d fields, expected %s", file, lineNo, len(fields), want)
		}
		e := MountEntry{
			Spec:    unmangleOctal(fields[0]),
			File:    unmangleOctal(fields[1]),
			Vfstype: unmangleOctal(fields[2]),
			Options: []string{},
			Line:    lineNo,
		}
		if len(fields) > 3 {
			e.Options = splitMountOptions(unmangleOctal(fields[3]))
		}
		for j, dst := range []*int{&e.Freq, &e.Passno} {
			if len(fields) <= 4+j {
				break
			}
			n, err := strconv.Atoi(fields[4+j])
			if err != nil || n < 0 {
				return nil, fmt.Errorf("mounts: %s:%d: %s %q is not a number", file, lineNo, []string{"freq", "passno"}[j], fields[4+j])
			}
			*dst = n
		}
		e.Nodev, e.Nosuid, e.Noexec = mountRestrictions(e.Options)
		entries = append(entries, e)
	}
	return entries, nil
}

// unmangleOctal decodes the "\ooo" escapes of fstab and /proc/mounts
// ("\040" is a space); other backslashes stay.
func unmangleOctal(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && isOctal(s[i+1]) && isOctal(s[i+2]) && isOctal(s[i+3]) {
			b.WriteByte((s[i+1]-'0')<<6 | (s[i+2]-'0')<<3 | (s[i+3] - '0'))
			i += 3
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

// splitMountOptions splits at commas outside double quotes
// (context="a,b" is one option).
func splitMountOptions(s string) []string {
	out := []string{}
	quoted, start := false, 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] == '"' {
			quoted = !quoted
		}
		if i == len(s) || (s[i] == ',' && !quoted) {
			if i > start {
				out = append(out, s[start:i])
			}
			start = i + 1
		}
	}
	return out
}

// mountRestrictions reads options in order as mount(8) does.
func mountRestrictions(opts []string) (nodev, nosuid, noexec bool) {
	for _, o := range opts {
		switch o {
		case "nodev":
			nodev = true
		case "dev":
			nodev = false
		case "nosuid":
			nosuid = true
		case "suid":
			nosuid = false
		case "noexec":
			noexec = true
		case "exec":
			noexec = false
		case "user", "users":
			nodev, nosuid, noexec = true, true, true
		case "owner", "group":
			nodev, nosuid = true, true
		}
	}
	return nodev, nosuid, noexec
}

// unitWhere is the mount point a mount unit's name encodes ("tmp.mount"
// is /tmp, "var-tmp.mount" /var/tmp).
func unitWhere(name string) string {
	s := strings.TrimSuffix(name, ".mount")
	if s == "-" {
		return "/"
	}
	var b strings.Builder
	b.WriteByte('/')
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '-':
			b.WriteByte('/')
		case s[i] == '\\' && i+3 < len(s) && s[i+1] == 'x':
			if n, err := strconv.ParseUint(s[i+2:i+4], 16, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
			b.WriteByte(s[i])
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// readMountUnit finds a mount unit in the unit directories (the first
// directory to have it wins), applies its drop-ins and looks for the
// symlinks that enable it.
func readMountUnit(fsys afero.Fs, name string) (MountUnit, error) {
	u := MountUnit{Name: name, Where: unitWhere(name), Options: []string{}, Dropins: []string{}, WantedBy: []string{}, Sources: map[string]SysctlLocation{}}
	for _, dir := range unitDirs {
		p := path.Join(dir, name)
		fi, err := lstat(fsys, p)
		if missingPath(err) {
			continue
		}
		if err != nil {
			return u, fmt.Errorf("mounts: %w", err)
		}
		f := confFile{path: p}
		if err := f.classify(fsys); err != nil {
			return u, fmt.Errorf("mounts: %w", err)
		}
		switch {
		case f.target == "/dev/null" || (fi.Mode().IsRegular() && fi.Size() == 0):
			u.Path, u.Exists, u.Masked = p, true, true
		case strings.HasPrefix(f.note, "dangling"):
			continue // systemd looks further down the path
		case f.note != "":
			return u, fmt.Errorf("mounts: %s: %s", p, f.note)
		default:
			u.Path, u.Exists = p, true
			data, err := ReadFile(fsys, p, MaxConfigSize)
			if err != nil {
				return u, fmt.Errorf("mounts: %w", err)
			}
			if err := u.apply(p, data); err != nil {
				return u, err
			}
		}
		break
	}
	if u.Exists && !u.Masked {
		dropins := map[string]string{}
		for _, dir := range unitDirs {
			d := path.Join(dir, name+".d")
			entries, err := afero.ReadDir(fsys, d)
			if missingPath(err) {
				continue
			}
			if err != nil {
				return u, fmt.Errorf("mounts: %w", err)
			}
			for _, e := range entries {
				if !strings.HasSuffix(e.Name(), ".conf") || strings.HasPrefix(e.Name(), ".") {
					continue
				}
				if _, ok := dropins[e.Name()]; !ok {
					dropins[e.Name()] = path.Join(d, e.Name())
				}
			}
		}
		names := make([]string, 0, len(dropins))
		for n := range dropins {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			p := dropins[n]
			data, err := ReadFile(fsys, p, MaxConfigSize)
			if err != nil {
				if missingPath(err) || errors.Is(err, ErrNotRegular) {
					continue // a dangling or /dev/null link masks it
				}
				return u, fmt.Errorf("mounts: %w", err)
			}
			u.Dropins = append(u.Dropins, p)
			if err := u.apply(p, data); err != nil {
				return u, err
			}
		}
	}
	for _, dir := range unitDirs {
		entries, err := afero.ReadDir(fsys, dir)
		if missingPath(err) {
			continue
		}
		if err != nil {
			return u, fmt.Errorf("mounts: %w", err)
		}
		for _, e := range entries {
			if !e.IsDir() || !(strings.HasSuffix(e.Name(), ".wants") || strings.HasSuffix(e.Name(), ".requires")) {
				continue
			}
			link := path.Join(dir, e.Name(), name)
			if _, err := lstat(fsys, link); err == nil {
				u.WantedBy = append(u.WantedBy, link)
			}
		}
	}
	u.Enabled = len(u.WantedBy) > 0 && u.Exists && !u.Masked
	u.Nodev, u.Nosuid, u.Noexec = mountRestrictions(u.Options)
	return u, nil
}

// apply reads the [Mount] section of a unit file or drop-in as systemd's
// config parser does: "#" and ";" comments, a trailing backslash joins
// lines, the last assignment wins and an empty one resets the setting.
func (u *MountUnit) apply(file string, data []byte) error {
	section := ""
	lines := strings.Split(string(data), "\n")
	for i := 0; i < len(lines); i++ {
		lineNo := i + 1
		line := strings.TrimSpace(lines[i])
		for strings.HasSuffix(line, `\`) && i+1 < len(lines) {
			i++
			next := strings.TrimSpace(lines[i])
			if strings.HasPrefix(next, "#") || strings.HasPrefix(next, ";") {
				continue
			}
			line = strings.TrimSuffix(line, `\`) + " " + next
		}
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if line[0] == '[' {
			if !strings.HasSuffix(line, "]") {
				return fmt.Errorf("mounts: %s:%d: invalid section header %q", file, lineNo, line)
			}
			section = line[1 : len(line)-1]
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok {
			return fmt.Errorf("mounts: %s:%d: missing '=' in %q", file, lineNo, line)
		}
		if section != "Mount" {
			continue
		}
		key, value = strings.TrimSpace(key), strings.ReplaceAll(strings.TrimSpace(value), "%%", "%")
		loc := SysctlLocation{File: file, Line: lineNo}
		switch key {
		case "What":
			u.What = value
		case "Where":
			u.Where = value
			if value == "" {
				u.Where = unitWhere(u.Name)
			}
		case "Type":
			u.Type = value
		case "Options":
			u.Options = splitMountOptions(value)
		default:
			continue
		}
		u.Sources[strings.ToLower(key)] = loc
	}
	return nil
}
