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

// Login reads how local logins are authenticated and how passwords are
// chosen: /etc/login.defs (shadow-utils), the PAM stacks of /etc/pam.d,
// libpwquality's pwquality.conf and pam_faillock's faillock.conf.
type Login struct{}

// LoginFacts are the facts of the login collector (docs/facts/login.md).
type LoginFacts struct {
	// LoginDefs is /etc/login.defs as shadow-utils reads it.
	LoginDefs LoginDefs `json:"login_defs"`
	// PAM is every PAM service with its stacks, includes spliced in.
	PAM PAMFacts `json:"pam"`
	// PWQuality is libpwquality's configuration.
	PWQuality PWQuality `json:"pwquality"`
	// Faillock is pam_faillock's configuration file.
	Faillock LoginConfFile `json:"faillock"`
}

// LoginSetting is one configured value and where it was set.
type LoginSetting struct {
	Value string `json:"value"`
	File  string `json:"file"`
	Line  int    `json:"line"`
}

// LoginAssignment is one occurrence of a key in a file.
type LoginAssignment struct {
	Value string `json:"value"`
	Line  int    `json:"line"`
}

// LoginDefs is /etc/login.defs.
type LoginDefs struct {
	// File is "/etc/login.defs".
	File string `json:"file"`
	// Exists is false when the file is missing (shadow-utils then uses
	// its built-in defaults).
	Exists bool `json:"exists"`
	// Settings maps each key, as written (keys are case-sensitive for
	// shadow-utils), to the value in effect: the LAST assignment, as
	// shadow-utils' def_load() stores every line with putdef_str(), which
	// overwrites. Values are what shadow-utils 4.13 keeps: text after the
	// first run of blanks, leading blanks and double quotes skipped, cut
	// at the next double quote, trailing white space removed. A "#" after
	// the value is NOT a comment for shadow-utils: it stays in the value.
	Settings map[string]LoginSetting `json:"settings"`
	// Duplicates lists, for each key set more than once, every assignment
	// in file order. Linux-PAM (pam_modutil_search_key, used by pam_unix
	// for ENCRYPT_METHOD and SHA_CRYPT_MAX_ROUNDS) reads the FIRST one, so
	// a duplicated key can mean different values for shadow-utils and
	// PAM.
	Duplicates map[string][]LoginAssignment `json:"duplicates"`
}

// PAMFacts are the PAM services.
type PAMFacts struct {
	// Dir is "/etc/pam.d"; DirExists is false when it is missing.
	Dir       string `json:"dir"`
	DirExists bool   `json:"dir_exists"`
	// Services maps a service name (a file of /etc/pam.d, or of
	// /usr/lib/pam.d that /etc/pam.d does not override) to its stacks.
	Services map[string]PAMService `json:"services"`
}

// PAMService is one service file and its entries.
type PAMService struct {
	// File is the service's file.
	File string `json:"file"`
	// Entries are the module lines in the order Linux-PAM stacks them:
	// "@include FILE" (Debian) spliced in place with all its entries, and
	// "include"/"substack" controls spliced in place with the entries of
	// that type from the named service.
	Entries []PAMEntry `json:"entries"`
}

// PAMEntry is one module line of a stack.
type PAMEntry struct {
	// Type is auth, account, password or session (lowercase; Linux-PAM
	// compares case-insensitively), without a leading "-".
	Type string `json:"type"`
	// OptionalModule is true for "-type" lines: a missing module is not
	// logged.
	OptionalModule bool `json:"optional_module"`
	// Control is the simple control word lowercased (required, requisite,
	// sufficient, optional) or the bracketed control as written
	// ("[success=1 default=ignore]").
	Control string `json:"control"`
	// ControlMap is the bracketed control parsed: return value to action
	// ("success": "1", "default": "ignore"); empty for simple words.
	ControlMap map[string]string `json:"control_map"`
	// Module is the base name of the module path ("pam_unix.so").
	Module string `json:"module"`
	// ModulePath is the module path as written.
	ModulePath string `json:"module_path"`
	// Arguments are the module arguments as the module receives them: a
	// "[...]" argument is one argument with the brackets removed and "\]"
	// unescaped.
	Arguments []string `json:"arguments"`
	// File and Line locate the line (the first line of a line continued
	// with backslashes).
	File string `json:"file"`
	Line int    `json:"line"`
	// Via is the include chain that brought the entry into this service,
	// outermost first ("/etc/pam.d/sshd:4"); empty for the service's own
	// lines.
	Via []string `json:"via"`
	// Substack is true when a "substack" control is in the chain: jumps
	// and "done"/"die" end inside the substack.
	Substack bool `json:"substack"`
}

