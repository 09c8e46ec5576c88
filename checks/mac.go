package checks

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/spf13/afero"
)

// Paths the mac collector reads.
const (
	macAppArmorDir      = "/etc/apparmor.d"
	macAppArmorEnabled  = "/sys/module/apparmor/parameters/enabled"
	macAppArmorProfiles = "/sys/kernel/security/apparmor/profiles"
	macSELinuxConfig    = "/etc/selinux/config"
	macSELinuxEnforce   = "/sys/fs/selinux/enforce"
	macDefaultGrub      = "/etc/default/grub"
	macDefaultGrubD     = "/etc/default/grub.d"
)

// macGrubCfgs are where GRUB's generated configuration lives, first found
// wins: Debian and Ubuntu, then the RHEL family and SUSE.
var macGrubCfgs = []string{"/boot/grub/grub.cfg", "/boot/grub2/grub.cfg"}

// Bounds for a hostile root.
const (
	macMaxProfileFiles = 10000
	macMaxGrubEntries  = 256
)

// macProfileModes are the AppArmor profile flags that set the mode.
var macProfileModes = map[string]bool{"enforce": true, "complain": true, "kill": true, "unconfined": true, "prompt": true}

// macSkippedSuffixes are the file names that apparmor_parser skips in a
// profile directory (libapparmor's is_blacklisted): backups left by
// package managers and editors.
var macSkippedSuffixes = []string{".rpmnew", ".rpmsave", ".orig", ".rej", "~", ".dpkg-new", ".dpkg-old", ".dpkg-dist", ".dpkg-bak", ".dpkg-remove", ".pacsave", ".pacnew"}

// Mac collects the mandatory access control configuration: AppArmor
// profiles and their modes, SELinux's configuration, the kernel command
// line that the boot loader passes (which can switch either off), and on
// the live host what the running kernel enforces.
type Mac struct{}

// MacFacts is the facts of the mac collector (docs/facts/mac.md).
type MacFacts struct {
	AppArmor   MacAppArmor   `json:"apparmor"`
	SELinux    MacSELinux    `json:"selinux"`
	Bootloader MacBootloader `json:"bootloader"`
}

// MacAppArmor is AppArmor's profile directory and, live, the kernel's
// state.
type MacAppArmor struct {
	Dir    string `json:"dir"`
	Exists bool   `json:"exists"`
	// Files are the profile files read: the regular files at the top of
	// /etc/apparmor.d that apparmor_parser loads, sorted.
	Files []string `json:"files"`
	// Profiles are the profiles those files declare, nested ones with
	// their parent.
	Profiles []MacProfile `json:"profiles"`
	// Disabled and ForceComplain are the names in disable/ and
	// force-complain/ (profile files not loaded, or loaded in complain
	// mode whatever their flags say).
	Disabled      []string `json:"disabled"`
	ForceComplain []string `json:"force_complain"`
	// Live is what the running kernel reports.
	Live MacAppArmorLive `json:"live"`
}

// MacProfile is one profile declaration.
type MacProfile struct {
	// Name is the profile name; a nested profile or hat is
	// "parent//child", as the kernel lists it.
	Name string `json:"name"`
	// Attachment is the executable path the profile attaches to, when it
	// differs from the name.
	Attachment string `json:"attachment,omitempty"`
	// Mode is the mode its flags set: "enforce" (no mode flag),
	// "complain", "kill", "unconfined" or "prompt".
	Mode string `json:"mode"`
	// Flags are all the flags as written (flags=(complain,attach_disconnected)).
	Flags []string `json:"flags"`
	File  string   `json:"file"`
	Line  int      `json:"line"`
	// Disabled is true when the file is listed in disable/: the profile is
	// not loaded at boot.
	Disabled bool `json:"disabled"`
	// ForceComplain is true when the file is listed in force-complain/.
	ForceComplain bool `json:"force_complain"`
}

// MacAppArmorLive is the running kernel's AppArmor state.
type MacAppArmorLive struct {
	LiveOnly
	// Enabled is true when /sys/module/apparmor/parameters/enabled is Y.
	Enabled bool `json:"enabled"`
	// ProfilesAvailable is true when the loaded profiles could be listed
	// (securityfs mounted).
	ProfilesAvailable bool `json:"profiles_available"`
	// Profiles are the loaded profiles.
	Profiles []MacLiveProfile `json:"profiles"`
}

// MacLiveProfile is one line of /sys/kernel/security/apparmor/profiles.
type MacLiveProfile struct {
	Name string `json:"name"`
	Mode string `json:"mode"`
}

