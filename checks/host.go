package checks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"unicode/utf8"

	"github.com/spf13/afero"
)

// Host collects what identifies the scanned machine: its hostname, its
// machine ID and its operating system as os-release(5) describes it.
type Host struct{}

// HostFacts is the facts of the host collector (see docs/facts.md).
type HostFacts struct {
	// Hostname is the kernel's hostname on a live host; for an offline root
	// it is what the root's /etc/hostname would set at boot ("" when the
	// file is missing).
	Hostname string `json:"hostname"`
	// MachineID is /etc/machine-id, "" when missing. Images often ship it
	// empty or "uninitialized" so that each clone gets its own at boot.
	MachineID string `json:"machine_id"`
	// OS is the operating system identification.
	OS OSRelease `json:"os"`
}

// OSRelease is the content of os-release(5). Its fields are empty when the
// root has no os-release file.
type OSRelease struct {
	// ID is the lowercase distribution identifier ("debian", "rocky").
	ID string `json:"id"`
	// IDLike lists the distributions this one derives from, closest first.
	IDLike []string `json:"id_like"`
	// Name is the distribution's name without version.
	Name string `json:"name"`
	// VersionID is the machine-readable version ("12", "9.3"); rolling
	// releases have none.
	VersionID string `json:"version_id"`
	// VersionCodename is the release codename ("bookworm").
	VersionCodename string `json:"version_codename"`
	// PrettyName is the name for people.
	PrettyName string `json:"pretty_name"`
	// Family groups distributions that share package manager and
	// configuration layout, so that one rule can cover many IDs: "debian",
	// "rhel" (Fedora and its derivatives included), "suse", "alpine",
	// "arch", or "" when unknown.
	Family string `json:"family"`
	// Fields holds every assignment of the file, unquoted, by variable name.
	Fields map[string]string `json:"fields"`
}

// The os-release files in the order systemd reads them: /etc first so that
// an administrator can override the vendor's /usr/lib copy.
var hostOSReleasePaths = []string{"/etc/os-release", "/usr/lib/os-release"}

// Name implements Collector.
func (Host) Name() string { return "host" }

// Collect implements Collector. Missing files leave their facts empty; an
// unreadable or malformed one is an error naming the file (and line).
func (Host) Collect(ctx context.Context, t Target) (any, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	facts := &HostFacts{}
	var err error
	if t.Live {
		// The kernel's name is the one the machine answers to now; the file
		// may have been edited since boot.
		if facts.Hostname, err = os.Hostname(); err != nil {
			return nil, fmt.Errorf("host: hostname: %w", err)
		}
	} else if facts.Hostname, err = hostReadHostname(t.Fs, "/etc/hostname"); err != nil {
		return nil, err
	}
	if facts.MachineID, err = hostReadMachineID(t.Fs, "/etc/machine-id"); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if facts.OS, err = hostReadOSRelease(t.Fs); err != nil {
		return nil, err
	}
	return facts, nil
}

// hostMissing reports whether err means the file does not exist in the
// root; ENOTDIR counts (a path through a regular file names nothing).
func hostMissing(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}

// hostRead reads a small file, returning nil without error when it is
// missing.
func hostRead(fsys afero.Fs, name string) ([]byte, error) {
	b, err := ReadFile(fsys, name, MaxConfigSize)
	if err != nil {
		if hostMissing(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("host: %w", err)
	}
	return b, nil
}

// hostReadHostname returns the hostname systemd would set from the file:
// the first line that is neither empty nor a comment (hostname(5)).
func hostReadHostname(fsys afero.Fs, name string) (string, error) {
	b, err := hostRead(fsys, name)
	if err != nil || b == nil {
		return "", err
	}
	for n, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		if why := hostInvalidText(line); why != "" {
			return "", fmt.Errorf("host: %s:%d: %s", name, n+1, why)
		}
		return line, nil
	}
	return "", nil
}

// hostReadMachineID returns the file's content without surrounding white
// space.
func hostReadMachineID(fsys afero.Fs, name string) (string, error) {
	b, err := hostRead(fsys, name)
	if err != nil || b == nil {
		return "", err
	}
	id := strings.TrimSpace(string(b))
	if why := hostInvalidText(id); why != "" {
		return "", fmt.Errorf("host: %s: %s", name, why)
	}
	return id, nil
}

// hostInvalidText rejects what cannot be reported faithfully in JSON or
// shows the file is not text: control characters and invalid UTF-8.
func hostInvalidText(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' && c != '\t' || c == 0x7f {
			return fmt.Sprintf("control character %q", c)
		}
	}
	if !utf8.ValidString(s) {
		return "invalid UTF-8"
	}
	return ""
}

