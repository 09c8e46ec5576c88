package checks

import (
	"context"
	"fmt"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/spf13/afero"
)

// Logging collects the configuration of the system loggers: systemd-journald
// (journald.conf and its drop-ins), systemd-journal-upload (which sends the
// journal off the host) and rsyslog (rsyslog.conf and the files it
// includes), plus whether logrotate is configured.
type Logging struct{}

// LoggingFacts is the facts of the logging collector
// (docs/facts/logging.md).
type LoggingFacts struct {
	// Journald is the [Journal] section of journald.conf and its drop-ins.
	Journald SystemdConfFacts `json:"journald"`
	// JournalUpload is the [Upload] section of journal-upload.conf and its
	// drop-ins (systemd-journal-upload, package systemd-journal-remote).
	JournalUpload SystemdConfFacts `json:"journal_upload"`
	// Rsyslog is rsyslog's configuration.
	Rsyslog RsyslogFacts `json:"rsyslog"`
	// Logrotate says whether /etc/logrotate.conf exists.
	Logrotate LoggingFile `json:"logrotate"`
}

// LoggingFile is a path and whether a regular file is there.
type LoggingFile struct {
	Path   string `json:"path"`
	Exists bool   `json:"exists"`
}

// SystemdConfFacts is one section of a systemd daemon's configuration file
// with its drop-ins, merged as systemd merges them.
type SystemdConfFacts struct {
	// Settings maps each key of the section (case as written: systemd keys
	// are case-sensitive) to the assignment in effect: the last one in the
	// order the files are read.
	Settings map[string]ConfSetting `json:"settings"`
	// Files are the files read, in order: the main file, then the drop-ins
	// sorted by file name.
	Files []string `json:"files"`
	// Masked are drop-ins (and a main file) that are symlinks to /dev/null
	// or empty, and so read as nothing.
	Masked []string `json:"masked"`
	// Warnings are the lines systemd would ignore with a warning
	// ("file:line: why").
	Warnings []string `json:"warnings"`
}

// ConfSetting is one value with where it was set.
type ConfSetting struct {
	Value string `json:"value"`
	File  string `json:"file"`
	Line  int    `json:"line"`
}

// loggingConfDirs are where systemd looks for a daemon's configuration, in
// precedence order (CONF_PATHS): for the same drop-in file name the first
// wins.
var loggingConfDirs = []string{"/etc/systemd", "/run/systemd", "/usr/local/lib/systemd", "/usr/lib/systemd"}

// loggingMaxDropIns bounds the drop-ins read for one configuration.
const loggingMaxDropIns = 1000

// Name implements Collector.
func (Logging) Name() string { return "logging" }

// Collect implements Collector. Missing files are facts; a file that cannot
// be read or that its daemon would reject is an error naming file and line.
func (Logging) Collect(ctx context.Context, t Target) (any, error) {
	facts := &LoggingFacts{}
	var err error
	if facts.Journald, err = readSystemdConf(ctx, t.Fs, "journald.conf", "Journal"); err != nil {
		return nil, err
	}
	if facts.JournalUpload, err = readSystemdConf(ctx, t.Fs, "journal-upload.conf", "Upload"); err != nil {
		return nil, err
	}
	if facts.Rsyslog, err = readRsyslog(ctx, t.Fs, rsyslogConf); err != nil {
		return nil, err
	}
	facts.Logrotate = LoggingFile{Path: "/etc/logrotate.conf"}
	if fi, err := t.Fs.Stat(facts.Logrotate.Path); err == nil {
		facts.Logrotate.Exists = fi.Mode().IsRegular()
	} else if !hostMissing(err) {
		return nil, fmt.Errorf("logging: %w", err)
	}
	return facts, nil
}

// readSystemdConf reads systemd/<name> the way systemd daemons and
// `systemd-analyze cat-config systemd/<name>` do: the main file from the
// first directory of loggingConfDirs that has it, then every
// <name>.d/*.conf drop-in of all those directories sorted by file name,
// where a drop-in in an earlier directory hides one of the same name in a
// later one. A symlink to /dev/null or an empty file masks. Only the given
// section's keys are kept.
func readSystemdConf(ctx context.Context, fsys afero.Fs, name, section string) (SystemdConfFacts, error) {
	out := SystemdConfFacts{Settings: map[string]ConfSetting{}, Files: []string{}, Masked: []string{}, Warnings: []string{}}
	var files []string
	for _, dir := range loggingConfDirs {
		p := dir + "/" + name
		kind, err := loggingConfEntry(fsys, p)
		if err != nil {
			return out, err
		}
		if kind == "" {
			continue
		}
		files = append(files, p)
		break
	}
	dropins := map[string]string{} // file name -> path of the one in effect
	for _, dir := range loggingConfDirs {
		d := dir + "/" + name + ".d"
		entries, err := afero.ReadDir(fsys, d)
		if hostMissing(err) {
			continue
		}
		if err != nil {
			return out, fmt.Errorf("logging: %w", err)
		}
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".conf") || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			if _, seen := dropins[e.Name()]; !seen {
				dropins[e.Name()] = d + "/" + e.Name()
			}
			if len(dropins) > loggingMaxDropIns {
				return out, fmt.Errorf("logging: more than %d drop-ins for %s", loggingMaxDropIns, name)
			}
		}
	}
	names := make([]string, 0, len(dropins))
	for n := range dropins {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		files = append(files, dropins[n])
	}
	for _, p := range files {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		kind, err := loggingConfEntry(fsys, p)
		if err != nil {
			return out, err
		}
		switch kind {
		case "":
			continue // a dangling link or a directory: nothing to read
		case "masked":
			out.Masked = append(out.Masked, p)
			continue
		}
		data, err := ReadFile(fsys, p, MaxConfigSize)
		if err != nil {
			return out, fmt.Errorf("logging: %w", err)
		}
		out.Files = append(out.Files, p)
		if err := parseSystemdConf(p, data, section, &out); err != nil {
			return out, err
		}
	}
	return out, nil
}

