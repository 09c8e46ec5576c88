package checks

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"syscall"

	"github.com/spf13/afero"
)

// Sysctl collects kernel parameters: the values the root's sysctl.d
// configuration sets at boot, computed with exactly the precedence
// systemd-sysctl (systemd 252, Debian 12) applies, and on the live host the
// values the running kernel has now.
type Sysctl struct{}

// SysctlFacts is the facts of the sysctl collector (see
// docs/facts/sysctl.md).
type SysctlFacts struct {
	// Configured maps each key, in dotted form ("net.ipv4.ip_forward"), to
	// the assignment that wins at boot. Glob keys (systemd 247 and later:
	// "net.ipv4.conf.*.rp_filter") are kept as patterns, with Glob set; they
	// apply to every matching key that has no explicit assignment (see
	// Effective).
	Configured map[string]SysctlSetting `json:"configured"`
	// Excluded maps the keys of "negative" lines ("-key" without "="),
	// which keep glob assignments off a key, to the line that says so.
	Excluded map[string]SysctlLocation `json:"excluded"`
	// Files lists every *.conf file found in the sysctl.d directories, in
	// the order systemd-sysctl reads them, then the files it skips because
	// an earlier directory has a file of the same name.
	Files []SysctlFile `json:"files"`
	// Overridden lists the assignments a later line replaced, in file
	// order, each with the line that replaced it.
	Overridden []SysctlOverride `json:"overridden"`
	// Ignored lists the lines systemd-sysctl ignores with a warning (not an
	// assignment, no key).
	Ignored []SysctlIgnored `json:"ignored"`
	// Runtime holds the running kernel's values; only the live host has it.
	Runtime SysctlRuntime `json:"runtime"`
}

// SysctlLocation is a line of a configuration file.
type SysctlLocation struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

// SysctlSetting is one assignment in effect.
type SysctlSetting struct {
	// Value is the value as written, surrounding white space removed.
	Value string `json:"value"`
	// File and Line locate the assignment. When several files assign the
	// same value, the first keeps the place, as in systemd-sysctl.
	File string `json:"file"`
	Line int    `json:"line"`
	// IgnoreFailure is true when the line (or an identical later one)
	// started with "-": systemd-sysctl ignores a failure to write it.
	IgnoreFailure bool `json:"ignore_failure"`
	// Glob is true when the key is a pattern.
	Glob bool `json:"glob"`
	// Order is the position of the assignment in the order systemd-sysctl
	// applies them (0 first); of two globs matching a key, the higher
	// order wins.
	Order int `json:"order"`
}

// SysctlFile is one configuration file.
type SysctlFile struct {
	Path string `json:"path"`
	// Applied is true when the file's lines were read.
	Applied bool `json:"applied"`
	// MaskedBy names the file of the same name in an earlier directory
	// that replaces this one.
	MaskedBy string `json:"masked_by,omitempty"`
	// Target is where a symlink resolves inside the root.
	Target string `json:"target,omitempty"`
	// Note says why a file that is not masked was not applied (a symlink
	// to /dev/null, which masks the name entirely; a dangling symlink; a
	// directory), or that /etc/sysctl.conf was applied last.
	Note string `json:"note,omitempty"`
}

// SysctlOverride is an assignment that a later line replaced.
type SysctlOverride struct {
	Key   string `json:"key"`
	Value string `json:"value"`
	File  string `json:"file"`
	Line  int    `json:"line"`
	// Excluded is true for a replaced negative ("-key") line.
	Excluded bool `json:"excluded,omitempty"`
	// By is the line that replaced it.
	By SysctlLocation `json:"by"`
}

// SysctlIgnored is a line that systemd-sysctl ignores.
type SysctlIgnored struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Text   string `json:"text"`
	Reason string `json:"reason"`
}

// SysctlRuntime is the live-only section: the running values.
type SysctlRuntime struct {
	LiveOnly
	// Values maps every configured (non-glob) key and every key of
	// SysctlSecurityKeys to what /proc/sys says.
	Values map[string]SysctlValue `json:"values"`
}

