package checks

import (
	"bytes"
	"context"
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/afero"
)

// KernelModules collects what decides whether a kernel module can be
// loaded: the modprobe.d configuration as libkmod (kmod 30, Debian 12) reads
// it, the modules each kernel under /lib/modules ships or has built in, and
// on the live host the modules loaded now.
type KernelModules struct{}

// KernelModulesFacts is the facts of the kernel_modules collector (see
// docs/facts/kernel_modules.md). Module names are normalised as kmod
// normalises them: "-" is "_" ("usb-storage" is "usb_storage").
type KernelModulesFacts struct {
	// Files lists every *.conf file of the modprobe.d directories: the
	// ones read, in the order read (by name across directories), then the
	// ones a file of the same name in an earlier directory replaces.
	Files []SysctlFile `json:"files"`
	// Install maps a module name (or a pattern, which kmod matches with
	// fnmatch) to its install lines in the order read; modprobe runs the
	// first line whose pattern matches instead of loading the module.
	Install map[string][]ModprobeCommand `json:"install"`
	// Remove is the same for remove lines.
	Remove map[string][]ModprobeCommand `json:"remove"`
	// Blacklist maps a module name to its blacklist lines: aliases
	// (hardware, file systems) no longer load it.
	Blacklist map[string][]ModprobeLocation `json:"blacklist"`
	// Options maps a module name or pattern to its options lines; modprobe
	// passes all of them, in order.
	Options map[string][]ModprobeOptions `json:"options"`
	// Aliases lists the alias lines in order.
	Aliases []ModprobeAlias `json:"aliases"`
	// Softdeps maps a module name or pattern to its softdep lines.
	Softdeps map[string][]ModprobeSoftdep `json:"softdeps"`
	// Ignored lists the lines kmod ignores with an error message.
	Ignored []ModprobeIgnored `json:"ignored"`
	// Kernels lists the kernel versions under /lib/modules.
	Kernels []string `json:"kernels"`
	// Available maps a module name to its files under /lib/modules, for
	// every kernel.
	Available map[string][]string `json:"available"`
	// Builtin maps a module built into a kernel (modules.builtin) to the
	// kernel versions that have it built in: modprobe.d cannot keep those
	// out.
	Builtin map[string][]string `json:"builtin"`
	// Loaded holds the modules the running kernel has loaded; only the live
	// host has it.
	Loaded KernelModulesLoaded `json:"loaded"`
}

// ModprobeLocation is a line of a modprobe.d file.
type ModprobeLocation struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