// MacSELinux is SELinux's configuration and, live, its state.
type MacSELinux struct {
	Config MacSELinuxConfig `json:"config"`
	Live   MacSELinuxLive   `json:"live"`
}

// MacSELinuxConfig is /etc/selinux/config.
type MacSELinuxConfig struct {
	Path   string `json:"path"`
	Exists bool   `json:"exists"`
	// Settings maps each variable (SELINUX, SELINUXTYPE) to its value.
	Settings map[string]ConfSetting `json:"settings"`
}

// MacSELinuxLive is the running kernel's SELinux state.
type MacSELinuxLive struct {
	LiveOnly
	// Enabled is true when selinuxfs is mounted (/sys/fs/selinux/enforce
	// exists).
	Enabled bool `json:"enabled"`
	// Enforcing is true when /sys/fs/selinux/enforce is 1.
	Enforcing bool `json:"enforcing"`
}

// MacBootloader is the kernel command line GRUB is configured to pass.
type MacBootloader struct {
	DefaultGrub MacDefaultGrub `json:"default_grub"`
	GrubCfg     MacGrubCfg     `json:"grub_cfg"`
}

// MacDefaultGrub is /etc/default/grub and /etc/default/grub.d/*.cfg, which
// grub-mkconfig sources in that order.
type MacDefaultGrub struct {
	// Files are the files read.
	Files []string `json:"files"`
	// Settings maps GRUB_CMDLINE_LINUX, GRUB_CMDLINE_LINUX_DEFAULT (and
	// any other GRUB_CMDLINE_* variable) to the value of its last
	// assignment, after shell quoting and $VAR expansion.
	Settings map[string]MacGrubSetting `json:"settings"`
}

// MacGrubSetting is a command line variable's value.
type MacGrubSetting struct {
	Value string `json:"value"`
	File  string `json:"file"`
	Line  int    `json:"line"`
	// Parameters is Value split into kernel parameters.
	Parameters []string `json:"parameters"`
}

// MacGrubCfg is GRUB's generated configuration.
type MacGrubCfg struct {
	Path   string `json:"path"`
	Exists bool   `json:"exists"`
	// Entries are its linux lines, in file order.
	Entries []MacGrubEntry `json:"entries"`
	// Truncated is true when there were more than 256 linux lines.
	Truncated bool `json:"truncated"`
}

// MacGrubEntry is one linux line of grub.cfg.
type MacGrubEntry struct {
	Line       int      `json:"line"`
	Kernel     string   `json:"kernel"`
	Parameters []string `json:"parameters"`
}

// Name implements Collector.
func (Mac) Name() string { return "mac" }

// Collect implements Collector.
func (Mac) Collect(ctx context.Context, t Target) (any, error) {
	facts := &MacFacts{}
	var err error
	if facts.AppArmor, err = macReadAppArmor(ctx, t); err != nil {
		return nil, err
	}
	if facts.SELinux, err = macReadSELinux(t); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if facts.Bootloader.DefaultGrub, err = macReadDefaultGrub(t.Fs); err != nil {
		return nil, err
	}
	if facts.Bootloader.GrubCfg, err = macReadGrubCfg(t.Fs); err != nil {
		return nil, err
	}
	return facts, nil
}

// macRead reads a small file, nil without error when it is missing.
func macRead(fsys afero.Fs, p string) ([]byte, error) {
	b, err := ReadFile(fsys, p, MaxConfigSize)
	if hostMissing(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("mac: %w", err)
	}
	return b, nil
}

