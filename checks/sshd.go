package checks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/gcrun/gcrun/checks/sshdtok"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"github.com/spf13/afero"
)

// SSHDConfigPath is where sshd reads its configuration unless told
// otherwise (sshd -f).
const SSHDConfigPath = "/etc/ssh/sshd_config"

// sshdMaxFileReads bounds the files one scan parses, repeats included.
// The depth limit alone does not stop a hostile root whose every file
// includes a large directory of files that do the same.
const sshdMaxFileReads = 1000

// SSHD collects the OpenSSH server's configuration the way sshd itself
// reads it: Include directives followed inside the scanned root, defaults
// filled in and values normalised as `sshd -T` prints them, so that rules
// can compare against what the daemon enforces rather than what a file
// happens to spell. It follows OpenSSH 9.2p1 as built by Debian 12.
type SSHD struct {
	// ConfigPath is the main configuration file inside the root; empty
	// means SSHDConfigPath.
	ConfigPath string
}

// Name implements Collector.
func (SSHD) Name() string { return "sshd" }

// SSHDFacts is the sshd collector's result; docs/facts.md is the contract.
type SSHDFacts struct {
	// ConfigPath is the main configuration file that was read.
	ConfigPath string `json:"config_path"`
	// Exists is false when ConfigPath does not exist; everything else is
	// then empty, since sshd would not start.
	Exists bool `json:"exists"`
	// Files lists every file read, the main one first, then Included
	// files in the order sshd reads them.
	Files []string `json:"files"`
	// Config is the global effective configuration as sshd -T prints it.
	Config SSHDConfig `json:"config"`
	// Sources locates the line that set each keyword of Config; keywords
	// left at their default have no entry.
	Sources map[string]SSHDLocation `json:"sources"`
	// Match lists the Match blocks in the order sshd reads their Match
	// lines.
	Match []SSHDMatch `json:"match"`
	// MatchLines are the lines inside Match blocks, in the order sshd
	// reads them, each with the value that line alone gives its keyword.
	// sshd applies a connection's matching blocks by re-reading these
	// lines (servconf.c parse_server_match_config), and the order matters
	// when an Include inside one block starts blocks of its own, so
	// Effective replays them rather than merging the blocks' Config.
	// AuthenticationMethods lines outside any block are here too (Block
	// -1): that second reading checks them ("any" must appear alone)
	// without applying them.
	MatchLines []SSHDMatchLine `json:"match_lines"`
	// FirstPass holds, for each keyword that the active "Match all"
	// blocks set, the value and source it had after sshd's first reading
	// of the configuration, before those blocks were applied over it as
	// for any connection (Config shows the result, as sshd -T does).
	// Usually empty; Effective needs it for the rare keyword a connection's
	// own blocks keep a "Match all" line from setting.
	FirstPass SSHDSettings `json:"first_pass"`
	// DebianBanner, Moduli and HostKeys are what sshd -T does not print
	// (sshd_extra.go); set whenever Exists is true. DebianBanner is "yes"
	// or "no" as Debian's DebianBanner keyword sets it (default "yes"),
	// with its line under Sources["debianbanner"] when a file sets it.
	DebianBanner string        `json:"debian_banner,omitempty"`
	Moduli       *SSHDModuli   `json:"moduli,omitempty"`
	HostKeys     []SSHDHostKey `json:"host_keys,omitempty"`
}

// SSHDSettings is a set of keywords with their values and, for those set
// by a line, its location.
type SSHDSettings struct {
	Config  SSHDConfig              `json:"config"`
	Sources map[string]SSHDLocation `json:"sources"`
}