// ModprobeCommand is an install or remove line.
type ModprobeCommand struct {
	// Command is the shell command as kmod keeps it.
	Command string `json:"command"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	// Order is the line's position among all lines of its kind (0
	// first): of several patterns matching a module, the lowest applies.
	Order int `json:"order"`
}

// ModprobeOptions is an options line.
type ModprobeOptions struct {
	Options string `json:"options"`
	File    string `json:"file"`
	Line    int    `json:"line"`
}

// ModprobeAlias is an alias line.
type ModprobeAlias struct {
	Alias  string `json:"alias"`
	Module string `json:"module"`
	File   string `json:"file"`
	Line   int    `json:"line"`
}

// ModprobeSoftdep is a softdep line.
type ModprobeSoftdep struct {
	Pre  []string `json:"pre"`
	Post []string `json:"post"`
	File string   `json:"file"`
	Line int      `json:"line"`
}

// ModprobeIgnored is a line kmod ignores.
type ModprobeIgnored struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Text   string `json:"text"`
	Reason string `json:"reason"`
}

// KernelModulesLoaded is the live-only section: /proc/modules.
type KernelModulesLoaded struct {
	LiveOnly
	// Supported is false when the running kernel has no /proc/modules (it
	// was built without loadable module support); Modules is then empty.
	Supported bool `json:"supported"`
	// Modules maps each loaded module's name to its entry.
	Modules map[string]LoadedModule `json:"modules"`
}

// LoadedModule is one line of /proc/modules.
type LoadedModule struct {
	Name string `json:"name"`
	Size int64  `json:"size"`
	// Refcount is -1 when the kernel prints "-" (no unload support).
	Refcount int      `json:"refcount"`
	UsedBy   []string `json:"used_by"`
	// State is "Live", "Loading" or "Unloading".
	State string `json:"state"`
}

// modprobeDirs are libkmod's configuration directories, highest priority
// first: kmod 30's list plus /usr/lib/modprobe.d, which later versions read
// (on a merged-/usr root it is /lib/modprobe.d anyway).
var modprobeDirs = []string{"/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d", "/usr/lib/modprobe.d", "/lib/modprobe.d"}

const (
	kmodModulesDir = "/lib/modules"
	procModules    = "/proc/modules"
	// kmodMaxEntries bounds the directory entries walked under
	// /lib/modules (a Debian kernel has about 4,500 modules).
	kmodMaxEntries = 500000
	// kmodMaxDepth bounds the depth of that walk.
	kmodMaxDepth = 16
)

// kmodSuffixes are the file names of modules, compressed or not.
var kmodSuffixes = []string{".ko", ".ko.xz", ".ko.zst", ".ko.gz"}

// Name implements Collector.
func (KernelModules) Name() string { return "kernel_modules" }

// Collect implements Collector.
func (KernelModules) Collect(ctx context.Context, t Target) (any, error) {
	facts := &KernelModulesFacts{
		Files:     []SysctlFile{},
		Install:   map[string][]ModprobeCommand{},
		Remove:    map[string][]ModprobeCommand{},
		Blacklist: map[string][]ModprobeLocation{},
		Options:   map[string][]ModprobeOptions{},
		Aliases:   []ModprobeAlias{},
		Softdeps:  map[string][]ModprobeSoftdep{},
		Ignored:   []ModprobeIgnored{},
		Kernels:   []string{},
		Available: map[string][]string{},
		Builtin:   map[string][]string{},
		Loaded:    KernelModulesLoaded{LiveOnly: LiveSection(t, procModules), Modules: map[string]LoadedModule{}},
	}
	files, err := kmodConfFiles(ctx, t.Fs)
	if err != nil {
		return nil, err
	}
	p := &modprobeParser{facts: facts}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		entry := SysctlFile{Path: f.path, MaskedBy: f.maskedBy, Target: f.target, Note: f.note}
		if f.maskedBy == "" && f.note == "" {
			data, err := ReadFile(t.Fs, f.path, MaxConfigSize)
			if err != nil {
				return nil, fmt.Errorf("kernel_modules: %w", err)
			}
			p.parse(f.path, data)
			entry.Applied = true
		}
		facts.Files = append(facts.Files, entry)
	}
	if err := kmodAvailable(ctx, t.Fs, facts); err != nil {
		return nil, err
	}
	if t.Live {
		if err := kmodLoaded(t.Fs, facts); err != nil {
			return nil, err
		}
	}
	return facts, nil
}

// kmodConfFiles lists the configuration files as kmod 30's
// conf_files_list does: names starting with "." are skipped, only names of
// at least six characters ending in ".conf" or ".alias" count, a directory
// is skipped without taking its name, the first directory to have a name
// wins, and the files are read sorted by name. A symlink to /dev/null or a
// dangling symlink reads as empty and so masks the name (kmod 30 ignores
// the failed stat; later versions skip such an entry).
func kmodConfFiles(ctx context.Context, fsys afero.Fs) ([]confFile, error) {
	winners := map[string]*confFile{}
	var losers []confFile
	n := 0
	for _, dir := range modprobeDirs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		entries, err := afero.ReadDir(fsys, dir)
		if err != nil {
			if missingPath(err) {
				continue
			}
			return nil, fmt.Errorf("kernel_modules: %s: %w", dir, err)
		}
		for _, e := range entries {
			name := e.Name()
			if strings.HasPrefix(name, ".") || len(name) < 6 || !(strings.HasSuffix(name, ".conf") || strings.HasSuffix(name, ".alias")) {
				continue
			}
			if n++; n > sysctlMaxFiles {
				return nil, fmt.Errorf("kernel_modules: more than %d configuration files", sysctlMaxFiles)
			}
			p := path.Join(dir, name)
			f := &confFile{name: name, path: p}
			if err := f.classify(fsys); err != nil {
				return nil, fmt.Errorf("kernel_modules: %w", err)
			}
			if strings.HasPrefix(f.note, "directory") {
				// Skipped before it can take the name.
				f.note = "directory: skipped, does not mask the name"
				losers = append(losers, *f)
				continue
			}
			if w, ok := winners[name]; ok {
				losers = append(losers, confFile{name: name, path: p, maskedBy: w.path})
				continue
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
		f := *winners[name]
		if f.target == "/dev/null" {
			f.note = "symlink to /dev/null: read as empty, masks the name"
		}
		out = append(out, f)
	}
	return append(out, losers...), nil
}

type modprobeParser struct {
	facts                 *KernelModulesFacts
	installSeq, removeSeq int
}

// modprobeLines joins continuation lines as kmod's freadline_wrapped does:
// a backslash before a newline joins the lines, a backslash before any
// other character is dropped and the character kept. Each logical line
// comes with the number of its first physical line.
func modprobeLines(data []byte) (lines []string, starts []int) {
	var buf []byte
	lineNo, start := 1, 1
	inLine := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		if !inLine {
			inLine, start = true, lineNo
		}
		switch c {
		case '\n':
			lines, starts = append(lines, string(buf)), append(starts, start)
			buf, inLine = buf[:0], false
			lineNo++
		case '\\':
			if i+1 >= len(data) {
				continue
			}
			i++
			if data[i] == '\n' {
				lineNo++
				continue
			}
			buf = append(buf, data[i])
		default:
			buf = append(buf, c)
		}
	}
	if inLine {
		lines, starts = append(lines, string(buf)), append(starts, start)
	}
	return lines, starts
}

// modprobeFields splits like strtok_r with " \t": it returns the first n
// words and, when rest is true, what follows the n-th word's delimiter (as
// strtok_r(NULL, "\0") returns it: "" counts as missing).
func modprobeFields(line string, n int) (words []string, rest string, ok bool) {
	s := line
	for len(words) < n {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return words, "", false
		}
		end := strings.IndexAny(s, " \t")
		if end < 0 {
			words = append(words, s)
			s = ""
			break
		}
		words = append(words, s[:end])
		s = s[end+1:]
	}
	return words, s, len(words) == n
}

// modprobeUnderscores is kmod's underscores(): "-" becomes "_" outside
// bracket expressions; an unbalanced bracket is an error.
func modprobeUnderscores(s string) (string, bool) {
	b := []byte(s)
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '-':
			b[i] = '_'
		case ']':
			return "", false
		case '[':
			j := strings.IndexByte(s[i:], ']')
			if j < 0 {
				return "", false
			}
			i += j
		}
	}
	return string(b), true
}

// parse reads one file as kmod_config_parse does. Lines kmod rejects go to
// Ignored.
func (p *modprobeParser) parse(file string, data []byte) {
	f := p.facts
	lines, starts := modprobeLines(data)
	for i, line := range lines {
		lineNo := starts[i]
		if line == "" || line[0] == '#' {
			continue
		}
		words, _, ok := modprobeFields(line, 1)
		if !ok {
			continue // white space only
		}
		cmd := words[0]
		bad := func(reason string) {
			f.Ignored = append(f.Ignored, ModprobeIgnored{File: file, Line: lineNo, Text: strings.TrimSpace(line), Reason: reason})
		}
		// name returns the module name of a line "cmd name [rest]".
		name := func(withRest bool) (string, string, bool) {
			words, rest, ok := modprobeFields(line, 2)
			if !ok {
				bad("bad line: no module name")
				return "", "", false
			}
			m, ok := modprobeUnderscores(words[1])
			if !ok {
				bad("bad line: unbalanced brackets in " + words[1])
				return "", "", false
			}
			if withRest && rest == "" {
				bad("bad line: nothing after the module name")
				return "", "", false
			}
			return m, rest, true
		}
		loc := ModprobeLocation{File: file, Line: lineNo}
		switch cmd {
		case "alias":
			words, _, ok := modprobeFields(line, 3)
			if !ok {
				bad("bad line: alias needs a name and a module")
				continue
			}
			alias, ok1 := modprobeUnderscores(words[1])
			mod, ok2 := modprobeUnderscores(words[2])
			if !ok1 || !ok2 {
				bad("bad line: unbalanced brackets")
				continue
			}
			f.Aliases = append(f.Aliases, ModprobeAlias{Alias: alias, Module: mod, File: file, Line: lineNo})
		case "blacklist":
			if m, _, ok := name(false); ok {
				f.Blacklist[m] = append(f.Blacklist[m], loc)
			}
		case "options":
			if m, rest, ok := name(true); ok {
				f.Options[m] = append(f.Options[m], ModprobeOptions{Options: strings.ReplaceAll(rest, "\t", " "), File: file, Line: lineNo})
			}
		case "install":
			if m, rest, ok := name(true); ok {
				f.Install[m] = append(f.Install[m], ModprobeCommand{Command: rest, File: file, Line: lineNo, Order: p.installSeq})
				p.installSeq++
			}
		case "remove":
			if m, rest, ok := name(true); ok {
				f.Remove[m] = append(f.Remove[m], ModprobeCommand{Command: rest, File: file, Line: lineNo, Order: p.removeSeq})
				p.removeSeq++
			}
		case "softdep":
			if m, rest, ok := name(true); ok {
				sd := ModprobeSoftdep{Pre: []string{}, Post: []string{}, File: file, Line: lineNo}
				var mode *[]string
				for _, w := range strings.Fields(rest) {
					switch w {
					case "pre:":
						mode = &sd.Pre
					case "post:":
						mode = &sd.Post
					default:
						if mode != nil {
							*mode = append(*mode, w)
						}
					}
				}
				f.Softdeps[m] = append(f.Softdeps[m], sd)
			}
		case "include", "config":
			bad("command " + cmd + " is deprecated and not parsed anymore")
		default:
			bad("bad line starting with " + strconv.Quote(cmd))
		}
	}
}

// kmodModuleName returns the module name of a file name ("usb-storage.ko.xz"
// is "usb_storage"), or "" for other files.
func kmodModuleName(file string) string {
	for _, s := range kmodSuffixes {
		if strings.HasSuffix(file, s) && len(file) > len(s) {
			return strings.ReplaceAll(strings.TrimSuffix(file, s), "-", "_")
		}
	}
	return ""
}

// kmodAvailable walks /lib/modules/<version>/ (symlinks such as build and
// source are not followed) for module files and reads modules.builtin.
func kmodAvailable(ctx context.Context, fsys afero.Fs, facts *KernelModulesFacts) error {
	versions, err := afero.ReadDir(fsys, kmodModulesDir)
	if err != nil {
		if missingPath(err) {
			return nil
		}
		return fmt.Errorf("kernel_modules: %s: %w", kmodModulesDir, err)
	}
	seen := 0
	var walk func(dir string, depth int) error
	walk = func(dir string, depth int) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if depth > kmodMaxDepth {
			return fmt.Errorf("kernel_modules: %s: deeper than %d levels", dir, kmodMaxDepth)
		}
		entries, err := afero.ReadDir(fsys, dir)
		if err != nil {
			return fmt.Errorf("kernel_modules: %w", err)
		}
		for _, e := range entries {
			if seen++; seen > kmodMaxEntries {
				return fmt.Errorf("kernel_modules: more than %d entries under %s", kmodMaxEntries, kmodModulesDir)
			}
			p := path.Join(dir, e.Name())
			switch {
			case e.IsDir():
				if err := walk(p, depth+1); err != nil {
					return err
				}
			case e.Mode().IsRegular():
				if name := kmodModuleName(e.Name()); name != "" {
					facts.Available[name] = append(facts.Available[name], p)
				}
			}
		}
		return nil
	}
	for _, v := range versions {
		if !v.IsDir() {
			continue
		}
		dir := path.Join(kmodModulesDir, v.Name())
		facts.Kernels = append(facts.Kernels, v.Name())
		if err := walk(dir, 1); err != nil {
			return err
		}
		builtin := path.Join(dir, "modules.builtin")
		data, err := ReadFile(fsys, builtin, MaxConfigSize)
		if err != nil {
			if missingPath(err) {
				continue
			}
			return fmt.Errorf("kernel_modules: %w", err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			if line = strings.TrimSpace(line); line == "" {
				continue
			}
			if name := kmodModuleName(path.Base(line)); name != "" {
				facts.Builtin[name] = append(facts.Builtin[name], v.Name())
			}
		}
	}
	return nil
}

// kmodLoaded reads /proc/modules: "name size refcount deps state address".
func kmodLoaded(fsys afero.Fs, facts *KernelModulesFacts) error {
	data, err := ReadFile(fsys, procModules, MaxDatabaseSize)
	if err != nil {
		if missingPath(err) {
			return nil
		}
		return fmt.Errorf("kernel_modules: %w", err)
	}
	facts.Loaded.Supported = true
	for i, line := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		fields := strings.Fields(string(line))
		bad := func(why string) error {
			return fmt.Errorf("kernel_modules: %s:%d: %s: %q", procModules, i+1, why, line)
		}
		if len(fields) < 5 {
			return bad("fewer than 5 fields")
		}
		size, err := strconv.ParseInt(fields[1], 10, 64)
		if err != nil {
			return bad("bad size")
		}
		ref := -1
		if fields[2] != "-" {
			if ref, err = strconv.Atoi(fields[2]); err != nil {
				return bad("bad reference count")
			}
		}
		used := []string{}
		for _, u := range strings.Split(fields[3], ",") {
			if u != "" && u != "-" {
				used = append(used, u)
			}
		}
		facts.Loaded.Modules[fields[0]] = LoadedModule{Name: fields[0], Size: size, Refcount: ref, UsedBy: used, State: fields[4]}
	}
	return nil
}

// EffectiveInstall returns the install line modprobe runs for a
// module: the first, in reading order, whose pattern matches its name.
func (f *KernelModulesFacts) EffectiveInstall(module string) (ModprobeCommand, bool) {
	var best ModprobeCommand
	found := false
	for pattern, cmds := range f.Install {
		if m, err := path.Match(strings.ReplaceAll(pattern, "[!", "[^"), module); err != nil || !m {
			continue
		}
		if !found || cmds[0].Order < best.Order {
			best, found = cmds[0], true
		}
	}
	return best, found
}