// macSkipped reports whether apparmor_parser skips a file name.
func macSkipped(name string) bool {
	if strings.HasPrefix(name, ".") || name == "README" {
		return true
	}
	for _, s := range macSkippedSuffixes {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}

// macListNames lists the entry names of a directory, [] when it is
// missing.
func macListNames(fsys afero.Fs, dir string) ([]string, error) {
	entries, err := afero.ReadDir(fsys, dir)
	if hostMissing(err) {
		return []string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("mac: %w", err)
	}
	names := []string{}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	return names, nil
}

func macReadAppArmor(ctx context.Context, t Target) (MacAppArmor, error) {
	aa := MacAppArmor{Dir: macAppArmorDir, Files: []string{}, Profiles: []MacProfile{}, Disabled: []string{}, ForceComplain: []string{}}
	fi, err := t.Fs.Stat(macAppArmorDir)
	switch {
	case hostMissing(err):
	case err != nil:
		return aa, fmt.Errorf("mac: %w", err)
	case !fi.IsDir():
		return aa, fmt.Errorf("mac: %s is not a directory", macAppArmorDir)
	default:
		aa.Exists = true
	}
	if aa.Exists {
		if aa.Disabled, err = macListNames(t.Fs, macAppArmorDir+"/disable"); err != nil {
			return aa, err
		}
		if aa.ForceComplain, err = macListNames(t.Fs, macAppArmorDir+"/force-complain"); err != nil {
			return aa, err
		}
		entries, err := afero.ReadDir(t.Fs, macAppArmorDir)
		if err != nil {
			return aa, fmt.Errorf("mac: %w", err)
		}
		disabled, complain := macSet(aa.Disabled), macSet(aa.ForceComplain)
		for _, e := range entries {
			if err := ctx.Err(); err != nil {
				return aa, err
			}
			if macSkipped(e.Name()) {
				continue
			}
			p := macAppArmorDir + "/" + e.Name()
			st, err := t.Fs.Stat(p)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return aa, fmt.Errorf("mac: %w", err)
			}
			if !st.Mode().IsRegular() {
				continue // tunables/, abstractions/, local/, disable/, ...
			}
			if len(aa.Files) >= macMaxProfileFiles {
				return aa, fmt.Errorf("mac: %s holds more than %d profile files", macAppArmorDir, macMaxProfileFiles)
			}
			data, err := ReadFile(t.Fs, p, MaxConfigSize)
			if err != nil {
				return aa, fmt.Errorf("mac: %w", err)
			}
			profiles, err := parseAppArmorProfiles(p, data)
			if err != nil {
				return aa, err
			}
			for i := range profiles {
				profiles[i].Disabled, profiles[i].ForceComplain = disabled[e.Name()], complain[e.Name()]
			}
			aa.Files = append(aa.Files, p)
			aa.Profiles = append(aa.Profiles, profiles...)
		}
	}
	aa.Live = MacAppArmorLive{LiveOnly: LiveSection(t, "/sys/kernel/security/apparmor"), Profiles: []MacLiveProfile{}}
	if !t.Live {
		return aa, nil
	}
	b, err := macRead(t.Fs, macAppArmorEnabled)
	if err != nil {
		return aa, err
	}
	aa.Live.Enabled = strings.TrimSpace(string(b)) == "Y"
	b, err = macRead(t.Fs, macAppArmorProfiles)
	if err != nil {
		return aa, err
	}
	if b != nil {
		aa.Live.ProfilesAvailable = true
		for n, line := range strings.Split(string(b), "\n") {
			if line = strings.TrimSpace(line); line == "" {
				continue
			}
			i := strings.LastIndex(line, " (")
			if i <= 0 || !strings.HasSuffix(line, ")") {
				return aa, fmt.Errorf("mac: %s:%d: want \"name (mode)\", got %q", macAppArmorProfiles, n+1, line)
			}
			aa.Live.Profiles = append(aa.Live.Profiles, MacLiveProfile{Name: line[:i], Mode: line[i+2 : len(line)-1]})
		}
	}
	return aa, nil
}

func macSet(names []string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// macStripComment removes a comment from an AppArmor line: # starts a
// comment outside quotes, except in the #include directive.
func macStripComment(line string) string {
	in := false
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == '"':
			in = !in
		case c == '#' && !in:
			if strings.HasPrefix(line[i:], "#include") {
				return line // a directive, with no braces
			}
			return line[:i]
		}
	}
	return line
}

// macWords splits a header at white space, keeping quoted words together
// (without their quotes).
func macWords(s string) []string {
	var words []string
	var b strings.Builder
	in, has := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			in, has = !in, true
		case !in && (c == ' ' || c == '\t'):
			if has {
				words = append(words, b.String())
				b.Reset()
				has = false
			}
		default:
			b.WriteByte(c)
			has = true
		}
	}
	if has {
		words = append(words, b.String())
	}
	return words
}