// SSHDMatchLine is one line of a Match block as sshd's per-connection
// pass reads it.
type SSHDMatchLine struct {
	// Block is the index in SSHDFacts.Match of the block the line is in,
	// -1 for a line outside any block.
	Block int `json:"block"`
	// Keyword is the lowercase name sshd -T prints.
	Keyword string `json:"keyword"`
	// Value is what the line alone sets: a string, or a []string for the
	// keywords printed once per value. It is normalised like Config
	// except where merging needs the line as written: algorithm lists
	// keep their "+", "-" or "^", RekeyLimit is "LIMIT" or "LIMIT
	// INTERVAL" (no interval: the line leaves it to others),
	// UnusedConnectionTimeout is "none" (always wins) or seconds.
	Value any    `json:"value"`
	File  string `json:"file"`
	Line  int    `json:"line"`
}

// SSHDConfig maps a lowercase keyword to its value: a string, or a
// []string for keywords sshd -T prints once per value (port,
// listenaddress, hostkey, allowusers, acceptenv, subsystem, ...). Rules
// index it directly, so each keyword keeps one type whatever the files say.
type SSHDConfig map[string]any

// SSHDLocation is a line in a configuration file, a path inside the root.
type SSHDLocation struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

// SSHDMatch is one Match block with the keywords set inside it, normalised
// but not merged with the global configuration: whether a block applies
// depends on the connection, which a scan does not have.
type SSHDMatch struct {
	Criteria []SSHDCriterion `json:"criteria"`
	// Parent is the index in SSHDFacts.Match of the block whose Include
	// read the file this block's Match line is in, or -1. sshd evaluates
	// a block only when its parent applies (SSHCFG_NEVERMATCH otherwise):
	// a "Match all" in a file included from "Match User alice" applies to
	// alice's connections only.
	Parent int `json:"parent"`
	// File and Line locate the Match line.
	File    string                  `json:"file"`
	Line    int                     `json:"line"`
	Config  SSHDConfig              `json:"config"`
	Sources map[string]SSHDLocation `json:"sources"`
}

// SSHDCriterion is one condition of a Match line. Type is lowercase (user,
// group, host, localaddress, localport, address, rdomain, all); Patterns is
// the comma-separated pattern list, "!" negations kept, empty for "all".
// A localport criterion holds the port number, a service name resolved
// with the root's /etc/services as sshd's a2port does.
type SSHDCriterion struct {
	Type     string   `json:"type"`
	Patterns []string `json:"patterns"`
}

// SSHDConfigError is a configuration sshd would refuse, or a file that
// cannot be read; it names the file inside the root and, when there is
// one, the line.
type SSHDConfigError struct {
	File string
	Line int // 0 when the problem is the file itself
	Msg  string
	Err  error // the underlying error, if any
}