// SysctlValue is one running value.
type SysctlValue struct {
	// Exists is false when the running kernel has no such parameter.
	Exists bool `json:"exists"`
	// Value is the content with white space runs replaced by one space
	// ("32768\t60999\n" is "32768 60999").
	Value string `json:"value"`
	// Error says why the parameter could not be read; Value is then "".
	Error string `json:"error,omitempty"`
}

// SysctlSecurityKeys are read on the live host whether or not the
// configuration mentions them: the parameters of CIS Debian Linux 12
// sections 1.5 and 3.3, and other hardening parameters.
var SysctlSecurityKeys = []string{
	"fs.protected_fifos",
	"fs.protected_hardlinks",
	"fs.protected_regular",
	"fs.protected_symlinks",
	"fs.suid_dumpable",
	"kernel.dmesg_restrict",
	"kernel.kexec_load_disabled",
	"kernel.kptr_restrict",
	"kernel.modules_disabled",
	"kernel.perf_event_paranoid",
	"kernel.randomize_va_space",
	"kernel.sysrq",
	"kernel.unprivileged_bpf_disabled",
	"kernel.yama.ptrace_scope",
	"net.core.bpf_jit_harden",
	"net.ipv4.conf.all.accept_redirects",
	"net.ipv4.conf.all.accept_source_route",
	"net.ipv4.conf.all.log_martians",
	"net.ipv4.conf.all.rp_filter",
	"net.ipv4.conf.all.secure_redirects",
	"net.ipv4.conf.all.send_redirects",
	"net.ipv4.conf.default.accept_redirects",
	"net.ipv4.conf.default.accept_source_route",
	"net.ipv4.conf.default.log_martians",
	"net.ipv4.conf.default.rp_filter",
	"net.ipv4.conf.default.secure_redirects",
	"net.ipv4.conf.default.send_redirects",
	"net.ipv4.icmp_echo_ignore_broadcasts",
	"net.ipv4.icmp_ignore_bogus_error_responses",
	"net.ipv4.ip_forward",
	"net.ipv4.tcp_syncookies",
	"net.ipv6.conf.all.accept_ra",
	"net.ipv6.conf.all.accept_redirects",
	"net.ipv6.conf.all.accept_source_route",
	"net.ipv6.conf.all.disable_ipv6",
	"net.ipv6.conf.all.forwarding",
	"net.ipv6.conf.default.accept_ra",
	"net.ipv6.conf.default.accept_redirects",
	"net.ipv6.conf.default.accept_source_route",
}

// sysctlDirs are systemd's CONF_PATHS("sysctl.d"), highest priority first.
// /lib/sysctl.d is read by split-/usr builds (Debian 12's systemd 252); on a
// merged-/usr root it is /usr/lib/sysctl.d again, whose files then mask
// their own duplicates harmlessly.
var sysctlDirs = []string{"/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d", "/usr/lib/sysctl.d", "/lib/sysctl.d"}

// sysctlConf is procps' file, which `sysctl --system` applies after the
// sysctl.d files; Debian links /etc/sysctl.d/99-sysctl.conf to it.
const sysctlConf = "/etc/sysctl.conf"

// sysctlMaxLine is systemd's LONG_LINE_MAX: read_line refuses longer lines.
const sysctlMaxLine = 1 << 20

// sysctlMaxFiles bounds the files one scan reads.
const sysctlMaxFiles = 10000

// Name implements Collector.
func (Sysctl) Name() string { return "sysctl" }