// loggingConfEntry classifies a configuration path: "" when there is no
// readable file there (missing, a directory, a dangling link), "masked" for
// a symlink to /dev/null or an empty file (systemd's null_or_empty), "file"
// otherwise.
func loggingConfEntry(fsys afero.Fs, p string) (string, error) {
	li, err := lstat(fsys, p)
	if hostMissing(err) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("logging: %w", err)
	}
	if li.Mode()&os.ModeSymlink != 0 {
		if lr, ok := fsys.(afero.LinkReader); ok {
			target, err := lr.ReadlinkIfPossible(p)
			if err != nil {
				return "", fmt.Errorf("logging: %w", err)
			}
			if path.Clean(target) == "/dev/null" {
				return "masked", nil
			}
		}
	}
	fi, err := fsys.Stat(p)
	if hostMissing(err) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("logging: %w", err)
	}
	switch {
	case fi.Mode()&os.ModeCharDevice != 0:
		return "masked", nil // /dev/null itself
	case !fi.Mode().IsRegular():
		return "", nil
	case fi.Size() == 0:
		return "masked", nil
	}
	return "file", nil
}

// parseSystemdConf parses one file of systemd's INI-like syntax
// (systemd.syntax(7)) and stores the assignments of section into settings,
// later ones replacing earlier ones. Lines starting with # or ; are
// comments; a line ending in a backslash continues on the next one (the
// backslash becomes a space, and comment lines in between are skipped).
// Lines systemd ignores with a warning (no "=", no key, outside any
// section) are ignored and listed in Warnings; a malformed section header,
// which makes systemd reject the file, is an error.
func parseSystemdConf(file string, data []byte, section string, out *SystemdConfFacts) error {
	warn := func(line int, msg string) {
		out.Warnings = append(out.Warnings, fmt.Sprintf("%s:%d: %s", file, line, msg))
	}
	lines := strings.Split(string(data), "\n")
	comment := func(l string) bool {
		t := strings.TrimSpace(l)
		return t != "" && (t[0] == '#' || t[0] == ';')
	}
	current := ""
	for i := 0; i < len(lines); i++ {
		start := i + 1
		line := strings.TrimSuffix(lines[i], "\r")
		if strings.TrimSpace(line) == "" || comment(line) {
			continue
		}
		for strings.HasSuffix(line, `\`) && i+1 < len(lines) {
			line = strings.TrimSuffix(line, `\`) + " "
			i++
			for comment(lines[i]) && i+1 < len(lines) {
				i++
			}
			if next := strings.TrimSuffix(lines[i], "\r"); !comment(next) {
				line += next
			}
		}
		line = strings.TrimSuffix(line, `\`)
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "[") {
			if !strings.HasSuffix(t, "]") || len(t) < 3 {
				return fmt.Errorf("logging: %s:%d: invalid section header %q", file, start, t)
			}
			current = t[1 : len(t)-1]
			continue
		}
		eq := strings.IndexByte(t, '=')
		switch {
		case eq < 0:
			warn(start, "missing '=', line ignored")
			continue
		case current == "":
			warn(start, "assignment outside of any section, ignored")
			continue
		case strings.TrimSpace(t[:eq]) == "":
			warn(start, "missing key name before '=', line ignored")
			continue
		case current != section:
			continue
		}
		key := strings.TrimSpace(t[:eq])
		out.Settings[key] = ConfSetting{Value: strings.TrimSpace(t[eq+1:]), File: file, Line: start}
	}
	return nil
}

// rsyslogConf is rsyslog's main configuration file.
const rsyslogConf = "/etc/rsyslog.conf"

// Bounds for a hostile configuration: include nesting and files read.
const (
	rsyslogMaxDepth = 16
	rsyslogMaxFiles = 1000
)

// RsyslogFacts is rsyslog's configuration: the main file and everything it
// includes, in the order rsyslog reads it (an include is read where it
// stands).
type RsyslogFacts struct {
	Path   string `json:"path"`
	Exists bool   `json:"exists"`
	// Files are the files read, in order.
	Files []string `json:"files"`
	// Includes are the $IncludeConfig directives and include() objects.
	Includes []RsyslogInclude `json:"includes"`
	// Directives are the legacy "$Name value" lines, name as written
	// ("$FileCreateMode"); rsyslog compares names case-insensitively.
	Directives []RsyslogDirective `json:"directives"`
	// Modules are the modules loaded, by module(load=...) or $ModLoad.
	Modules []RsyslogModule `json:"modules"`
	// Inputs are the input() objects and the legacy inputs
	// ($InputTCPServerRun, $UDPServerRun, ...).
	Inputs []RsyslogInput `json:"inputs"`
	// Actions are the actions with the filter that selects their messages.
	Actions []RsyslogAction `json:"actions"`
}

// RsyslogInclude is one include.
type RsyslogInclude struct {
	// Pattern is the file, glob or directory (ending in "/") included.
	Pattern string `json:"pattern"`
	// Mode is include()'s mode parameter as written ("optional",
	// "required", "abort-if-missing"), "" when not given or for
	// $IncludeConfig.
	Mode string `json:"mode"`
	// Matched are the files the pattern named that were read, sorted.
	Matched []string `json:"matched"`
	File    string   `json:"file"`
	Line    int      `json:"line"`
}

// RsyslogDirective is one legacy directive.
type RsyslogDirective struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	File  string `json:"file"`
	Line  int    `json:"line"`
}

// RsyslogModule is one loaded module.
type RsyslogModule struct {
	// Name is the module name without path or ".so" ("imtcp",
	// "builtin:omfile").
	Name string `json:"name"`
	// Params are the other parameters of module(), names lowercased.
	Params map[string]string `json:"params"`
	File   string            `json:"file"`
	Line   int               `json:"line"`
}

// RsyslogInput is one input.
type RsyslogInput struct {
	// Type is the input module ("imtcp", "imudp", "imrelp").
	Type string `json:"type"`
	// Port is the port parameter ("" when not given; comma-joined for an
	// array).
	Port   string            `json:"port"`
	Params map[string]string `json:"params"`
	File   string            `json:"file"`
	Line   int               `json:"line"`
}

// RsyslogAction is one action.
type RsyslogAction struct {
	// Selector is the filter in front of the action: a selector
	// ("auth,authpriv.*"), a property filter (":msg, contains, \"x\""), or
	// "if <expression>"; inside a ruleset it is prefixed by
	// "ruleset(<name>)". "" for an action with no filter.
	Selector string `json:"selector"`
	// Type is the output module: "omfile", "omfwd", "ompipe", "omusrmsg",
	// "omprog", "discard" (stop or ~), or the module named by
	// action(type=...) or :module: (omrelp, omelasticsearch, ...).
	Type string `json:"type"`
	// Target is the file, host, pipe or users written to.
	Target string `json:"target"`
	// Port and Protocol for forwarding actions ("tcp" or "udp" for omfwd).
	Port     string `json:"port,omitempty"`
	Protocol string `json:"protocol,omitempty"`
	// Template is the template name after ";" in a legacy action.
	Template string `json:"template,omitempty"`
	// Params are action()'s parameters, names lowercased.
	Params map[string]string `json:"params,omitempty"`
	File   string            `json:"file"`
	Line   int               `json:"line"`
}

// rsyslogObjects are RainerScript's configuration objects. Unknown names
// followed by "(" are errors.
var rsyslogObjects = map[string]bool{
	"action": true, "global": true, "input": true, "module": true, "include": true, "main_queue": true,
	"parser": true, "template": true, "property": true, "constant": true, "ruleset": true, "timezone": true,
	"lookup_table": true, "dyn_stats": true, "percentile_stats": true, "ratelimit": true,
	"reload_lookup_table": true,
}

// rsyslogLegacyInputs maps the legacy directives that start a listener to
// their input module.
var rsyslogLegacyInputs = map[string]string{
	"$inputtcpserverrun":  "imtcp",
	"$inputptcpserverrun": "imptcp",
	"$udpserverrun":       "imudp",
	"$inputudpserverrun":  "imudp",
	"$inputrelpserverrun": "imrelp",
	"$inputgssserverrun":  "imgssapi",
}

// readRsyslog reads the rsyslog configuration starting at main.
func readRsyslog(ctx context.Context, fsys afero.Fs, main string) (RsyslogFacts, error) {
	facts := RsyslogFacts{
		Path: main, Files: []string{}, Includes: []RsyslogInclude{}, Directives: []RsyslogDirective{},
		Modules: []RsyslogModule{}, Inputs: []RsyslogInput{}, Actions: []RsyslogAction{},
	}
	data, err := ReadFile(fsys, main, MaxConfigSize)
	if hostMissing(err) {
		return facts, nil
	}
	if err != nil {
		return facts, fmt.Errorf("logging: %w", err)
	}
	facts.Exists = true
	p := &rsysParser{ctx: ctx, fsys: fsys, facts: &facts}
	if err := p.file(main, data); err != nil {
		return facts, err
	}
	return facts, nil
}

// rsysParser reads rsyslog configuration files into facts.
type rsysParser struct {
	ctx     context.Context
	fsys    afero.Fs
	facts   *RsyslogFacts
	stack   []string // files being read, outermost first
	lastSel string   // the selector a "&" line continues
}

// rsysLex is a position in one file's text.
type rsysLex struct {
	src  string
	pos  int
	line int
	file string
}

func (l *rsysLex) errf(line int, format string, args ...any) error {
	return fmt.Errorf("logging: %s:%d: %s", l.file, line, fmt.Sprintf(format, args...))
}

func (l *rsysLex) eof() bool { return l.pos >= len(l.src) }

func (l *rsysLex) peek() byte {
	if l.eof() {
		return 0
	}
	return l.src[l.pos]
}

func (l *rsysLex) advance() {
	if l.src[l.pos] == '\n' {
		l.line++
	}
	l.pos++
}

// skip skips white space, newlines and comments (# to the end of the line,
// /* ... */).
func (l *rsysLex) skip() error {
	for !l.eof() {
		c := l.peek()
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			l.advance()
		case c == '#':
			for !l.eof() && l.peek() != '\n' {
				l.pos++
			}
		case c == '/' && strings.HasPrefix(l.src[l.pos:], "/*"):
			start := l.line
			end := strings.Index(l.src[l.pos+2:], "*/")
			if end < 0 {
				return l.errf(start, "unterminated /* comment")
			}
			for stop := l.pos + 2 + end + 2; l.pos < stop; {
				l.advance()
			}
		default:
			return nil
		}
	}
	return nil
}

// skipInline skips spaces and tabs.
func (l *rsysLex) skipInline() {
	for !l.eof() && (l.peek() == ' ' || l.peek() == '\t' || l.peek() == '\r') {
		l.pos++
	}
}

// restOfLine returns the rest of the line without its newline, and
// without a trailing comment that follows white space.
func (l *rsysLex) restOfLine() string {
	start := l.pos
	for !l.eof() && l.peek() != '\n' {
		l.pos++
	}
	s := l.src[start:l.pos]
	for i := 1; i < len(s); i++ {
		if s[i] == '#' && (s[i-1] == ' ' || s[i-1] == '\t') {
			s = s[:i]
			break
		}
	}
	return strings.TrimSpace(s)
}

func rsysWordChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-'
}

// peekWord returns the identifier at the position without consuming it.
func (l *rsysLex) peekWord() string {
	end := l.pos
	for end < len(l.src) && rsysWordChar(l.src[end]) {
		end++
	}
	return l.src[l.pos:end]
}

// nextNonSpace returns the first byte after the identifier w at the
// position that is not white space (newlines included), or 0.
func (l *rsysLex) after(w string) byte {
	for i := l.pos + len(w); i < len(l.src); i++ {
		switch l.src[i] {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return l.src[i]
	}
	return 0
}

// quoted reads a string in quote q (", ' or `) with backslash escapes and
// returns its value without quotes.
func (l *rsysLex) quoted() (string, error) {
	q := l.peek()
	start := l.line
	l.pos++
	var b strings.Builder
	for !l.eof() {
		c := l.peek()
		switch {
		case c == '\\' && q != '`' && l.pos+1 < len(l.src):
			l.pos++
			b.WriteByte(l.peek())
			l.advance()
		case c == q:
			l.pos++
			return b.String(), nil
		default:
			b.WriteByte(c)
			l.advance()
		}
	}
	return "", l.errf(start, "unterminated string")
}

// object reads name( param="value" ... ) and returns the parameters, names
// lowercased, array values comma-joined.
func (l *rsysLex) object(name string) (map[string]string, error) {
	start := l.line
	l.pos += len(name)
	if err := l.skip(); err != nil {
		return nil, err
	}
	if l.peek() != '(' {
		return nil, l.errf(start, "expected '(' after %s", name)
	}
	l.pos++
	params := map[string]string{}
	for {
		if err := l.skip(); err != nil {
			return nil, err
		}
		if l.eof() {
			return nil, l.errf(start, "unbalanced parentheses: %s( is not closed", name)
		}
		if l.peek() == ')' {
			l.pos++
			return params, nil
		}
		pline := l.line
		key := l.peekWord()
		if key == "" {
			return nil, l.errf(pline, "unexpected %q in %s()", string(l.peek()), name)
		}
		l.pos += len(key)
		if err := l.skip(); err != nil {
			return nil, err
		}
		if l.peek() != '=' {
			return nil, l.errf(pline, "parameter %s of %s() has no '='", key, name)
		}
		l.pos++
		if err := l.skip(); err != nil {
			return nil, err
		}
		var value string
		switch c := l.peek(); c {
		case '"', '\'', '`':
			v, err := l.quoted()
			if err != nil {
				return nil, err
			}
			if c == '`' {
				v = "`" + v + "`"
			}
			value = v
		case '[':
			l.pos++
			var items []string
			for {
				if err := l.skip(); err != nil {
					return nil, err
				}
				if l.eof() {
					return nil, l.errf(pline, "unbalanced brackets in parameter %s of %s()", key, name)
				}
				if l.peek() == ']' {
					l.pos++
					break
				}
				if l.peek() == ',' {
					l.pos++
					continue
				}
				if c := l.peek(); c != '"' && c != '\'' {
					return nil, l.errf(l.line, "expected a quoted string in parameter %s of %s()", key, name)
				}
				v, err := l.quoted()
				if err != nil {
					return nil, err
				}
				items = append(items, v)
			}
			value = strings.Join(items, ",")
		default:
			if l.eof() {
				return nil, l.errf(start, "unbalanced parentheses: %s( is not closed", name)
			}
			return nil, l.errf(pline, "parameter %s of %s() needs a quoted value", key, name)
		}
		params[strings.ToLower(key)] = value
	}
}

// file parses one configuration file.
func (p *rsysParser) file(name string, data []byte) error {
	if len(p.stack) >= rsyslogMaxDepth {
		return fmt.Errorf("logging: %s: includes nested more than %d deep", name, rsyslogMaxDepth)
	}
	for _, f := range p.stack {
		if f == name {
			return fmt.Errorf("logging: %s: included from itself (%s)", name, strings.Join(append(p.stack, name), " -> "))
		}
	}
	if len(p.facts.Files) >= rsyslogMaxFiles {
		return fmt.Errorf("logging: %s: more than %d rsyslog files", name, rsyslogMaxFiles)
	}
	p.facts.Files = append(p.facts.Files, name)
	p.stack = append(p.stack, name)
	defer func() { p.stack = p.stack[:len(p.stack)-1] }()
	l := &rsysLex{src: string(data), line: 1, file: name}
	return p.block(l, 0, 0, "")
}

// block parses statements up to the end of the file (depth 0) or the "}"
// closing a block opened at line open.
func (p *rsysParser) block(l *rsysLex, depth, open int, prefix string) error {
	for {
		if err := p.ctx.Err(); err != nil {
			return err
		}
		if err := l.skip(); err != nil {
			return err
		}
		if l.eof() {
			if depth > 0 {
				return l.errf(open, "unbalanced braces: { is not closed")
			}
			return nil
		}
		line := l.line
		switch c := l.peek(); {
		case c == '}':
			if depth == 0 {
				return l.errf(line, "unbalanced braces: } without {")
			}
			l.pos++
			return nil
		case c == '$':
			if err := p.directive(l); err != nil {
				return err
			}
		case c == '&':
			l.pos++
			l.skipInline()
			if err := p.action(l, p.lastSel, line, false); err != nil {
				return err
			}
		case c == ':':
			sel, err := l.propertyFilter()
			if err != nil {
				return err
			}
			p.lastSel = rsysJoin(prefix, sel)
			l.skipInline()
			if err := p.action(l, p.lastSel, line, false); err != nil {
				return err
			}
		default:
			if err := p.statement(l, depth, prefix); err != nil {
				return err
			}
		}
	}
}

func rsysJoin(prefix, sel string) string {
	if prefix == "" {
		return sel
	}
	if sel == "" {
		return prefix
	}
	return prefix + " " + sel
}

// statement parses a statement that starts with a word: a RainerScript
// statement or object, or a legacy selector line.
func (p *rsysParser) statement(l *rsysLex, depth int, prefix string) error {
	line := l.line
	w := l.peekWord()
	switch {
	case w == "if":
		return p.ifStatement(l, depth, prefix)
	case w == "set" || w == "unset" || w == "reset" || w == "call_indirect":
		for {
			if l.eof() {
				return l.errf(line, "%s statement without ';'", w)
			}
			switch l.peek() {
			case '"', '\'':
				if _, err := l.quoted(); err != nil {
					return err
				}
				continue
			case ';':
				l.pos++
				return nil
			}
			l.advance()
		}
	case w == "call":
		l.pos += len(w)
		l.skipInline()
		if l.peekWord() == "" {
			return l.errf(line, "call without a ruleset name")
		}
		l.pos += len(l.peekWord())
		return nil
	case w == "stop":
		l.pos += len(w)
		p.addAction(RsyslogAction{Selector: prefix, Type: "discard"}, l.file, line)
		return nil
	case w == "foreach":
		end := strings.Index(l.src[l.pos:], " do")
		if end < 0 {
			return l.errf(line, "foreach without do")
		}
		for stop := l.pos + end + 3; l.pos < stop; {
			l.advance()
		}
		return p.thenPart(l, depth, prefix, line)
	case w != "" && l.after(w) == '(':
		if !rsyslogObjects[strings.ToLower(w)] {
			return l.errf(line, "unknown object %s()", w)
		}
		return p.object(l, strings.ToLower(w), depth, prefix)
	}
	sel := l.selector()
	if !rsysValidSelector(sel) {
		return l.errf(line, "unknown statement %q", rsysShorten(sel+l.restOfLine()))
	}
	p.lastSel = rsysJoin(prefix, sel)
	l.skipInline()
	return p.action(l, p.lastSel, line, false)
}

// object handles a configuration object statement.
func (p *rsysParser) object(l *rsysLex, name string, depth int, prefix string) error {
	line := l.line
	params, err := l.object(l.peekWord())
	if err != nil {
		return err
	}
	enabled := true
	if v, ok := params["config.enabled"]; ok && !strings.HasPrefix(v, "`") && !strings.EqualFold(v, "on") {
		enabled = false
	}
	switch name {
	case "module":
		if enabled {
			p.facts.Modules = append(p.facts.Modules, RsyslogModule{Name: rsysModuleName(params["load"]), Params: rsysWithout(params, "load"), File: l.file, Line: line})
		}
	case "input":
		if enabled {
			p.facts.Inputs = append(p.facts.Inputs, RsyslogInput{Type: params["type"], Port: params["port"], Params: rsysWithout(params, "type"), File: l.file, Line: line})
		}
	case "action":
		if enabled {
			p.addAction(rsysObjectAction(prefix, params), l.file, line)
		}
	case "include":
		if !enabled {
			return nil
		}
		if text, ok := params["text"]; ok {
			sub := &rsysLex{src: text, line: 1, file: fmt.Sprintf("%s:%d(include text)", l.file, line)}
			return p.block(sub, 0, 0, prefix)
		}
		return p.include(l, params["file"], params["mode"], line)
	case "ruleset":
		if err := l.skip(); err != nil {
			return err
		}
		if l.peek() != '{' {
			return nil // a ruleset() without a body (parameters only)
		}
		open := l.line
		l.pos++
		return p.block(l, depth+1, open, rsysJoin(prefix, "ruleset("+params["name"]+")"))
	case "template":
		// A list template has a body of property() and constant() objects.
		if err := l.skip(); err != nil {
			return err
		}
		if l.peek() == '{' {
			open := l.line
			l.pos++
			return p.skipBlock(l, open)
		}
	}
	return nil
}

// skipBlock skips a { ... } template body, respecting quotes.
func (p *rsysParser) skipBlock(l *rsysLex, open int) error {
	for {
		if err := l.skip(); err != nil {
			return err
		}
		switch c := l.peek(); {
		case l.eof():
			return l.errf(open, "unbalanced braces: { is not closed")
		case c == '}':
			l.pos++
			return nil
		case c == '"' || c == '\'':
			if _, err := l.quoted(); err != nil {
				return err
			}
		default:
			l.advance()
		}
	}
}

// ifStatement parses "if EXPR then ACTIONS [else ACTIONS]".
func (p *rsysParser) ifStatement(l *rsysLex, depth int, prefix string) error {
	line := l.line
	l.pos += len("if")
	var cond strings.Builder
	for {
		if l.eof() {
			return l.errf(line, "if without then")
		}
		c := l.peek()
		if c == '"' || c == '\'' {
			start := l.pos
			if _, err := l.quoted(); err != nil {
				return err
			}
			cond.WriteString(l.src[start:l.pos])
			continue
		}
		if rsysWordChar(c) && (l.pos == 0 || !rsysWordChar(l.src[l.pos-1])) && l.peekWord() == "then" {
			l.pos += len("then")
			break
		}
		cond.WriteByte(c)
		l.advance()
	}
	sel := "if " + strings.Join(strings.Fields(cond.String()), " ")
	if err := p.thenPart(l, depth, rsysJoin(prefix, sel), line); err != nil {
		return err
	}
	// else
	save, saveLine := l.pos, l.line
	if err := l.skip(); err != nil {
		return err
	}
	if l.peekWord() != "else" || l.after("else") == 0 {
		l.pos, l.line = save, saveLine
		return nil
	}
	l.pos += len("else")
	if err := l.skip(); err != nil {
		return err
	}
	elsePrefix := rsysJoin(prefix, "else of "+sel)
	if l.peekWord() == "if" {
		return p.ifStatement(l, depth, elsePrefix)
	}
	return p.thenPart(l, depth, elsePrefix, line)
}

// thenPart parses the actions after then, else or do: a { block } or one
// action.
func (p *rsysParser) thenPart(l *rsysLex, depth int, prefix string, line int) error {
	if err := l.skip(); err != nil {
		return err
	}
	if l.eof() {
		return l.errf(line, "if without an action")
	}
	if l.peek() == '{' {
		open := l.line
		l.pos++
		return p.block(l, depth+1, open, prefix)
	}
	p.lastSel = prefix
	return p.action(l, prefix, l.line, true)
}

// action parses one action for the selector sel.
func (p *rsysParser) action(l *rsysLex, sel string, line int, rainer bool) error {
	w := l.peekWord()
	switch {
	case w == "action" && l.after(w) == '(':
		params, err := l.object(w)
		if err != nil {
			return err
		}
		if v, ok := params["config.enabled"]; ok && !strings.HasPrefix(v, "`") && !strings.EqualFold(v, "on") {
			return nil
		}
		p.addAction(rsysObjectAction(sel, params), l.file, line)
		return nil
	case w == "stop":
		l.pos += len(w)
		p.addAction(RsyslogAction{Selector: sel, Type: "discard"}, l.file, line)
		return nil
	case rainer && (w == "call" || w == "call_indirect" || w == "set" || w == "unset" || w == "reset"):
		return p.statement(l, 0, sel)
	}
	a := l.restOfLine()
	if a == "" {
		return l.errf(line, "filter %q has no action", sel)
	}
	act := rsysLegacyAction(a)
	act.Selector = sel
	p.addAction(act, l.file, line)
	return nil
}

func (p *rsysParser) addAction(a RsyslogAction, file string, line int) {
	a.File, a.Line = file, line
	p.facts.Actions = append(p.facts.Actions, a)
}

// directive parses a legacy "$Name value" line.
func (p *rsysParser) directive(l *rsysLex) error {
	line := l.line
	l.pos++
	name := "$" + l.peekWord()
	if name == "$" {
		return l.errf(line, "malformed legacy directive %q", rsysShorten("$"+l.restOfLine()))
	}
	l.pos += len(name) - 1
	value := l.restOfLine()
	p.facts.Directives = append(p.facts.Directives, RsyslogDirective{Name: name, Value: value, File: l.file, Line: line})
	lower := strings.ToLower(name)
	switch {
	case lower == "$includeconfig":
		return p.include(l, value, "", line)
	case lower == "$modload":
		p.facts.Modules = append(p.facts.Modules, RsyslogModule{Name: rsysModuleName(value), Params: map[string]string{}, File: l.file, Line: line})
	case rsyslogLegacyInputs[lower] != "":
		p.facts.Inputs = append(p.facts.Inputs, RsyslogInput{Type: rsyslogLegacyInputs[lower], Port: value, Params: map[string]string{}, File: l.file, Line: line})
	}
	return nil
}

// include reads the files a $IncludeConfig or include() names: a
// directory (pattern ending in "/": its regular files not starting with
// "."), a glob, or one file, in sorted order (glob(3) order).
func (p *rsysParser) include(l *rsysLex, pattern, mode string, line int) error {
	if pattern == "" {
		return l.errf(line, "include without a file")
	}
	inc := RsyslogInclude{Pattern: pattern, Mode: mode, Matched: []string{}, File: l.file, Line: line}
	pat := pattern
	if !strings.HasPrefix(pat, "/") {
		pat = "/" + pat // rsyslogd runs with / as its working directory
	}
	var candidates []string
	switch {
	case strings.HasSuffix(pat, "/"):
		entries, err := afero.ReadDir(p.fsys, path.Clean(pat))
		if err != nil && !hostMissing(err) {
			return fmt.Errorf("logging: %s:%d: include %s: %w", l.file, line, pattern, err)
		}
		for _, e := range entries {
			if !strings.HasPrefix(e.Name(), ".") {
				candidates = append(candidates, path.Join(pat, e.Name()))
			}
		}
	case hasGlobMeta(pat):
		m, err := afero.Glob(p.fsys, path.Clean(pat))
		if err != nil {
			return fmt.Errorf("logging: %s:%d: include %s: %w", l.file, line, pattern, err)
		}
		candidates = m
	default:
		candidates = []string{path.Clean(pat)}
	}
	sort.Strings(candidates)
	var datas [][]byte
	for _, c := range candidates {
		fi, err := p.fsys.Stat(c)
		if hostMissing(err) {
			continue
		}
		if err != nil {
			return fmt.Errorf("logging: %s:%d: include %s: %w", l.file, line, pattern, err)
		}
		if !fi.Mode().IsRegular() {
			continue
		}
		data, err := ReadFile(p.fsys, c, MaxConfigSize)
		if err != nil {
			return fmt.Errorf("logging: %s:%d: include: %w", l.file, line, err)
		}
		inc.Matched = append(inc.Matched, c)
		datas = append(datas, data)
	}
	p.facts.Includes = append(p.facts.Includes, inc)
	for i, c := range inc.Matched {
		if err := p.file(c, datas[i]); err != nil {
			return err
		}
	}
	return nil
}

// selector reads a legacy facility.priority selector. White space may
// follow or precede the ";" and "," separators; otherwise it ends the
// selector.
func (l *rsysLex) selector() string {
	var b strings.Builder
	for !l.eof() {
		c := l.peek()
		if c == '\n' {
			break
		}
		if c == ' ' || c == '\t' || c == '\r' {
			j := l.pos
			for j < len(l.src) && (l.src[j] == ' ' || l.src[j] == '\t' || l.src[j] == '\r') {
				j++
			}
			prev := byte(0)
			if s := b.String(); s != "" {
				prev = s[len(s)-1]
			}
			if prev == ';' || prev == ',' || j < len(l.src) && (l.src[j] == ';' || l.src[j] == ',') {
				l.pos = j
				continue
			}
			break
		}
		b.WriteByte(c)
		l.pos++
	}
	return b.String()
}

// rsysValidSelector checks facility.priority[;facility.priority...].
func rsysValidSelector(sel string) bool {
	if sel == "" {
		return false
	}
	for _, part := range strings.Split(sel, ";") {
		fac, pri, ok := strings.Cut(part, ".")
		if !ok || fac == "" || pri == "" {
			return false
		}
		for _, c := range part {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("*.,!=", c)) {
				return false
			}
		}
	}
	return true
}

// propertyFilter reads ":property, [!]operation, "value"".
func (l *rsysLex) propertyFilter() (string, error) {
	line := l.line
	start := l.pos
	q := strings.IndexByte(l.src[l.pos:], '"')
	nl := strings.IndexByte(l.src[l.pos:], '\n')
	if q < 0 || nl >= 0 && nl < q {
		return "", l.errf(line, "property filter without a quoted value: %q", rsysShorten(l.restOfLine()))
	}
	l.pos += q
	if _, err := l.quoted(); err != nil {
		return "", err
	}
	return strings.TrimSpace(l.src[start:l.pos]), nil
}

// rsysLegacyAction classifies a legacy action.
func rsysLegacyAction(a string) RsyslogAction {
	act := RsyslogAction{}
	switch {
	case a == "~":
		act.Type = "discard"
		return act
	case strings.HasPrefix(a, ":"):
		// :module:parameters
		if mod, rest, ok := strings.Cut(a[1:], ":"); ok {
			act.Type, act.Target = mod, rest
			return act
		}
	}
	if i := strings.LastIndexByte(a, ';'); i > 0 {
		a, act.Template = strings.TrimSpace(a[:i]), strings.TrimSpace(a[i+1:])
	}
	switch {
	case strings.HasPrefix(a, "@"):
		act.Type, act.Protocol = "omfwd", "udp"
		a = a[1:]
		if strings.HasPrefix(a, "@") {
			act.Protocol, a = "tcp", a[1:]
		}
		if strings.HasPrefix(a, "(") {
			if end := strings.IndexByte(a, ')'); end > 0 {
				a = a[end+1:]
			}
		}
		act.Target = a
		if strings.HasPrefix(a, "[") {
			if end := strings.IndexByte(a, ']'); end > 0 {
				act.Target = a[1:end]
				act.Port = strings.TrimPrefix(a[end+1:], ":")
			}
		} else if host, port, ok := strings.Cut(a, ":"); ok {
			act.Target, act.Port = host, port
		}
	case strings.HasPrefix(a, "-/") || strings.HasPrefix(a, "-?"):
		act.Type, act.Target = "omfile", a[1:]
	case strings.HasPrefix(a, "/") || strings.HasPrefix(a, "?"):
		act.Type, act.Target = "omfile", a
	case strings.HasPrefix(a, "|"):
		act.Type, act.Target = "ompipe", a[1:]
	case strings.HasPrefix(a, "^"):
		act.Type, act.Target = "omprog", a[1:]
	default:
		act.Type, act.Target = "omusrmsg", a
	}
	return act
}

// rsysObjectAction is the action of an action() object.
func rsysObjectAction(sel string, params map[string]string) RsyslogAction {
	act := RsyslogAction{Selector: sel, Type: params["type"], Params: params}
	switch {
	case params["target"] != "":
		act.Target = params["target"]
	case params["file"] != "":
		act.Target = params["file"]
	case params["dynafile"] != "":
		act.Target = "?" + params["dynafile"]
	case params["users"] != "":
		act.Target = params["users"]
	case params["binary"] != "":
		act.Target = params["binary"]
	case params["pipe"] != "":
		act.Target = params["pipe"]
	}
	act.Port = params["port"]
	if act.Type == "omfwd" {
		act.Protocol = strings.ToLower(params["protocol"])
		if act.Protocol == "" {
			act.Protocol = "udp"
		}
	}
	return act
}

// rsysModuleName strips a module path and ".so": "/usr/lib/rsyslog/imtcp.so"
// and "imtcp" are the module "imtcp".
func rsysModuleName(s string) string {
	if !strings.HasPrefix(s, "builtin:") {
		s = path.Base(s)
	}
	return strings.TrimSuffix(s, ".so")
}

func rsysWithout(params map[string]string, key string) map[string]string {
	out := make(map[string]string, len(params))
	for k, v := range params {
		if k != key {
			out[k] = v
		}
	}
	return out
}

func rsysShorten(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}