// hostReadOSRelease reads the first os-release file that exists. Symlinks
// resolve inside the root: /etc/os-release is usually the relative link
// ../usr/lib/os-release, and a dangling one counts as missing, as for
// systemd.
func hostReadOSRelease(fsys afero.Fs) (OSRelease, error) {
	osr := OSRelease{IDLike: []string{}, Fields: map[string]string{}}
	for _, name := range hostOSReleasePaths {
		b, err := hostRead(fsys, name)
		if err != nil {
			return OSRelease{}, err
		}
		if b == nil {
			continue
		}
		fields, err := parseOSRelease(name, b)
		if err != nil {
			return OSRelease{}, err
		}
		osr.Fields = fields
		break
	}
	f := osr.Fields
	osr.ID = f["ID"]
	if like := strings.Fields(f["ID_LIKE"]); like != nil {
		osr.IDLike = like
	}
	osr.Name = f["NAME"]
	osr.VersionID = f["VERSION_ID"]
	osr.VersionCodename = f["VERSION_CODENAME"]
	osr.PrettyName = f["PRETTY_NAME"]
	osr.Family = osFamily(osr.ID, osr.IDLike)
	return osr, nil
}

// parseOSRelease parses an os-release file: shell variable assignments
// (KEY=value), with values unquoted, 'single-quoted' or "double-quoted"
// with the escapes \" \\ \$ \` of the shell, blank lines and # comments.
//
// It accepts what both a POSIX shell and systemd read the same way and
// rejects the rest with file:line: a line that is not an assignment, a bad
// variable name, an unterminated quote, unquoted white space followed by
// more text (a shell would run it as a command; systemd would keep it).
// "$" and "`" are taken literally, as systemd does, since os-release is
// data and no reader expands them. CR before LF is ignored, as by systemd.
// A later assignment of a variable overrides an earlier one.
func parseOSRelease(file string, data []byte) (map[string]string, error) {
	fields := map[string]string{}
	lineNo := 0
	for len(data) > 0 {
		lineNo++
		var line []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			line, data = data, nil
		}
		line = bytes.TrimSuffix(line, []byte{'\r'})
		line = bytes.TrimLeft(line, " \t")
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		fail := func(format string, args ...any) error {
			return fmt.Errorf("host: %s:%d: %s", file, lineNo, fmt.Sprintf(format, args...))
		}
		if why := hostInvalidText(string(line)); why != "" {
			return nil, fail("%s", why)
		}
		eq := bytes.IndexByte(line, '=')
		if eq < 0 {
			return nil, fail("line is not KEY=value: %q", line)
		}
		key := string(line[:eq])
		if !osReleaseValidKey(key) {
			return nil, fail("invalid variable name %q", key)
		}
		value, why := osReleaseValue(line[eq+1:])
		if why != "" {
			return nil, fail("%s: %s", key, why)
		}
		fields[key] = value
	}
	return fields, nil
}

// osReleaseValidKey accepts shell variable names: a key the shell would not
// assign (it would run "KEY = x" as a command) is a broken file.
func osReleaseValidKey(k string) bool {
	if k == "" || '0' <= k[0] && k[0] <= '9' {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// osReleaseValue unquotes one shell word, the value of an assignment; the
// word may be followed by white space and a comment.
func osReleaseValue(b []byte) (string, string) {
	var out []byte
	for i := 0; i < len(b); {
		switch c := b[i]; c {
		case '\'':
			j := bytes.IndexByte(b[i+1:], '\'')
			if j < 0 {
				return "", "unterminated single quote (multi-line values are not supported)"
			}
			out = append(out, b[i+1:i+1+j]...)
			i += j + 2
		case '"':
			i++
			for {
				if i >= len(b) {
					return "", "unterminated double quote (multi-line values are not supported)"
				}
				c := b[i]
				if c == '"' {
					i++
					break
				}
				if c == '\\' && i+1 < len(b) && strings.IndexByte("\"\\$`", b[i+1]) >= 0 {
					out = append(out, b[i+1])
					i += 2
					continue
				}
				// Any other backslash stays, as in the shell.
				out = append(out, c)
				i++
			}
		case '\\':
			if i+1 >= len(b) {
				return "", "line continuation is not supported"
			}
			out = append(out, b[i+1])
			i += 2
		case ' ', '\t':
			rest := bytes.TrimLeft(b[i:], " \t")
			if len(rest) > 0 && rest[0] != '#' {
				return "", "unquoted white space in value (quote the value)"
			}
			return string(out), ""
		default:
			out = append(out, c)
			i++
		}
	}
	return string(out), ""
}

// osFamily maps ID, then each ID_LIKE entry in order, to a family; the
// first that maps wins, so a derivative's own ID (ubuntu) beats what it
// resembles.
func osFamily(id string, idLike []string) string {
	if f := osFamilyOf(id); f != "" {
		return f
	}
	for _, like := range idLike {
		if f := osFamilyOf(like); f != "" {
			return f
		}
	}
	return ""
}

// osFamilyOf knows the IDs that head a family plus the few members that do
// not say ID_LIKE. Fedora is "rhel": RHEL derives from it and shares its
// package manager and configuration layout (Ansible, Puppet and Salt put it
// in the RedHat family too); rules that must tell them apart use id.
func osFamilyOf(id string) string {
	switch id = strings.ToLower(id); id {
	case "debian", "ubuntu", "raspbian":
		return "debian"
	case "rhel", "centos", "fedora", "rocky", "almalinux", "ol", "amzn":
		return "rhel"
	case "sles", "sled", "sles_sap", "suse", "opensuse":
		return "suse"
	case "alpine":
		return "alpine"
	case "arch", "archarm":
		return "arch"
	}
	if strings.HasPrefix(id, "opensuse-") {
		return "suse"
	}
	return ""
}