// Collect implements Collector.
func (Sysctl) Collect(ctx context.Context, t Target) (any, error) {
	facts := &SysctlFacts{
		Configured: map[string]SysctlSetting{},
		Excluded:   map[string]SysctlLocation{},
		Files:      []SysctlFile{},
		Overridden: []SysctlOverride{},
		Ignored:    []SysctlIgnored{},
		Runtime:    SysctlRuntime{LiveOnly: LiveSection(t, "/proc/sys"), Values: map[string]SysctlValue{}},
	}
	files, err := confFilesList(ctx, t.Fs, sysctlDirs, "sysctl")
	if err != nil {
		return nil, err
	}
	st := &sysctlState{options: map[string]*sysctlOption{}, facts: facts}
	confApplied := false
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		entry := SysctlFile{Path: f.path, MaskedBy: f.maskedBy, Target: f.target, Note: f.note}
		if f.maskedBy == "" && f.note == "" {
			data, err := ReadFile(t.Fs, f.path, MaxConfigSize)
			if err != nil {
				return nil, fmt.Errorf("sysctl: %w", err)
			}
			if err := st.parse(f.path, data); err != nil {
				return nil, err
			}
			entry.Applied = true
			if f.path == sysctlConf || f.target == sysctlConf {
				confApplied = true
			}
		}
		facts.Files = append(facts.Files, entry)
	}
	if !confApplied {
		data, err := ReadFile(t.Fs, sysctlConf, MaxConfigSize)
		switch {
		case err == nil:
			if err := st.parse(sysctlConf, data); err != nil {
				return nil, err
			}
			facts.Files = append(facts.Files, SysctlFile{Path: sysctlConf, Applied: true, Note: "applied last, as procps sysctl --system does"})
		case !missingPath(err):
			return nil, fmt.Errorf("sysctl: %w", err)
		}
	}
	// The files systemd-sysctl skips go after the ones it reads.
	sort.SliceStable(facts.Files, func(i, j int) bool {
		return facts.Files[i].MaskedBy == "" && facts.Files[j].MaskedBy != ""
	})
	st.finish()
	if t.Live {
		if err := sysctlRuntime(ctx, t.Fs, facts); err != nil {
			return nil, err
		}
	}
	return facts, nil
}

// missingPath reports whether err means the path does not exist in the
// root (ENOTDIR: a component is a file).
func missingPath(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}

// confFile is one entry of a configuration directory list.
type confFile struct {
	name, path string
	maskedBy   string // the same name in an earlier directory
	target     string // where a symlink resolves
	note       string // why a file that is not masked is not read
}

// confFilesList lists the *.conf files of dirs as systemd's
// conf_files_list_strv (flags 0) does: hidden files are skipped, the first
// directory to have a name wins, and the winners are sorted by name. The
// result has the winners in that order, each followed by nothing; the
// losers come after all winners, in directory order. A symlink to
// /dev/null or a dangling symlink wins its name but reads as empty, which
// masks the name; a directory is skipped with a note.
func confFilesList(ctx context.Context, fsys afero.Fs, dirs []string, who string) ([]confFile, error) {
	winners := map[string]*confFile{}
	var losers []confFile
	n := 0
	for _, dir := range dirs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		entries, err := afero.ReadDir(fsys, dir)
		if err != nil {
			if missingPath(err) {
				continue
			}
			return nil, fmt.Errorf("%s: %s: %w", who, dir, err)
		}
		for _, e := range entries {
			name := e.Name()
			if strings.HasPrefix(name, ".") || !strings.HasSuffix(name, ".conf") {
				continue
			}
			if n++; n > sysctlMaxFiles {
				return nil, fmt.Errorf("%s: more than %d configuration files", who, sysctlMaxFiles)
			}
			p := path.Join(dir, name)
			if w, ok := winners[name]; ok {
				losers = append(losers, confFile{name: name, path: p, maskedBy: w.path})
				continue
			}
			f := &confFile{name: name, path: p}
			if err := f.classify(fsys); err != nil {
				return nil, fmt.Errorf("%s: %w", who, err)
			}
			winners[name] = f
		}
	}
	names := make([]string, 0, len(winners))
	for name := range winners {
		names = append(names, name)
	}
	sort.Strings(names)
	out := make([]confFile, 0, len(names)+len(losers))
	for _, name := range names {
		out = append(out, *winners[name])
	}
	return append(out, losers...), nil
}

// classify fills in target and note for a file that won its name.
func (f *confFile) classify(fsys afero.Fs) error {
	fi, err := lstat(fsys, f.path)
	if err != nil {
		return err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		f.target = f.path
		if r, ok := fsys.(interface{ Resolve(string) (string, error) }); ok {
			if rp, err := r.Resolve(f.path); err == nil {
				f.target = rp
			}
		}
		if f.target == "/dev/null" {
			f.note = "symlink to /dev/null: masks the name"
			return nil
		}
	}
	st, err := fsys.Stat(f.path)
	switch {
	case missingPath(err):
		f.note = "dangling symlink: read as empty, masks the name"
	case err != nil:
		return err
	case st.IsDir():
		f.note = "directory: not read"
	}
	return nil
}