// PWQuality is libpwquality's configuration.
type PWQuality struct {
	// File is "/etc/security/pwquality.conf" and Exists whether it exists.
	File   string `json:"file"`
	Exists bool   `json:"exists"`
	// Files are the files read, in the order libpwquality reads them:
	// pwquality.conf.d/*.conf in byte order FIRST, then pwquality.conf
	// (libpwquality 1.4 pwquality_read_config; pwquality.conf(5)).
	Files []string `json:"files"`
	// Settings maps each setting, lowercased (libpwquality compares names
	// case-insensitively), to the value in effect: the last one read, so
	// pwquality.conf overrides the drop-ins. Flags (enforce_for_root,
	// local_users_only) have value "".
	Settings map[string]LoginSetting `json:"settings"`
}

// LoginConfFile is a "key = value" configuration file (faillock.conf).
type LoginConfFile struct {
	File   string `json:"file"`
	Exists bool   `json:"exists"`
	// Settings maps each key as written to its last value; flags have
	// value "".
	Settings map[string]LoginSetting `json:"settings"`
}

const (
	loginDefsPath    = "/etc/login.defs"
	pamDir           = "/etc/pam.d"
	pamVendorDir     = "/usr/lib/pam.d"
	pwqualityPath    = "/etc/security/pwquality.conf"
	faillockPath     = "/etc/security/faillock.conf"
	pamMaxDepth      = 16    // PAM_SUBSTACK_MAX_LEVEL; include chains are held to it too
	pamMaxEntries    = 10000 // per service, against include fan-out bombs
	pamMaxLine       = 1023  // Linux-PAM's BUF_SIZE less the NUL
	confMaxLine      = 1023  // libpwquality and pam_faillock line buffers
	loginCtxInterval = 1024
)

// Name implements Collector.
func (Login) Name() string { return "login" }

// Collect implements Collector. Missing files are facts; a file that
// Linux-PAM, libpwquality or pam_faillock would reject or misread is an
// error naming file and line.
func (Login) Collect(ctx context.Context, t Target) (any, error) {
	facts := &LoginFacts{}
	var err error
	if facts.LoginDefs, err = readLoginDefs(t.Fs, "login"); err != nil {
		return nil, err
	}
	if facts.PAM, err = readPAM(ctx, t.Fs); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if facts.PWQuality, err = readPWQuality(t.Fs); err != nil {
		return nil, err
	}
	if facts.Faillock, err = readFaillock(t.Fs); err != nil {
		return nil, err
	}
	return facts, nil
}