// parseAppArmorProfiles finds the profile declarations of one file of
// apparmor.d(5) syntax: "profile NAME [ATTACHMENT] [flags=(...)] {",
// "/path [flags=(...)] {", and inside a profile "profile NAME {", "hat
// NAME {" or "^NAME {". Braces must balance.
func parseAppArmorProfiles(file string, data []byte) ([]MacProfile, error) {
	type open struct {
		line    int
		profile string // the profile name when the block is a profile
	}
	var stack []open
	profiles := []MacProfile{}
	for n, raw := range strings.Split(string(data), "\n") {
		line := macStripComment(raw)
		if strings.Count(line, `"`)%2 == 1 {
			return nil, fmt.Errorf("mac: %s:%d: unterminated quote", file, n+1)
		}
		// Walk the braces of the line outside quotes; the text before each
		// block's "{" since the last "," "{" or "}" is its header. A "{"
		// opens a block only when white space or the end of the line
		// follows it, and a "}" closes one only after white space or at the
		// start of the line: other braces are alternations (/usr/{bin,sbin}/x)
		// and variables (@{HOME}).
		start, in, paren := 0, false, 0
		space := func(j int) bool {
			return j < 0 || j >= len(line) || line[j] == ' ' || line[j] == '\t' || line[j] == '\r'
		}
		for i := 0; i < len(line); i++ {
			switch c := line[i]; {
			case c == '"':
				in = !in
			case in:
			case c == '(':
				paren++
			case c == ')' && paren > 0:
				paren--
			case c == ',' && paren == 0:
				start = i + 1
			case c == '}' && space(i-1):
				if len(stack) == 0 {
					return nil, fmt.Errorf("mac: %s:%d: unbalanced braces: } without {", file, n+1)
				}
				stack = stack[:len(stack)-1]
				start = i + 1
			case c == '{' && space(i+1):
				parent := ""
				for j := len(stack) - 1; j >= 0; j-- {
					if stack[j].profile != "" {
						parent = stack[j].profile
						break
					}
				}
				p, ok := macProfileHeader(line[start:i], parent != "")
				o := open{line: n + 1}
				if ok {
					if parent != "" {
						p.Name = parent + "//" + p.Name
					}
					p.File, p.Line = file, n+1
					profiles = append(profiles, p)
					o.profile = p.Name
				}
				stack = append(stack, o)
				start = i + 1
			}
		}
	}
	if len(stack) > 0 {
		return nil, fmt.Errorf("mac: %s:%d: unbalanced braces: { is not closed", file, stack[len(stack)-1].line)
	}
	return profiles, nil
}

// macProfileHeader parses the text in front of "{" as a profile header;
// ok is false for other blocks (qualifier blocks such as "audit {",
// conditionals).
func macProfileHeader(header string, nested bool) (MacProfile, bool) {
	words := macWords(strings.TrimSpace(header))
	if len(words) == 0 {
		return MacProfile{}, false
	}
	p := MacProfile{Mode: "enforce", Flags: []string{}}
	rest := words[1:]
	switch w := words[0]; {
	case w == "profile" || (w == "hat" && nested):
		if len(rest) == 0 {
			return MacProfile{}, false
		}
		p.Name, rest = rest[0], rest[1:]
		if len(rest) > 0 && !strings.HasPrefix(rest[0], "flags=") && !strings.HasPrefix(rest[0], "(") && !strings.HasPrefix(rest[0], "xattrs=") {
			p.Attachment, rest = rest[0], rest[1:]
		}
	case strings.HasPrefix(w, "^") && nested:
		p.Name = w[1:]
	case strings.HasPrefix(w, "/") || strings.HasPrefix(w, "@{") || strings.HasPrefix(w, ":"):
		p.Name = w
	default:
		return MacProfile{}, false
	}
	flags := strings.Join(rest, " ")
	if i := strings.Index(flags, "("); i >= 0 {
		if j := strings.LastIndex(flags, ")"); j > i {
			for _, f := range strings.FieldsFunc(flags[i+1:j], func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
				p.Flags = append(p.Flags, f)
				if macProfileModes[f] {
					p.Mode = f
				}
			}
		}
	}
	return p, true
}

func macReadSELinux(t Target) (MacSELinux, error) {
	se := MacSELinux{Config: MacSELinuxConfig{Path: macSELinuxConfig, Settings: map[string]ConfSetting{}}}
	b, err := macRead(t.Fs, macSELinuxConfig)
	if err != nil {
		return se, err
	}
	if b != nil {
		se.Config.Exists = true
		for n, line := range strings.Split(string(b), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || line[0] == '#' {
				continue
			}
			k, v, ok := strings.Cut(line, "=")
			if !ok || strings.TrimSpace(k) == "" {
				return se, fmt.Errorf("mac: %s:%d: want KEY=VALUE, got %q", macSELinuxConfig, n+1, line)
			}
			v = strings.TrimSpace(v)
			if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
				v = v[1 : len(v)-1]
			}
			se.Config.Settings[strings.TrimSpace(k)] = ConfSetting{Value: v, File: macSELinuxConfig, Line: n + 1}
		}
	}
	se.Live.LiveOnly = LiveSection(t, "/sys/fs/selinux")
	if !t.Live {
		return se, nil
	}
	if b, err = macRead(t.Fs, macSELinuxEnforce); err != nil {
		return se, err
	}
	se.Live.Enabled = b != nil
	se.Live.Enforcing = strings.TrimSpace(string(b)) == "1"
	return se, nil
}