// sysctlOption is one entry of systemd-sysctl's ordered hashmap.
type sysctlOption struct {
	key           string
	value         *string // nil: a negative ("-key") line
	file          string
	line          int
	ignoreFailure bool
	seq           int
}

type sysctlState struct {
	options map[string]*sysctlOption
	seq     int
	facts   *SysctlFacts
}

// parse reads one file as systemd-sysctl's parse_file does.
func (st *sysctlState) parse(file string, data []byte) error {
	for lineNo, raw := range sysctlLines(data) {
		lineNo++ // 1-based
		if len(raw) > sysctlMaxLine {
			return fmt.Errorf("sysctl: %s:%d: line longer than %d bytes", file, lineNo, sysctlMaxLine)
		}
		p := strings.Trim(raw, " \t\n\r")
		if p == "" || p[0] == '#' || p[0] == ';' {
			continue
		}
		var value *string
		ignoreFailure := false
		if eq := strings.IndexByte(p, '='); eq >= 0 {
			v := strings.Trim(p[eq+1:], " \t\n\r")
			value = &v
			p = p[:eq]
			if strings.HasPrefix(p, "-") {
				ignoreFailure = true
				p = p[1:]
			}
		} else if strings.HasPrefix(p, "-") {
			p = p[1:] // a negative match: keeps globs off this key
		} else {
			st.facts.Ignored = append(st.facts.Ignored, SysctlIgnored{File: file, Line: lineNo, Text: p, Reason: "line is not an assignment"})
			continue
		}
		key := SysctlDotted(SysctlNormalize(strings.Trim(p, " \t\n\r")))
		if key == "" {
			st.facts.Ignored = append(st.facts.Ignored, SysctlIgnored{File: file, Line: lineNo, Text: strings.Trim(raw, " \t\n\r"), Reason: "no key"})
			continue
		}
		if old, ok := st.options[key]; ok {
			if (old.value == nil && value == nil) || (old.value != nil && value != nil && *old.value == *value) {
				old.ignoreFailure = old.ignoreFailure || ignoreFailure
				continue
			}
			ov := SysctlOverride{Key: key, File: old.file, Line: old.line, By: SysctlLocation{File: file, Line: lineNo}}
			if old.value == nil {
				ov.Excluded = true
			} else {
				ov.Value = *old.value
			}
			st.facts.Overridden = append(st.facts.Overridden, ov)
		}
		st.options[key] = &sysctlOption{key: key, value: value, file: file, line: lineNo, ignoreFailure: ignoreFailure, seq: st.seq}
		st.seq++
	}
	return nil
}

// finish moves the options into the facts, numbering them in order.
func (st *sysctlState) finish() {
	opts := make([]*sysctlOption, 0, len(st.options))
	for _, o := range st.options {
		opts = append(opts, o)
	}
	sort.Slice(opts, func(i, j int) bool { return opts[i].seq < opts[j].seq })
	for i, o := range opts {
		if o.value == nil {
			st.facts.Excluded[o.key] = SysctlLocation{File: o.file, Line: o.line}
			continue
		}
		st.facts.Configured[o.key] = SysctlSetting{
			Value: *o.value, File: o.file, Line: o.line, IgnoreFailure: o.ignoreFailure,
			Glob: sysctlIsGlob(o.key), Order: i,
		}
	}
}

// sysctlLines splits data into lines as systemd's read_line does: "\n",
// "\r\n", "\r" and NUL each end a line.
func sysctlLines(data []byte) []string {
	var lines []string
	start := 0
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '\n', 0:
			lines = append(lines, string(data[start:i]))
			start = i + 1
		case '\r':
			lines = append(lines, string(data[start:i]))
			if i+1 < len(data) && data[i+1] == '\n' {
				i++
			}
			start = i + 1
		}
	}
	if start < len(data) {
		lines = append(lines, string(data[start:]))
	}
	return lines
}

func sysctlIsGlob(key string) bool { return strings.ContainsAny(key, "*?[") }