// Error formats like sshd's own messages, prefixed with the collector:
// "sshd: /etc/ssh/sshd_config:12: unknown keyword "Foo"".
func (e *SSHDConfigError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("sshd: %s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("sshd: %s: %s", e.File, e.Msg)
}

// Unwrap lets callers test the cause with errors.Is (fs.ErrPermission,
// checks.ErrTooLarge, ...).
func (e *SSHDConfigError) Unwrap() error { return e.Err }

// sshdFileError describes a file that could not be read without repeating
// the path that the PathError already carries.
func sshdFileError(name string, err error) error {
	msg := err.Error()
	var pe *fs.PathError
	if errors.As(err, &pe) {
		msg = pe.Op + ": " + pe.Err.Error()
	}
	return &SSHDConfigError{File: name, Msg: msg, Err: err}
}

// Collect implements Collector.
func (s SSHD) Collect(ctx context.Context, t Target) (any, error) {
	name := s.ConfigPath
	if name == "" {
		name = SSHDConfigPath
	}
	facts := &SSHDFacts{
		ConfigPath: name,
		Files:      []string{},
		Config:     SSHDConfig{},
		Sources:    map[string]SSHDLocation{},
		Match:      []SSHDMatch{},
		MatchLines: []SSHDMatchLine{},
		FirstPass:  SSHDSettings{Config: SSHDConfig{}, Sources: map[string]SSHDLocation{}},
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	data, err := ReadFile(t.Fs, name, MaxConfigSize)
	if errors.Is(err, fs.ErrNotExist) {
		return facts, nil
	}
	if err != nil {
		return nil, sshdFileError(name, err)
	}
	facts.Exists = true
	p := &sshdParser{ctx: ctx, fs: t.Fs, global: newSSHDScope(), seen: map[string]bool{}}
	p.addFile(name)
	if err := p.parseFile(name, data, sshdFileState{active: true, parent: -1}); err != nil {
		return nil, err
	}
	if err := p.finish(facts); err != nil {
		return nil, err
	}
	if err := p.sshdExtra(facts); err != nil {
		return nil, err
	}
	return facts, nil
}

// sshdScope holds the keywords set in one scope: the global configuration
// or one Match block.
type sshdScope struct {
	values  map[string]any
	sources map[string]SSHDLocation
}

func newSSHDScope() *sshdScope {
	return &sshdScope{values: map[string]any{}, sources: map[string]SSHDLocation{}}
}

func (sc *sshdScope) apply(kw *sshdKeyword, v any, loc SSHDLocation) error {
	switch kw.merge {
	case sshdFirst:
		if _, set := sc.values[kw.name]; !set {
			sc.values[kw.name] = v
			sc.sources[kw.name] = loc
		}
	case sshdLast:
		sc.values[kw.name] = v
		sc.sources[kw.name] = loc
	case sshdAppend:
		add := v.([]string)
		if len(add) == 0 {
			return nil
		}
		old, _ := sc.values[kw.name].([]string)
		if old == nil {
			sc.sources[kw.name] = loc
		}
		sc.values[kw.name] = append(old, add...)
	case sshdCustom:
		return kw.mergeFn(sc, v, loc)
	}
	return nil
}

// render returns the scope's keywords in their final form; keywords sshd
// -T never prints (DebianBanner) are dropped.
func (sc *sshdScope) render(block bool) (SSHDConfig, map[string]SSHDLocation, error) {
	cfg := make(SSHDConfig, len(sc.values))
	src := make(map[string]SSHDLocation, len(sc.values))
	for name, v := range sc.values {
		if _, printed := sshdDefaults[name]; !printed {
			continue
		}
		fin := sshdKeywords[name].finish
		if block && sshdKeywords[name].blockFinish != nil {
			fin = sshdKeywords[name].blockFinish
		}
		if fin != nil {
			var err error
			if v, err = fin(v); err != nil {
				loc := sc.sources[name]
				return nil, nil, &SSHDConfigError{File: loc.File, Line: loc.Line, Msg: fmt.Sprintf("%s: %v", name, err)}
			}
		}
		if l, ok := v.([]string); ok {
			v = append([]string{}, l...)
		}
		cfg[name] = v
		src[name] = sc.sources[name]
	}
	return cfg, src, nil
}

// sshdBlock is a Match block being parsed.
type sshdBlock struct {
	criteria []SSHDCriterion
	loc      SSHDLocation
	scope    *sshdScope
	index    int // in sshdParser.blocks
	parent   int // see SSHDMatch.Parent
}

// sshdFileState is sshd's parsing state within one file: an Included file
// starts in its includer's state, and its Match lines never change the
// includer's.
type sshdFileState struct {
	// block receives the lines, nil outside any Match block.
	block *sshdBlock
	// active is sshd's activep at startup: the lines set the global
	// configuration (outside Match, or in a "Match all" block).
	active bool
	// neverMatch is SSHCFG_NEVERMATCH: the file was included from an
	// inactive block, so even "Match all" stays inactive.
	neverMatch bool
	// parent is the block the Include that read this file stands in, -1
	// for the main file or an Include outside any block.
	parent int
	depth  int
}

// sshdParser reads one configuration and its Includes.
type sshdParser struct {
	ctx    context.Context
	fs     afero.Fs
	global *sshdScope
	blocks []*sshdBlock
	// lines are the SSHDFacts.MatchLines.
	lines []SSHDMatchLine
	files []string
	seen  map[string]bool
	reads int // files parsed, repeats included

	passwd   []sshdPasswd
	passwdOK bool
	services map[string]int
}

func (p *sshdParser) addFile(name string) {
	if !p.seen[name] {
		p.seen[name] = true
		p.files = append(p.files, name)
	}
}

func (p *sshdParser) parseFile(name string, data []byte, st sshdFileState) error {
	if i := bytes.IndexByte(data, 0); i >= 0 {
		line := bytes.Count(data[:i], []byte("\n")) + 1
		return &SSHDConfigError{File: name, Line: line, Msg: "NUL byte in configuration"}
	}
	text := string(data)
	for n := 1; ; n++ {
		raw, rest, more := strings.Cut(text, "\n")
		if err := p.parseLine(SSHDLocation{File: name, Line: n}, raw, &st); err != nil {
			return err
		}
		if !more {
			return nil
		}
		text = rest
	}
}

// parseLine is process_server_config_line_depth at startup.
func (p *sshdParser) parseLine(loc SSHDLocation, raw string, st *sshdFileState) error {
	line := strings.TrimLeft(raw, " \t\r")
	end := len(line)
	for end > 1 && strings.IndexByte(" \t\r\n\f", line[end-1]) >= 0 {
		end--
	}
	line = line[:end]

	kw, kwOK, rest, restOK := sshdStrdelim(line, true)
	if kwOK && kw == "" {
		kw, kwOK, rest, restOK = sshdStrdelim(rest, restOK)
	}
	if !kwOK || kw == "" || kw[0] == '#' {
		return nil
	}
	errorf := func(format string, a ...any) error {
		return &SSHDConfigError{File: loc.File, Line: loc.Line, Msg: fmt.Sprintf(format, a...)}
	}
	sp, known := sshdSpellings[strings.ToLower(kw)]
	if !known {
		return errorf("unknown keyword %q", kw)
	}
	if !restOK || rest == "" {
		return errorf("no argument after keyword %q", kw)
	}
	args, ok := sshdArgvSplit(rest)
	if !ok {
		return errorf("%s: invalid quotes", kw)
	}
	if !st.active && sp.globalOnly {
		return errorf("%s is not allowed within a Match block", kw)
	}
	l := &sshdLine{p: p, loc: loc, kw: kw, args: args, rest: rest, active: st.active}
	switch {
	case sp.matchOrIncl == "match":
		return p.match(l, st)
	case sp.matchOrIncl == "include":
		return p.include(l, st)
	case sp.ignoredWhy != "":
		return nil
	}
	v, err := sp.kw.parse(l)
	if err != nil || v == nil {
		return err
	}
	if st.block != nil {
		if err := st.block.scope.apply(sp.kw, v, loc); err != nil {
			return err
		}
		// Global-only keywords (allowed in an active "Match all") are
		// not copied to a connection's options, so they need no replay.
		if sp.kw.matchable {
			p.lines = append(p.lines, SSHDMatchLine{Block: st.block.index, Keyword: sp.kw.name, Value: v, File: loc.File, Line: loc.Line})
		}
	} else if sp.kw.name == "authenticationmethods" {
		p.lines = append(p.lines, SSHDMatchLine{Block: -1, Keyword: sp.kw.name, Value: v, File: loc.File, Line: loc.Line})
	}
	if !st.active {
		return nil
	}
	return p.global.apply(sp.kw, v, loc)
}

// match starts a Match block. At startup sshd knows no connection, so
// every criterion but "all" fails: only "Match all" blocks (outside
// never-match Includes) feed the global configuration, as sshd -T shows.
func (p *sshdParser) match(l *sshdLine, st *sshdFileState) error {
	crit, all, err := sshdParseMatch(l.rest, p.a2port)
	if err != nil {
		return l.errorf("Match: %v", err)
	}
	blk := &sshdBlock{criteria: crit, loc: l.loc, scope: newSSHDScope(), index: len(p.blocks), parent: st.parent}
	p.blocks = append(p.blocks, blk)
	st.block = blk
	st.active = all && !st.neverMatch
	return nil
}

// sshdParseMatch is match_cfg_line without a connection: it validates the
// criteria and reports whether the line is "Match all". a2port resolves
// LocalPort, which sshd accepts as a number or a service name.
func sshdParseMatch(s string, a2port func(string) (int, bool)) ([]SSHDCriterion, bool, error) {
	var crit []SSHDCriterion
	cp, cpOK := s, true
	for {
		attrib, ok, rest, restOK := sshdStrdelim(cp, cpOK)
		if !ok || attrib == "" {
			break
		}
		cp, cpOK = rest, restOK
		if attrib[0] == '#' {
			break
		}
		typ := strings.ToLower(attrib)
		if typ == "all" {
			arg, argOK, _, _ := sshdStrdelim(cp, cpOK)
			if len(crit) > 0 || argOK && arg != "" && arg[0] != '#' {
				return nil, false, fmt.Errorf("'all' cannot be combined with other Match attributes")
			}
			return []SSHDCriterion{{Type: "all", Patterns: []string{}}}, true, nil
		}
		arg, argOK, rest, restOK := sshdStrdelim(cp, cpOK)
		if !argOK || arg == "" || arg[0] == '#' {
			return nil, false, fmt.Errorf("missing criteria for %s", attrib)
		}
		cp, cpOK = rest, restOK
		switch typ {
		case "user", "group", "host", "rdomain":
		case "address", "localaddress":
			if !sshdAddrListValid(arg) {
				return nil, false, fmt.Errorf("invalid %s argument %q", attrib, arg)
			}
		case "localport":
			// One port only: sshd has no port lists here ("TODO support
			// port lists" in servconf.c).
			n, ok := a2port(arg)
			if !ok {
				return nil, false, fmt.Errorf("invalid LocalPort %q", arg)
			}
			crit = append(crit, SSHDCriterion{Type: typ, Patterns: []string{strconv.Itoa(n)}})
			continue
		default:
			return nil, false, fmt.Errorf("unsupported attribute %q", attrib)
		}
		crit = append(crit, SSHDCriterion{Type: typ, Patterns: strings.Split(arg, ",")})
	}
	if len(crit) == 0 {
		return nil, false, fmt.Errorf("one or more attributes required")
	}
	return crit, false, nil
}

// include reads the files an Include line names. Their lines go where the
// Include line's would: into the current Match block, and into the global
// configuration only while that is active.
func (p *sshdParser) include(l *sshdLine, st *sshdFileState) error {
	if len(l.args) == 0 {
		return l.errorf("Include: missing filename argument")
	}
	for _, a := range l.args {
		if a == "" {
			return l.errorf("Include: empty argument")
		}
		pattern := a
		switch {
		case strings.HasPrefix(a, "/"):
		case strings.HasPrefix(a, "~"):
			// sshd leaves "~" to glob(3), which does not expand it: the
			// path is relative to sshd's working directory, "/".
			pattern = "/" + a
		default:
			pattern = sshdDir + "/" + a
		}
		matches, err := p.glob(pattern)
		if err != nil {
			return l.errorf("Include %s: %v", a, err)
		}
		for _, m := range matches {
			if err := p.ctx.Err(); err != nil {
				return err
			}
			if p.reads++; p.reads > sshdMaxFileReads {
				return l.errorf("Include %s: more than %d included files", a, sshdMaxFileReads)
			}
			if st.depth+1 > sshdMaxIncludeDepth {
				return l.errorf("Include %s: too many nested includes (limit %d)", m, sshdMaxIncludeDepth)
			}
			// sshd reads a directory as an empty file.
			if fi, err := p.fs.Stat(m); err == nil && fi.IsDir() {
				continue
			}
			data, err := ReadFile(p.fs, m, MaxConfigSize)
			if err != nil {
				return sshdFileError(m, err)
			}
			p.addFile(m)
			parent := -1
			if st.block != nil {
				parent = st.block.index
			}
			sub := sshdFileState{block: st.block, active: st.active, neverMatch: !st.active, parent: parent, depth: st.depth + 1}
			if err := p.parseFile(m, data, sub); err != nil {
				return err
			}
		}
	}
	return nil
}

// glob is glob(3) with no flags, over the scanned root: patterns match
// one path component each, a leading "." must be matched explicitly, a
// pattern matching nothing is no error, and the result is sorted.
func (p *sshdParser) glob(pattern string) ([]string, error) {
	var comps []string
	for _, c := range strings.Split(pattern, "/") {
		if c != "" {
			comps = append(comps, c)
		}
	}
	cur := []string{""}
	for _, c := range comps {
		var next []string
		if !strings.ContainsAny(c, "*?[") {
			// Without wildcards glob(3) only removes backslash escapes.
			c = sshdUnescape(c)
			for _, d := range cur {
				next = append(next, d+"/"+c)
			}
			cur = next
			continue
		}
		for _, d := range cur {
			dir := d
			if dir == "" {
				dir = "/"
			}
			fi, err := p.fs.Stat(dir)
			if sshdMissing(err) || err == nil && !fi.IsDir() {
				continue
			}
			if err != nil {
				return nil, err
			}
			entries, err := afero.ReadDir(p.fs, dir)
			if err != nil {
				return nil, err
			}
			for _, e := range entries {
				n := e.Name()
				if strings.HasPrefix(n, ".") && !strings.HasPrefix(c, ".") {
					continue
				}
				if sshdFnmatch(c, n) {
					next = append(next, d+"/"+n)
				}
			}
		}
		cur = next
	}
	var out []string
	for _, m := range cur {
		if m == "" {
			m = "/"
		}
		if _, err := p.lstat(m); sshdMissing(err) {
			continue
		} else if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	sort.Strings(out)
	return out, nil
}

func (p *sshdParser) lstat(name string) (fs.FileInfo, error) {
	if l, ok := p.fs.(afero.Lstater); ok {
		fi, _, err := l.LstatIfPossible(name)
		return fi, err
	}
	return p.fs.Stat(name)
}

// sshdMissing reports errors glob(3) treats as "no match".
func sshdMissing(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}

// sshdUnescape removes glob(3) backslash escapes ("\x" is "x"); a
// trailing backslash escaped the "/" the component was split at.
func sshdUnescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			if i++; i == len(s) {
				break
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// sshdFnmatch matches one path component against a glob(3) pattern
// ("[!...]" negates, "\" escapes); a malformed pattern matches nothing.
func sshdFnmatch(pattern, name string) bool {
	pattern = strings.ReplaceAll(pattern, "[!", "[^")
	ok, err := path.Match(pattern, name)
	return err == nil && ok
}

// finish fills in defaults, derives what sshd derives and renders the
// facts.
func (p *sshdParser) finish(f *SSHDFacts) error {
	if err := p.startupChecks(); err != nil {
		return err
	}
	// "ChannelTimeout none" clears the list, which sshd -T then omits; it
	// does so before applying "Match all", whose "none" it prints.
	if p.global.values["channeltimeout"] == "none" {
		p.global.values["channeltimeout"] = ""
	}
	g, src, err := p.global.render(false)
	if err != nil {
		return err
	}
	cfg := make(SSHDConfig, len(sshdDefaults))
	for name, def := range sshdDefaults {
		if l, ok := def.([]string); ok {
			def = append([]string{}, l...)
		}
		cfg[name] = def
	}
	for name, v := range g {
		cfg[name] = v
	}
	la, err := p.listenAddresses(cfg["port"].([]string), cfg["addressfamily"].(string))
	if err != nil {
		return err
	}
	cfg["listenaddress"] = la
	if len(cfg["hostkey"].([]string)) == 0 {
		cfg["hostkey"] = append([]string{}, sshdDefaultHostKeys...)
	}
	f.Files = append([]string{}, p.files...)
	for _, b := range p.blocks {
		bc, bs, err := b.scope.render(true)
		if err != nil {
			return err
		}
		f.Match = append(f.Match, SSHDMatch{Criteria: b.criteria, Parent: b.parent, File: b.loc.File, Line: b.loc.Line, Config: bc, Sources: bs})
	}
	f.MatchLines = append(f.MatchLines, p.lines...)
	// sshd -T re-reads the configuration for a connection that matches
	// nothing but "Match all" and copies what that sets over the first
	// pass: the same computation as for any connection, with no LocalPort
	// (sshd -T alone dies on "Match LocalPort"; sshd itself runs, so here
	// the criterion just does not match).
	active, err := sshdActiveBlocks(f.Match, SSHDConnection{}, false)
	if err != nil {
		return err
	}
	mo, err := sshdReplay(f.MatchLines, active)
	if err != nil {
		return err
	}
	f.Config, f.Sources, f.FirstPass, err = sshdOverlay(cfg, src, mo)
	return err
}

// startupChecks are the checks sshd's main() makes on the global options
// before it starts (and before sshd -T prints anything): a configuration
// that fails them never runs, so the facts would describe nothing.
func (p *sshdParser) startupChecks() error {
	get := func(name string) (string, SSHDLocation) {
		if v, ok := p.global.values[name].(string); ok {
			return v, p.global.sources[name]
		}
		return sshdDefaults[name].(string), SSHDLocation{}
	}
	for _, c := range []struct{ cmd, user, what string }{
		{"authorizedkeyscommand", "authorizedkeyscommanduser", "AuthorizedKeysCommand set without AuthorizedKeysCommandUser"},
		{"authorizedprincipalscommand", "authorizedprincipalscommanduser", "AuthorizedPrincipalsCommand set without AuthorizedPrincipalsCommandUser"},
	} {
		cmd, loc := get(c.cmd)
		if _, userSet := p.global.values[c.user]; !userSet && !strings.EqualFold(cmd, "none") {
			return &SSHDConfigError{File: loc.File, Line: loc.Line, Msg: c.what}
		}
	}
	methods, loc := get("authenticationmethods")
	if methods == "any" {
		return nil
	}
	enabled := map[string]bool{"none": true}
	for method, kw := range map[string]string{
		"publickey": "pubkeyauthentication", "password": "passwordauthentication",
		"keyboard-interactive": "kbdinteractiveauthentication", "hostbased": "hostbasedauthentication",
		"gssapi-with-mic": "gssapiauthentication", "gssapi-keyex": "gssapikeyexchange",
	} {
		v, _ := get(kw)
		enabled[method] = v == "yes"
	}
	for _, list := range strings.Fields(methods) {
		ok := true
		for _, m := range strings.Split(list, ",") {
			name, _, _ := strings.Cut(m, ":")
			ok = ok && enabled[name]
		}
		if ok {
			return nil
		}
	}
	return &SSHDConfigError{File: loc.File, Line: loc.Line,
		Msg: fmt.Sprintf("AuthenticationMethods %q cannot be satisfied by enabled authentication methods", methods)}
}

// listenAddresses derives sshd -T's listenaddress lines: each ListenAddress
// (or, without any, the wildcard address) for its own port or every Port,
// grouped by routing domain in order of first use. A wildcard with
// AddressFamily any prints "[::]" before "0.0.0.0" because sshd stacks
// getaddrinfo's results and prints them reversed.
func (p *sshdParser) listenAddresses(ports []string, family string) ([]string, error) {
	type group struct {
		rdomain string
		lines   []string
	}
	var groups []*group
	add := func(rdomain string, lines ...string) {
		for _, g := range groups {
			if g.rdomain == rdomain {
				g.lines = append(g.lines, lines...)
				return
			}
		}
		groups = append(groups, &group{rdomain: rdomain, lines: lines})
	}
	portNums := make([]int, len(ports))
	for i, s := range ports {
		portNums[i], _ = strconv.Atoi(s)
	}
	st, _ := p.global.values["listenaddress"].(*sshdListenState)
	if st == nil {
		for _, port := range portNums {
			switch family {
			case "inet":
				add("", fmt.Sprintf("0.0.0.0:%d", port))
			case "inet6":
				add("", fmt.Sprintf("[::]:%d", port))
			default:
				add("", fmt.Sprintf("[::]:%d", port), fmt.Sprintf("0.0.0.0:%d", port))
			}
		}
	} else {
		for i, e := range st.entries {
			addr, err := sshdFormatAddr(e.addr, family)
			if err != nil {
				loc := st.locs[i]
				return nil, &SSHDConfigError{File: loc.File, Line: loc.Line, Msg: "ListenAddress: " + err.Error()}
			}
			suffix := ""
			if e.rdomain != "" {
				suffix = " rdomain " + e.rdomain
			}
			use := portNums
			if e.port > 0 {
				use = []int{e.port}
			}
			for _, port := range use {
				add(e.rdomain, fmt.Sprintf("%s:%d%s", addr, port, suffix))
			}
		}
	}
	out := []string{}
	for _, g := range groups {
		out = append(out, g.lines...)
	}
	return out, nil
}

// sshdStrdelim is misc.c's strdelim (see sshdtok.Strdelim).
func sshdStrdelim(s string, valid bool) (tok string, tokOK bool, rest string, restOK bool) {
	return sshdtok.Strdelim(s, valid)
}

// sshdArgvSplit is misc.c's argv_split with comments ending the line (see
// sshdtok.ArgvSplit).
func sshdArgvSplit(s string) (args []string, ok bool) {
	args, _, ok = sshdtok.ArgvSplit(s)
	return args, ok
}

// sshdA2portNumeric is a2port without the services database.
func sshdA2portNumeric(s string) (int, bool) {
	n, err := sshdStrtonum(s, 0, 65535)
	return int(n), err == nil
}

// a2port is misc.c's a2port: a number from 0 to 65535, or a TCP service
// name from the scanned root's /etc/services.
func (p *sshdParser) a2port(s string) (int, bool) {
	if n, ok := sshdA2portNumeric(s); ok {
		return n, true
	}
	if p.services == nil {
		p.services = map[string]int{}
		data, err := ReadFile(p.fs, "/etc/services", MaxConfigSize)
		if err == nil {
			for _, line := range strings.Split(string(data), "\n") {
				line, _, _ = strings.Cut(line, "#")
				f := strings.Fields(line)
				if len(f) < 2 {
					continue
				}
				num, proto, ok := strings.Cut(f[1], "/")
				port, err := strconv.Atoi(num)
				if !ok || proto != "tcp" || err != nil {
					continue
				}
				for _, n := range append([]string{f[0]}, f[2:]...) {
					if _, dup := p.services[n]; !dup {
						p.services[n] = port
					}
				}
			}
		}
	}
	n, ok := p.services[s]
	return n, ok
}

// sshdPasswd is one /etc/passwd entry, for "~" expansion.
type sshdPasswd struct {
	name, uid, home string
}

// home returns the home directory of user, or of uid 0 when user is
// empty, from the scanned root's /etc/passwd (first match, like getpw*).
func (p *sshdParser) home(user string) (string, error) {
	if !p.passwdOK {
		data, err := ReadFile(p.fs, "/etc/passwd", MaxConfigSize)
		if errors.Is(err, fs.ErrNotExist) {
			return "", errors.New("no /etc/passwd in the root")
		}
		if err != nil {
			return "", err
		}
		for _, line := range strings.Split(string(data), "\n") {
			f := strings.Split(line, ":")
			if len(f) >= 6 {
				p.passwd = append(p.passwd, sshdPasswd{name: f[0], uid: f[2], home: f[5]})
			}
		}
		p.passwdOK = true
	}
	for _, e := range p.passwd {
		if user == "" && e.uid == "0" || user != "" && e.name == user {
			return e.home, nil
		}
	}
	if user == "" {
		return "", fmt.Errorf("no user with uid 0 in /etc/passwd")
	}
	return "", fmt.Errorf("no such user %q", user)
}