// loginRead reads a configuration file; a missing one is (nil, nil).
func loginRead(fsys afero.Fs, name string) ([]byte, error) {
	b, err := ReadFile(fsys, name, MaxConfigSize)
	if err != nil {
		if hostMissing(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("login: %w", err)
	}
	return b, nil
}

// loginSplitLines splits data into lines without their "\n".
func loginSplitLines(data []byte) []string {
	s := string(data)
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// readLoginDefs reads /etc/login.defs.
// who prefixes errors ("login", "users").
func readLoginDefs(fsys afero.Fs, who string) (LoginDefs, error) {
	defs := LoginDefs{File: loginDefsPath, Settings: map[string]LoginSetting{}, Duplicates: map[string][]LoginAssignment{}}
	b, err := ReadFile(fsys, loginDefsPath, MaxConfigSize)
	if err != nil {
		if hostMissing(err) {
			return defs, nil
		}
		return defs, fmt.Errorf("%s: %w", who, err)
	}
	defs.Exists = true
	all := map[string][]LoginAssignment{}
	for i, line := range loginSplitLines(b) {
		key, value, ok := loginDefsLine(line)
		if !ok {
			continue
		}
		defs.Settings[key] = LoginSetting{Value: value, File: loginDefsPath, Line: i + 1}
		all[key] = append(all[key], LoginAssignment{Value: value, Line: i + 1})
	}
	for k, as := range all {
		if len(as) > 1 {
			defs.Duplicates[k] = as
		}
	}
	return defs, nil
}

// loginDefsLine parses one line as shadow-utils 4.13 def_load() does:
// trailing white space trimmed; blank lines, lines whose first non-blank
// is "#" and lines with a single field are skipped; the value starts after
// the blanks and double quotes following the name and ends at the next
// double quote.
func loginDefsLine(line string) (key, value string, ok bool) {
	line = strings.TrimRight(line, " \t\n\r\v\f")
	line = strings.TrimLeft(line, " \t")
	if line == "" || line[0] == '#' {
		return "", "", false
	}
	end := strings.IndexAny(line, " \t")
	if end < 0 {
		return "", "", false
	}
	key = line[:end]
	value = strings.TrimLeft(line[end+1:], " \t\"")
	if q := strings.IndexByte(value, '"'); q >= 0 {
		value = value[:q]
	}
	return key, value, true
}

// loginDefsUint reads a numeric setting the way shadow-utils' getulong()
// does (strtoul base 0: 0x for hex, a leading 0 for octal); ok is false
// when the key is not set.
func loginDefsUint(defs LoginDefs, key string) (n uint64, s LoginSetting, ok bool, err error) {
	s, ok = defs.Settings[key]
	if !ok {
		return 0, s, false, nil
	}
	v := s.Value
	base := 10
	switch {
	case strings.HasPrefix(v, "0x") || strings.HasPrefix(v, "0X"):
		v, base = v[2:], 16
	case len(v) > 1 && v[0] == '0':
		v, base = v[1:], 8
	}
	n, perr := strconv.ParseUint(v, base, 64)
	if perr != nil || v == "" || strings.ContainsAny(v, "+-_") {
		return 0, s, true, fmt.Errorf("%s:%d: %s %q is not a number", s.File, s.Line, key, s.Value)
	}
	return n, s, true, nil
}

// ---------------------------------------------------------------------------
// PAM

// pamLine is one logical line of a PAM file.
type pamLine struct {
	line   int
	tokens []pamToken
}

// pamToken is a token as _pam_StrTok returns it; bracketed is true for a
// "[...]" token, whose text is the content and raw what was written.
type pamToken struct {
	text      string
	raw       string
	bracketed bool
}

// pamAssemble splits a PAM file into logical lines as Linux-PAM's
// _pam_assemble_line does: leading blanks skipped; empty lines and lines
// starting with "#" skipped (also between continued lines); text from the
// first "#" on a line dropped, which also ends the logical line; a
// trailing backslash (after trailing blanks) joins the next line with a
// space.
func pamAssemble(file string, data []byte) ([]pamLine, error) {
	var out []pamLine
	var buf strings.Builder
	start := 0
	for i, phys := range loginSplitLines(data) {
		s := strings.TrimLeft(phys, " \t")
		if s == "" || s[0] == '#' {
			continue
		}
		if buf.Len() == 0 {
			start = i + 1
		}
		done := true
		if h := strings.IndexByte(s, '#'); h >= 0 {
			buf.WriteString(s[:h])
		} else {
			s = strings.TrimRight(s, " \t")
			if strings.HasSuffix(s, "\\") {
				buf.WriteString(s[:len(s)-1])
				buf.WriteByte(' ')
				done = false
			} else {
				buf.WriteString(s)
			}
		}
		if buf.Len() > pamMaxLine {
			return nil, fmt.Errorf("login: %s:%d: line longer than %d bytes: Linux-PAM cannot read it", file, start, pamMaxLine)
		}
		if done {
			out = append(out, pamLine{line: start, tokens: pamTokens(buf.String())})
			buf.Reset()
		}
	}
	if buf.Len() > 0 {
		// A continuation at the end of the file: Linux-PAM reports an
		// incomplete read and aborts the file.
		return nil, fmt.Errorf("login: %s:%d: line continued with a backslash at the end of the file", file, start)
	}
	return out, nil
}

// pamTokens splits a logical line as _pam_StrTok does: tokens separated by
// blanks; a token starting with "[" runs to the first "]" ("\]" stands for
// "]") and is one token without its brackets.
func pamTokens(s string) []pamToken {
	var toks []pamToken
	i := 0
	for {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
			i++
		}
		if i >= len(s) {
			return toks
		}
		if s[i] == '[' {
			begin := i
			var b strings.Builder
			i++
			for i < len(s) && s[i] != ']' {
				if s[i] == '\\' && i+1 < len(s) && s[i+1] == ']' {
					i++
				}
				b.WriteByte(s[i])
				i++
			}
			end := i
			if i < len(s) {
				i++ // the "]"
				end = i
			}
			toks = append(toks, pamToken{text: b.String(), raw: s[begin:end], bracketed: true})
			continue
		}
		begin := i
		for i < len(s) && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' {
			i++
		}
		toks = append(toks, pamToken{text: s[begin:i], raw: s[begin:i]})
	}
}