// SysctlNormalize is systemd's sysctl_normalize: it returns the key in the
// slash form of a path below /proc/sys. When the first separator is a dot,
// dots and slashes swap ("net.ipv4.conf.eth0/1.rp_filter" is
// "net/ipv4/conf/eth0.1/rp_filter"); when it is a slash the key is already
// a path and dots stay dots. Redundant slashes and "." components go, and
// so does a leading slash.
func SysctlNormalize(key string) string {
	if i := strings.IndexAny(key, "/."); i >= 0 && key[i] == '.' {
		b := []byte(key)
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '.':
				b[j] = '/'
			case '/':
				b[j] = '.'
			}
		}
		key = string(b)
	}
	abs := strings.HasPrefix(key, "/")
	var parts []string
	for _, c := range strings.Split(key, "/") {
		// path_simplify: "." components go, and so does ".." right
		// after the root ("/../a" is "/a").
		if c == "" || c == "." || (abs && c == ".." && len(parts) == 0) {
			continue
		}
		parts = append(parts, c)
	}
	s := strings.Join(parts, "/")
	if s == "" && abs {
		return "/"
	}
	return s
}

// SysctlDotted turns a slash-form key into the dotted form sysctl(8)
// prints: slashes become dots and dots (inside interface names) slashes.
func SysctlDotted(slash string) string {
	b := []byte(slash)
	for i, c := range b {
		switch c {
		case '/':
			b[i] = '.'
		case '.':
			b[i] = '/'
		}
	}
	return string(b)
}

// Effective returns the value that key (dotted form) gets at boot: its own
// assignment, or else the last applied glob that matches it, unless a
// negative line excludes the key. ok is false when nothing sets it.
func (f *SysctlFacts) Effective(key string) (s SysctlSetting, ok bool) {
	if s, ok := f.Configured[key]; ok && !s.Glob {
		return s, true
	}
	if _, excluded := f.Excluded[key]; excluded {
		return SysctlSetting{}, false
	}
	slash := SysctlDotted(key) // the swap is its own inverse
	for pattern, g := range f.Configured {
		if !g.Glob {
			continue
		}
		p := strings.ReplaceAll(SysctlDotted(pattern), "[!", "[^")
		if m, err := path.Match(p, slash); err == nil && m && (!ok || g.Order > s.Order) {
			s, ok = g, true
		}
	}
	return s, ok
}

// sysctlRuntime reads the running values of the configured keys and the
// security keys from /proc/sys.
func sysctlRuntime(ctx context.Context, fsys afero.Fs, facts *SysctlFacts) error {
	keys := append([]string{}, SysctlSecurityKeys...)
	for k, s := range facts.Configured {
		if !s.Glob {
			keys = append(keys, k)
		}
	}
	for _, key := range keys {
		if _, done := facts.Runtime.Values[key]; done {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		facts.Runtime.Values[key] = sysctlRead(fsys, key)
	}
	return nil
}

// sysctlMaxValue bounds what one parameter may hold.
const sysctlMaxValue = 1 << 20

// sysctlRead reads one running value. A key that would leave /proc/sys
// ("..") is never read.
func sysctlRead(fsys afero.Fs, key string) SysctlValue {
	slash := SysctlDotted(key)
	p := "/proc/sys/" + slash
	if slash == "" || path.Clean(p) != p || strings.Contains("/"+slash+"/", "/../") {
		return SysctlValue{Error: "not a parameter name"}
	}
	fi, err := fsys.Stat(p)
	if missingPath(err) {
		return SysctlValue{}
	}
	if err != nil {
		return SysctlValue{Error: sysctlErrText(err)}
	}
	if fi.IsDir() {
		return SysctlValue{Exists: true, Error: "a directory, not a parameter"}
	}
	data, err := ReadFile(fsys, p, sysctlMaxValue)
	if err != nil {
		return SysctlValue{Exists: true, Error: sysctlErrText(err)}
	}
	return SysctlValue{Exists: true, Value: strings.Join(strings.Fields(string(data)), " ")}
}

// sysctlErrText is the cause of err without the path, which the key
// already names.
func sysctlErrText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