// macReadDefaultGrub evaluates the shell assignments of /etc/default/grub
// and /etc/default/grub.d/*.cfg in the order grub-mkconfig sources them.
func macReadDefaultGrub(fsys afero.Fs) (MacDefaultGrub, error) {
	out := MacDefaultGrub{Files: []string{}, Settings: map[string]MacGrubSetting{}}
	files := []string{macDefaultGrub}
	cfgs, err := afero.Glob(fsys, macDefaultGrubD+"/*.cfg")
	if err != nil {
		return out, fmt.Errorf("mac: %w", err)
	}
	sort.Strings(cfgs)
	files = append(files, cfgs...)
	vars := map[string]string{}
	for _, f := range files {
		b, err := macRead(fsys, f)
		if err != nil {
			return out, err
		}
		if b == nil {
			continue
		}
		out.Files = append(out.Files, f)
		if err := macShellAssignments(f, string(b), vars, func(name, value string, line int) {
			if strings.HasPrefix(name, "GRUB_CMDLINE_") {
				out.Settings[name] = MacGrubSetting{Value: value, File: f, Line: line, Parameters: macKernelParams(value)}
			}
		}); err != nil {
			return out, err
		}
	}
	return out, nil
}

// macShellAssignments evaluates the simple assignments (NAME=WORD, with an
// optional "export ") of a shell script: single and double quotes,
// backslash escapes and $NAME / ${NAME} expansion from the assignments
// before. Other lines (commands, conditionals) are not evaluated. An
// assignment to GRUB_CMDLINE_* that needs more (command substitution,
// ${NAME:-...}) is an error: its value cannot be known without running
// the script.
func macShellAssignments(file, src string, vars map[string]string, set func(name, value string, line int)) error {
	line := 1
	i := 0
	for i < len(src) {
		// At the start of a line.
		j := i
		for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
			j++
		}
		stmt := src[j:]
		if strings.HasPrefix(stmt, "export ") {
			j += len("export ")
			for j < len(src) && src[j] == ' ' {
				j++
			}
		}
		name, k := macShellName(src, j)
		if name != "" && k < len(src) && src[k] == '=' {
			start := line
			value, end, lines, err := macShellWord(src, k+1, vars)
			switch {
			case err == nil:
				vars[name] = value
				set(name, value, start)
				line += lines
				i = end
			case strings.HasPrefix(name, "GRUB_CMDLINE_") || errors.Is(err, errMacUnterminated):
				return fmt.Errorf("mac: %s:%d: %s: %v", file, start, name, err)
			default:
				vars[name] = macUnknown
			}
		}
		// Skip to the next line.
		for i < len(src) && src[i] != '\n' {
			i++
		}
		if i < len(src) {
			i++
			line++
		}
	}
	return nil
}

var (
	errMacUnterminated = errors.New("unterminated quote")
	errMacUnsupported  = errors.New("needs a shell to evaluate (command substitution or parameter operator)")
)

// macShellName reads a shell variable name at src[i:].
func macShellName(src string, i int) (string, int) {
	j := i
	for j < len(src) {
		c := src[j]
		if c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || (j > i && c >= '0' && c <= '9') {
			j++
			continue
		}
		break
	}
	return src[i:j], j
}

// macUnknown marks a variable whose value could not be evaluated.
const macUnknown = "\x00unknown"