// pamReturnValues are the return values a bracketed control may name
// (Linux-PAM _pam_token_returns).
var pamReturnValues = map[string]bool{
	"success": true, "open_err": true, "symbol_err": true, "service_err": true, "system_err": true,
	"buf_err": true, "perm_denied": true, "auth_err": true, "cred_insufficient": true,
	"authinfo_unavail": true, "user_unknown": true, "maxtries": true, "new_authtok_reqd": true,
	"acct_expired": true, "session_err": true, "cred_unavail": true, "cred_expired": true,
	"cred_err": true, "no_module_data": true, "conv_err": true, "authtok_err": true,
	"authtok_recover_err": true, "authtok_lock_busy": true, "authtok_disable_aging": true,
	"try_again": true, "ignore": true, "abort": true, "authtok_expired": true,
	"module_unknown": true, "bad_item": true, "conv_again": true, "incomplete": true,
	"default": true,
}

// pamActions are the actions of a bracketed control besides a jump count.
var pamActions = map[string]bool{"ignore": true, "ok": true, "done": true, "bad": true, "die": true, "reset": true}

// pamParseControl parses the content of a bracketed control
// ("success=1 default=ignore") as _pam_parse_control does; blanks around
// "=" are allowed.
func pamParseControl(s string) (map[string]string, error) {
	m := map[string]string{}
	fields := strings.Fields(strings.ReplaceAll(s, "=", " = "))
	if len(fields) == 0 {
		return nil, errors.New("empty control")
	}
	for i := 0; i < len(fields); i += 3 {
		if i+2 >= len(fields) || fields[i+1] != "=" {
			return nil, fmt.Errorf("expected value=action at %q", fields[i])
		}
		ret, act := fields[i], fields[i+2]
		if !pamReturnValues[ret] {
			return nil, fmt.Errorf("unknown return value %q", ret)
		}
		if !pamActions[act] {
			n, err := strconv.Atoi(act)
			if err != nil || n <= 0 || act[0] == '+' {
				return nil, fmt.Errorf("%s=%s: expected ignore, ok, done, bad, die, reset or a jump count above 0", ret, act)
			}
		}
		m[ret] = act
	}
	return m, nil
}

// pamRawEntry is a parsed line of a PAM file, before includes are
// expanded.
type pamRawEntry struct {
	PAMEntry
	include   string // @include, include or substack target
	atInclude bool   // "@include FILE": all types
	substack  bool
}

// pamParse parses a PAM service file (no service field).
func pamParse(file string, data []byte) ([]pamRawEntry, error) {
	lines, err := pamAssemble(file, data)
	if err != nil {
		return nil, err
	}
	var out []pamRawEntry
	for _, l := range lines {
		fail := func(format string, args ...any) error {
			return fmt.Errorf("login: %s:%d: %s", file, l.line, fmt.Sprintf(format, args...))
		}
		toks := l.tokens
		if len(toks) == 0 {
			continue
		}
		e := pamRawEntry{PAMEntry: PAMEntry{File: file, Line: l.line, Via: []string{}, Arguments: []string{}, ControlMap: map[string]string{}}}
		typ := toks[0].text
		if strings.HasPrefix(typ, "-") {
			e.OptionalModule = true
			typ = typ[1:]
		}
		switch t := strings.ToLower(typ); t {
		case "auth", "account", "password", "session":
			e.Type = t
		case "@include":
			if len(toks) < 2 || toks[1].text == "" {
				return nil, fail("@include without a file name")
			}
			e.atInclude = true
			e.include = toks[1].text
			out = append(out, e)
			continue
		default:
			return nil, fail("unknown module type %q (expected auth, account, password or session)", typ)
		}
		if len(toks) < 2 {
			return nil, fail("no control flag")
		}
		ctl := toks[1]
		if ctl.bracketed {
			m, err := pamParseControl(ctl.text)
			if err != nil {
				return nil, fail("control %s: %v", ctl.raw, err)
			}
			e.Control, e.ControlMap = ctl.raw, m
		} else {
			switch c := strings.ToLower(ctl.text); c {
			case "required", "requisite", "optional", "sufficient":
				e.Control = c
			case "include", "substack":
				e.Control = c
				e.substack = c == "substack"
			default:
				return nil, fail("unknown control %q", ctl.text)
			}
		}
		if len(toks) < 3 || toks[2].text == "" {
			if e.Control == "include" || e.Control == "substack" {
				return nil, fail("%s without a service name", e.Control)
			}
			return nil, fail("no module name")
		}
		if e.Control == "include" || e.Control == "substack" {
			e.include = toks[2].text
			out = append(out, e)
			continue
		}
		e.ModulePath = toks[2].text
		e.Module = path.Base(e.ModulePath)
		for _, a := range toks[3:] {
			e.Arguments = append(e.Arguments, a.text)
		}
		out = append(out, e)
	}
	return out, nil
}

// pamReader reads and caches PAM files by path.
type pamReader struct {
	fsys   afero.Fs
	parsed map[string][]pamRawEntry
}

// resolve finds the file of a service or include target as
// _pam_open_config_file does: an absolute path as is, otherwise
// /etc/pam.d/NAME, then /usr/lib/pam.d/NAME. "" when neither exists.
func (r *pamReader) resolve(name string) (string, error) {
	if strings.HasPrefix(name, "/") {
		return r.existing(path.Clean(name))
	}
	if strings.Contains(name, "/") || name == "." || name == ".." {
		// Linux-PAM would open pam.d/../x; keep it inside pam.d.
		return r.existing(path.Join(pamDir, name))
	}
	for _, dir := range []string{pamDir, pamVendorDir} {
		p, err := r.existing(dir + "/" + name)
		if p != "" || err != nil {
			return p, err
		}
	}
	return "", nil
}

func (r *pamReader) existing(p string) (string, error) {
	fi, err := r.fsys.Stat(p)
	if err != nil {
		if hostMissing(err) {
			return "", nil
		}
		return "", fmt.Errorf("login: %w", err)
	}
	if fi.IsDir() {
		return "", nil
	}
	return p, nil
}

func (r *pamReader) read(file string) ([]pamRawEntry, error) {
	if es, ok := r.parsed[file]; ok {
		return es, nil
	}
	b, err := ReadFile(r.fsys, file, MaxConfigSize)
	if err != nil {
		return nil, fmt.Errorf("login: %w", err)
	}
	es, err := pamParse(file, b)
	if err != nil {
		return nil, err
	}
	r.parsed[file] = es
	return es, nil
}

// pamFrame is one step of an include chain: a file being expanded and the
// include line ("file:line") in it that leads to the next step.
type pamFrame struct {
	file string
	at   string
}

// expand appends to out the entries of file of type typ ("" for all),
// with includes spliced. chain holds the files being expanded, outermost
// first; via is the include chain the entries are reported with.
func (r *pamReader) expand(ctx context.Context, file, typ string, chain []pamFrame, via []string, substack bool, out *[]PAMEntry) error {
	for _, f := range chain {
		if f.file == file {
			steps := make([]string, 0, len(chain)+1)
			for _, g := range chain {
				steps = append(steps, g.at)
			}
			return fmt.Errorf("login: include cycle: %s -> %s", strings.Join(steps, " -> "), file)
		}
	}
	if len(chain) > pamMaxDepth {
		return fmt.Errorf("login: %s: includes nested more than %d deep", chain[len(chain)-1].at, pamMaxDepth)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	entries, err := r.read(file)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if typ != "" && e.Type != typ && !e.atInclude {
			continue
		}
		if e.include == "" {
			pe := e.PAMEntry
			pe.Via = append([]string{}, via...)
			pe.Substack = substack
			pe.Arguments = append([]string{}, e.Arguments...)
			*out = append(*out, pe)
			if len(*out) > pamMaxEntries {
				return fmt.Errorf("login: %s:%d: the stack has more than %d entries", e.File, e.Line, pamMaxEntries)
			}
			continue
		}
		at := fmt.Sprintf("%s:%d", e.File, e.Line)
		target, err := r.resolve(e.include)
		if err != nil {
			return err
		}
		if target == "" {
			return fmt.Errorf("login: %s: %s %q: no such file in %s or %s", at, pamIncludeWord(e), e.include, pamDir, pamVendorDir)
		}
		subType := typ
		if !e.atInclude {
			subType = e.Type
		}
		next := append(append([]pamFrame{}, chain...), pamFrame{file: file, at: at})
		if err := r.expand(ctx, target, subType, next, append(append([]string{}, via...), at), substack || e.substack, out); err != nil {
			return err
		}
	}
	return nil
}