// macShellWord reads one shell word at src[i:] and returns its value, the
// index after it and the newlines it spans.
func macShellWord(src string, i int, vars map[string]string) (string, int, int, error) {
	var b strings.Builder
	lines := 0
	lookup := func(name string) error {
		v := vars[name]
		if v == macUnknown {
			return fmt.Errorf("uses $%s, which could not be evaluated", name)
		}
		b.WriteString(v)
		return nil
	}
	// expand handles the $ at src[j] and returns the index after it.
	expand := func(j int) (int, error) {
		if j+1 < len(src) && src[j+1] == '{' {
			end := strings.IndexByte(src[j+2:], '}')
			if end < 0 {
				return 0, errMacUnsupported
			}
			name := src[j+2 : j+2+end]
			if n, k := macShellName(name, 0); n == "" || k != len(name) {
				return 0, errMacUnsupported
			}
			return j + 3 + end, lookup(name)
		}
		if j+1 < len(src) && src[j+1] == '(' {
			return 0, errMacUnsupported
		}
		name, k := macShellName(src, j+1)
		if name == "" {
			b.WriteByte('$')
			return j + 1, nil
		}
		return k, lookup(name)
	}
	for i < len(src) {
		switch c := src[i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ';' || c == '&' || c == '|':
			return b.String(), i, lines, nil
		case c == '\'':
			end := strings.IndexByte(src[i+1:], '\'')
			if end < 0 {
				return "", 0, 0, errMacUnterminated
			}
			seg := src[i+1 : i+1+end]
			lines += strings.Count(seg, "\n")
			b.WriteString(seg)
			i += end + 2
		case c == '"':
			i++
			closed := false
			for i < len(src) && !closed {
				d := src[i]
				switch {
				case d == '"':
					closed = true
					i++
				case d == '\\' && i+1 < len(src) && strings.IndexByte("$`\"\\\n", src[i+1]) >= 0:
					if src[i+1] == '\n' {
						lines++
					} else {
						b.WriteByte(src[i+1])
					}
					i += 2
				case d == '`':
					return "", 0, 0, errMacUnsupported
				case d == '$':
					k, err := expand(i)
					if err != nil {
						return "", 0, 0, err
					}
					i = k
				default:
					if d == '\n' {
						lines++
					}
					b.WriteByte(d)
					i++
				}
			}
			if !closed {
				return "", 0, 0, errMacUnterminated
			}
		case c == '\\':
			if i+1 < len(src) {
				if src[i+1] == '\n' {
					lines++
				} else {
					b.WriteByte(src[i+1])
				}
			}
			i += 2
		case c == '`':
			return "", 0, 0, errMacUnsupported
		case c == '$':
			k, err := expand(i)
			if err != nil {
				return "", 0, 0, err
			}
			i = k
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), min(i, len(src)), lines, nil
}

// macKernelParams splits a kernel command line into parameters as the
// kernel does: at white space outside double quotes, the quotes removed.
func macKernelParams(s string) []string {
	params := []string{}
	var b strings.Builder
	in, has := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			in, has = !in, true
		case !in && (c == ' ' || c == '\t' || c == '\n'):
			if has {
				params = append(params, b.String())
				b.Reset()
				has = false
			}
		default:
			b.WriteByte(c)
			has = true
		}
	}
	if has {
		params = append(params, b.String())
	}
	return params
}

// macReadGrubCfg reads the linux lines of the first grub.cfg found.
func macReadGrubCfg(fsys afero.Fs) (MacGrubCfg, error) {
	out := MacGrubCfg{Path: macGrubCfgs[0], Entries: []MacGrubEntry{}}
	for _, p := range macGrubCfgs {
		b, err := macRead(fsys, p)
		if err != nil {
			return out, err
		}
		if b == nil {
			continue
		}
		out.Path, out.Exists = p, true
		for n, line := range strings.Split(string(b), "\n") {
			words := macGrubWords(line)
			if len(words) < 2 || (words[0] != "linux" && words[0] != "linuxefi" && words[0] != "linux16") {
				continue
			}
			if len(out.Entries) == macMaxGrubEntries {
				out.Truncated = true
				break
			}
			out.Entries = append(out.Entries, MacGrubEntry{Line: n + 1, Kernel: words[1], Parameters: append([]string{}, words[2:]...)})
		}
		break
	}
	return out, nil
}

// macGrubWords splits a grub.cfg line into words: white space separates,
// single and double quotes group, a # at the start of a word begins a
// comment.
func macGrubWords(line string) []string {
	var words []string
	var b strings.Builder
	var quote byte
	has := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else {
				b.WriteByte(c)
			}
		case c == '\'' || c == '"':
			quote, has = c, true
		case c == '\\' && i+1 < len(line):
			i++
			b.WriteByte(line[i])
			has = true
		case c == ' ' || c == '\t' || c == '\r':
			if has {
				words = append(words, b.String())
				b.Reset()
				has = false
			}
		case c == '#' && !has:
			return words
		default:
			b.WriteByte(c)
			has = true
		}
	}
	if has {
		words = append(words, b.String())
	}
	return words
}