func pamIncludeWord(e pamRawEntry) string {
	if e.atInclude {
		return "@include"
	}
	return e.Control
}

// pamBackup reports names that package tools leave beside a service file
// and that Linux-PAM never loads, because no program asks for a service of
// that name.
func pamBackup(name string) bool {
	for _, s := range []string{".dpkg-old", ".dpkg-new", ".dpkg-dist", ".dpkg-tmp", ".dpkg-bak", ".ucf-old", ".ucf-new", ".ucf-dist", ".pam-old", ".pam-new", ".rpmnew", ".rpmsave", ".rpmorig", ".bak", ".orig", ".swp"} {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return strings.HasSuffix(name, "~") || strings.HasPrefix(name, ".")
}

// readPAM reads every service of /etc/pam.d and /usr/lib/pam.d.
func readPAM(ctx context.Context, fsys afero.Fs) (PAMFacts, error) {
	facts := PAMFacts{Dir: pamDir, Services: map[string]PAMService{}}
	r := &pamReader{fsys: fsys, parsed: map[string][]pamRawEntry{}}
	names := map[string]string{}
	for _, dir := range []string{pamDir, pamVendorDir} {
		infos, err := afero.ReadDir(fsys, dir)
		if err != nil {
			if hostMissing(err) {
				continue
			}
			return facts, fmt.Errorf("login: %s: %w", dir, err)
		}
		if dir == pamDir {
			facts.DirExists = true
		}
		for _, fi := range infos {
			name := fi.Name()
			if _, seen := names[name]; seen || pamBackup(name) {
				continue
			}
			p := dir + "/" + name
			// Follow symlinks (inside the root) as fopen would.
			st, err := fsys.Stat(p)
			if err != nil {
				if hostMissing(err) {
					continue // a dangling link: no such service
				}
				return facts, fmt.Errorf("login: %w", err)
			}
			if !st.Mode().IsRegular() {
				continue
			}
			names[name] = p
		}
	}
	keys := make([]string, 0, len(names))
	for k := range names {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, name := range keys {
		if err := ctx.Err(); err != nil {
			return facts, err
		}
		file := names[name]
		entries := []PAMEntry{}
		if err := r.expand(ctx, file, "", nil, []string{}, false, &entries); err != nil {
			return facts, err
		}
		facts.Services[name] = PAMService{File: file, Entries: entries}
	}
	return facts, nil
}

// ---------------------------------------------------------------------------
// pwquality.conf, faillock.conf

// pwqualityTypes are libpwquality's settings and their kinds (settings.c
// s_map): "int", "str" or "set" (a flag whose value is ignored).
var pwqualityTypes = map[string]string{
	"difok": "int", "minlen": "int", "dcredit": "int", "ucredit": "int", "lcredit": "int",
	"ocredit": "int", "minclass": "int", "maxrepeat": "int", "maxclassrepeat": "int",
	"maxsequence": "int", "gecoscheck": "int", "dictcheck": "int", "usercheck": "int",
	"usersubstr": "int", "enforcing": "int", "badwords": "str", "dictpath": "str",
	"retry": "int", "enforce_for_root": "set", "local_users_only": "set",
}

// loginConfLine splits a line the way libpwquality's and pam_faillock's
// read_config_file do: everything from the first "#" is a comment; blanks
// around the line are dropped; the name ends at a blank or "="; one "="
// and any blanks before the value are skipped. ok is false for a blank
// line.
func loginConfLine(line string) (name, value string, ok bool) {
	if h := strings.IndexByte(line, '#'); h >= 0 {
		line = line[:h]
	}
	line = strings.TrimFunc(line, loginIsSpace)
	if line == "" {
		return "", "", false
	}
	i := 0
	for i < len(line) && !loginIsSpace(rune(line[i])) && line[i] != '=' {
		i++
	}
	name = line[:i]
	eq := false
	if i < len(line) {
		eq = line[i] == '='
		i++
	}
	for i < len(line) {
		c := line[i]
		if c != '=' || eq {
			if !loginIsSpace(rune(c)) {
				break
			}
		} else {
			eq = true
		}
		i++
	}
	return name, line[i:], true
}

// loginIsSpace is C's isspace in the C locale.
func loginIsSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r'
}

// loginConfLines returns the physical lines of a file that libpwquality and
// pam_faillock read with fgets into a 1024-byte buffer: a line of more than
// 1022 bytes (without its newline) does not fit and they reject the file.
func loginConfLines(file string, data []byte) ([]string, error) {
	lines := loginSplitLines(data)
	for i, l := range lines {
		if len(l) > confMaxLine-1 {
			return nil, fmt.Errorf("login: %s:%d: line longer than %d bytes: the file is rejected as malformed", file, i+1, confMaxLine-1)
		}
	}
	return lines, nil
}

// readPWQuality reads pwquality.conf.d/*.conf then pwquality.conf.
func readPWQuality(fsys afero.Fs) (PWQuality, error) {
	pq := PWQuality{File: pwqualityPath, Files: []string{}, Settings: map[string]LoginSetting{}}
	var files []string
	dir := pwqualityPath + ".d"
	infos, err := afero.ReadDir(fsys, dir)
	if err != nil && !hostMissing(err) {
		return pq, fmt.Errorf("login: %s: %w", dir, err)
	}
	for _, fi := range infos {
		// scandir with filter_conf: names ending in ".conf"; the file is
		// then fopen'ed, and one that cannot be opened is skipped.
		if !strings.HasSuffix(fi.Name(), ".conf") {
			continue
		}
		files = append(files, dir+"/"+fi.Name())
	}
	files = append(files, pwqualityPath)
	for _, f := range files {
		b, err := ReadFile(fsys, f, MaxConfigSize)
		if err != nil {
			if hostMissing(err) || errors.Is(err, ErrNotRegular) && f != pwqualityPath {
				continue
			}
			return pq, fmt.Errorf("login: %w", err)
		}
		if f == pwqualityPath {
			pq.Exists = true
		}
		pq.Files = append(pq.Files, f)
		lines, err := loginConfLines(f, b)
		if err != nil {
			return pq, err
		}
		for i, line := range lines {
			name, value, ok := loginConfLine(line)
			if !ok {
				continue
			}
			key := strings.ToLower(name)
			kind, known := pwqualityTypes[key]
			switch {
			case !known:
				return pq, fmt.Errorf("login: %s:%d: unknown setting %q: libpwquality stops reading the file here", f, i+1, name)
			case kind == "int" && !pwqualityInt(value):
				return pq, fmt.Errorf("login: %s:%d: %s %q is not an integer: libpwquality stops reading the file here", f, i+1, key, value)
			case kind == "set":
				value = ""
			}
			pq.Settings[key] = LoginSetting{Value: value, File: f, Line: i + 1}
		}
	}
	return pq, nil
}

// pwqualityInt accepts what strtol(value, &end, 10) consumes whole
// strictly between INT_MIN and INT_MAX, as libpwquality's set_name_value
// requires.
func pwqualityInt(s string) bool {
	n, err := strconv.ParseInt(s, 10, 64)
	return err == nil && n < 1<<31-1 && n > -(1<<31)
}

// readFaillock reads faillock.conf. pam_faillock ignores unknown keys and
// bad values (it logs them), so they are kept as written for rules to
// judge.
func readFaillock(fsys afero.Fs) (LoginConfFile, error) {
	c := LoginConfFile{File: faillockPath, Settings: map[string]LoginSetting{}}
	b, err := loginRead(fsys, faillockPath)
	if err != nil || b == nil {
		return c, err
	}
	c.Exists = true
	lines, err := loginConfLines(faillockPath, b)
	if err != nil {
		return c, err
	}
	for i, line := range lines {
		name, value, ok := loginConfLine(line)
		if !ok {
			continue
		}
		c.Settings[name] = LoginSetting{Value: value, File: faillockPath, Line: i + 1}
	}
	return c, nil
}
