package checks

import (
	"context"
	"errors"
	"fmt"
	"path"
	"regexp"
	"regexp/syntax"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/afero"
)

// Sudoers reads the sudo policy: /etc/sudoers and the files it includes,
// parsed as sudo 1.9.13's sudoers plugin parses them (plugins/sudoers
// toke.l and gram.y): the same tokens, the same grammar, the same
// Defaults checks as `visudo -c`. docs/facts/sudoers.md describes the
// facts.
type Sudoers struct{}

// SudoersFacts are the facts of the sudoers collector.
type SudoersFacts struct {
	// Path is the main policy file, /etc/sudoers.
	Path string `json:"path"`
	// Exists is false when the root has no /etc/sudoers (no sudo, or
	// another policy source); everything else is then empty.
	Exists bool `json:"exists"`
	// Files lists the files read, in the order sudo reads them.
	Files []SudoersFile `json:"files"`
	// Skipped lists what an @includedir named but sudo ignores: an
	// insecure directory, or an insecure or unreadable file in it.
	Skipped []SudoersSkipped `json:"skipped"`
	// Defaults lists every Defaults setting in file order.
	Defaults []SudoersDefault `json:"defaults"`
	// UserSpecs lists the user specifications (who may run what) in file
	// order; see SudoersUserSpec.
	UserSpecs []SudoersUserSpec `json:"user_specs"`
	// Aliases maps each alias type (User_Alias, Runas_Alias, Host_Alias,
	// Cmnd_Alias; Cmd_Alias counts as Cmnd_Alias) to name to members as
	// written ("!" prefix for negation).
	Aliases map[string]map[string][]string `json:"aliases"`
}

// SudoersFile is one file read.
type SudoersFile struct {
	Path      string `json:"path"`
	LineCount int    `json:"line_count"`
}

// SudoersSkipped is a file or directory sudo ignores, and why.
type SudoersSkipped struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// SudoersDefault is one setting of a Defaults line.
type SudoersDefault struct {
	// Binding is "" for a plain Defaults line, "user" (Defaults:),
	// "host" (Defaults@), "runas" (Defaults>) or "command" (Defaults!).
	Binding string `json:"binding"`
	// Targets are the users, hosts, run-as users or commands the binding
	// names, as written; empty for a plain Defaults.
	Targets []string `json:"targets"`
	// Name is the setting ("use_pty").
	Name string `json:"name"`
	// Operator is "=", "+=", "-=", "" (a boolean set without a value) or
	// "!" (negated).
	Operator string `json:"operator"`
	// Value is true for "", false for "!", else the value as a string
	// (quotes removed, escapes resolved).
	Value any    `json:"value"`
	File  string `json:"file"`
	Line  int    `json:"line"`
}

// SudoersUserSpec is a run of commands that one user specification
// grants on the same hosts with the same run-as lists. A line such as
// `alice ALL = (root) /bin/a, (bob) /bin/b : db = ALL` gives three: one
// per host list after ":" and one per change of Runas_Spec.
type SudoersUserSpec struct {
	// Users are the users, %groups, +netgroups, aliases or ALL, with "!"
	// for negation.
	Users []string `json:"users"`
	// Hosts are the host list before "=".
	Hosts []string `json:"hosts"`
	// RunasSpecified is false when no Runas_Spec applies: sudo runs the
	// commands as runas_default (root).
	RunasSpecified bool `json:"runas_specified"`
	// RunasUsers and RunasGroups are the Runas_Spec's lists; both empty
	// with RunasSpecified means "()": as the invoking user only.
	RunasUsers  []string `json:"runas_users"`
	RunasGroups []string `json:"runas_groups"`
	// Commands are in order, with the tags and options that apply to
	// each once sudo carries them forward.
	Commands []SudoersCommand `json:"commands"`
	File     string           `json:"file"`
	Line     int              `json:"line"`
}

// SudoersCommand is one command of a user specification.
type SudoersCommand struct {
	// Command is the command as sudo sees it: "ALL", an alias name, a path
	// with its arguments ("/usr/bin/apt update"), "sudoedit /etc/motd",
	// "list" or a ^regex$.
	Command string `json:"command"`
	// Negated is true for "!command".
	Negated bool `json:"negated"`
	// Tags are the tags in effect ("NOPASSWD", "PASSWD", "NOEXEC",
	// "SETENV", "LOG_OUTPUT", "MAIL", "FOLLOW", ... and their opposites),
	// given on the command or carried forward from an earlier command of
	// the same list, in a fixed order. The command ALL implies SETENV, as
	// in sudo (not carried forward).
	Tags []string `json:"tags"`
	// Options are the Option_Specs in effect (CWD, CHROOT, TIMEOUT,
	// NOTBEFORE, NOTAFTER, ROLE, TYPE), carried forward like tags.
	Options map[string]string `json:"options"`
	// Digests are "sha256:..." digests the command must match.
	Digests []string `json:"digests"`
}

const (
	sudoersMain = "/etc/sudoers"
	// sudoersMaxDepth is sudo's MAX_SUDOERS_DEPTH.
	sudoersMaxDepth = 128
	// sudoersMaxFiles bounds the files one collection reads.
	sudoersMaxFiles = 1000
)

// Name implements Collector.
func (Sudoers) Name() string { return "sudoers" }

// Collect implements Collector. A missing /etc/sudoers is a fact; a file
// sudo would refuse (a syntax error, an invalid Defaults value, a missing
// or insecure @include, an insecure /etc/sudoers) fails the collector
// with its file and line, as `visudo -c` fails.
func (Sudoers) Collect(ctx context.Context, t Target) (any, error) {
	facts := &SudoersFacts{
		Path: sudoersMain, Files: []SudoersFile{}, Skipped: []SudoersSkipped{}, Defaults: []SudoersDefault{},
		UserSpecs: []SudoersUserSpec{},
		Aliases:   map[string]map[string][]string{"User_Alias": {}, "Runas_Alias": {}, "Host_Alias": {}, "Cmnd_Alias": {}},
	}
	if _, err := t.Fs.Stat(sudoersMain); err != nil {
		if hostMissing(err) {
			return facts, nil
		}
		return nil, fmt.Errorf("sudoers: %w", err)
	}
	facts.Exists = true
	r := &sudoersReader{ctx: ctx, fs: t.Fs, facts: facts, open: map[string]bool{}, aliasSeen: map[string]bool{}}
	if err := r.readFile(sudoersMain, true, 0); err != nil {
		return nil, err
	}
	return facts, nil
}

// sudoersReader reads one policy: the main file and its includes.
type sudoersReader struct {
	ctx       context.Context
	fs        afero.Fs
	facts     *SudoersFacts
	open      map[string]bool // files being read, for cycle detection
	aliasSeen map[string]bool // "type name"
}

// SudoersError is a file sudo would refuse, with the line.
type SudoersError struct {
	File string
	Line int
	Msg  string
}

func (e *SudoersError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("sudoers: %s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("sudoers: %s: %s", e.File, e.Msg)
}

// secure is sudo_secure_path: the right type, owned by root, not
// writable by others, writable by its group only when the group is root.
func (r *sudoersReader) secure(p string, dir bool) (string, error) {
	fi, err := r.fs.Stat(p)
	if err != nil {
		return "", err
	}
	uid, gid, ok := ownership(fi)
	if !ok {
		return "", fmt.Errorf("%s: %w", p, ErrNoOwnership)
	}
	switch perm := fi.Mode().Perm(); {
	case dir && !fi.IsDir():
		return "not a directory", nil
	case !dir && !fi.Mode().IsRegular():
		return "not a regular file", nil
	case uid != 0:
		return fmt.Sprintf("owned by uid %d, should be 0", uid), nil
	case perm&0o002 != 0:
		return "world writable", nil
	case perm&0o020 != 0 && gid != 0:
		return fmt.Sprintf("owned by gid %d, should be 0", gid), nil
	}
	return "", nil
}

// readFile parses one file; required files (the main one and @include)
// must exist and be secure.
func (r *sudoersReader) readFile(p string, required bool, depth int) error {
	if err := r.ctx.Err(); err != nil {
		return err
	}
	if r.open[p] {
		return &SudoersError{File: p, Msg: "include cycle: the file includes itself"}
	}
	if len(r.facts.Files) >= sudoersMaxFiles {
		return &SudoersError{File: p, Msg: fmt.Sprintf("more than %d sudoers files", sudoersMaxFiles)}
	}
	why, err := r.secure(p, false)
	switch {
	case err != nil && hostMissing(err):
		if required {
			return &SudoersError{File: p, Msg: "unable to open: no such file"}
		}
		r.facts.Skipped = append(r.facts.Skipped, SudoersSkipped{Path: p, Reason: "no such file"})
		return nil
	case err != nil:
		return fmt.Errorf("sudoers: %w", err)
	case why != "":
		if required {
			return &SudoersError{File: p, Msg: why + ": sudo refuses to use it"}
		}
		r.facts.Skipped = append(r.facts.Skipped, SudoersSkipped{Path: p, Reason: why})
		return nil
	}
	data, err := ReadFile(r.fs, p, MaxConfigSize)
	if err != nil {
		return fmt.Errorf("sudoers: %w", err)
	}
	for i, b := range data {
		if b == 0 {
			return &SudoersError{File: p, Line: 1 + strings.Count(string(data[:i]), "\n"), Msg: "embedded NUL byte"}
		}
	}
	lines := strings.Count(string(data), "\n")
	if len(data) > 0 && data[len(data)-1] != '\n' {
		lines++
		data = append(data, '\n') // sudo's input function ends every file with a newline
	}
	r.facts.Files = append(r.facts.Files, SudoersFile{Path: p, LineCount: lines})
	r.open[p] = true
	defer delete(r.open, p)
	ps := &sudoersParser{r: r, lx: newSudoersLexer(p, data), file: p, depth: depth}
	return ps.parse()
}

// include processes @include and @includedir.
func (r *sudoersReader) include(from string, line int, target string, dir bool, depth int) error {
	if strings.HasPrefix(target, `"`) && strings.HasSuffix(target, `"`) && len(target) > 1 {
		target = target[1 : len(target)-1]
	}
	if target == "" {
		return &SudoersError{File: from, Line: line, Msg: "empty include path"}
	}
	if !strings.HasPrefix(target, "/") {
		target = path.Dir(from) + "/" + target
	}
	target = path.Clean(target)
	if depth+1 > sudoersMaxDepth {
		return &SudoersError{File: from, Line: line, Msg: fmt.Sprintf("%s: too many levels of includes", target)}
	}
	if !dir {
		if err := r.readFile(target, true, depth+1); err != nil {
			var se *SudoersError
			if errors.As(err, &se) && se.File == target && se.Line == 0 {
				return &SudoersError{File: from, Line: line, Msg: fmt.Sprintf("@include %s: %s", target, se.Msg)}
			}
			return err
		}
		return nil
	}
	why, err := r.secure(target, true)
	switch {
	case err != nil && hostMissing(err):
		return nil // a missing include directory is not an error
	case err != nil:
		return fmt.Errorf("sudoers: %w", err)
	case why != "":
		r.facts.Skipped = append(r.facts.Skipped, SudoersSkipped{Path: target, Reason: why})
		return nil
	}
	infos, err := afero.ReadDir(r.fs, target)
	if err != nil {
		return fmt.Errorf("sudoers: %w", err)
	}
	var names []string
	for _, fi := range infos {
		n := fi.Name()
		if n == "" || strings.HasSuffix(n, "~") || strings.Contains(n, ".") {
			continue
		}
		// sudo lists regular files only (following symlinks).
		st, err := r.fs.Stat(target + "/" + n)
		if err != nil || !st.Mode().IsRegular() {
			continue
		}
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := r.readFile(target+"/"+n, false, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// ---------------------------------------------------------------------
// Lexer: toke.l as a longest-match scanner over start conditions.

// Start conditions. Inclusive ones (INITIAL, GOTDEFS, WANTDIGEST,
// EXPECTPATH) also run the rules that name no condition.
const (
	slInitial = 1 << iota
	slGotDefs
	slGotCmnd
	slGotRegex
	slStartDefs
	slInDefs
	slInStr
	slWantDigest
	slGotInc
	slExpectPath

	slInclusive = slInitial | slGotDefs | slWantDigest | slExpectPath
	slAll       = 1<<10 - 1
)

// Token kinds.
const (
	stEOF = iota
	stNL
	stComma
	stEq
	stColon
	stLParen
	stRParen
	stBang
	stPlus  // += in Defaults
	stMinus // -= in Defaults
	stInclude
	stIncludeDir
	stDefaults
	stDefaultsUser
	stDefaultsRunas
	stDefaultsHost
	stDefaultsCmnd
	stUserAlias
	stHostAlias
	stCmndAlias
	stRunasAlias
	stTag
	stNetgroup
	stUserGroup
	stNtwkAddr
	stAll
	stOption // TIMEOUT NOTBEFORE NOTAFTER CWD CHROOT ROLE TYPE
	stAlias
	stDefVar
	stWord
	stCommand
	stDigestAlgo
	stDigest
)

var sudoersTokenNames = map[int]string{
	stEOF: "end of file", stNL: "end of line", stComma: `","`, stEq: `"="`, stColon: `":"`, stLParen: `"("`,
	stRParen: `")"`, stBang: `"!"`, stPlus: `"+="`, stMinus: `"-="`, stInclude: "@include", stIncludeDir: "@includedir",
	stDefaults: "Defaults", stDefaultsUser: "Defaults:", stDefaultsRunas: "Defaults>", stDefaultsHost: "Defaults@",
	stDefaultsCmnd: "Defaults!", stUserAlias: "User_Alias", stHostAlias: "Host_Alias", stCmndAlias: "Cmnd_Alias",
	stRunasAlias: "Runas_Alias", stTag: "tag", stNetgroup: "netgroup", stUserGroup: "group", stNtwkAddr: "network address",
	stAll: "ALL", stOption: "option", stAlias: "alias", stDefVar: "Defaults name", stWord: "word", stCommand: "command",
	stDigestAlgo: "digest type", stDigest: "digest",
}

type sudoersToken struct {
	kind int
	text string // the value (unescaped); the command for stCommand
	args string // stCommand: the arguments
	line int
}

func (t sudoersToken) describe() string {
	switch t.kind {
	case stWord, stAlias, stDefVar, stUserGroup, stNetgroup, stNtwkAddr, stTag, stOption, stDigestAlgo:
		return strconv.Quote(t.text)
	case stCommand:
		return strconv.Quote(strings.TrimSpace(t.text + " " + t.args))
	}
	return sudoersTokenNames[t.kind]
}

// Patterns of toke.l.
const (
	slWORD     = `(?:[^#>!=:,() \t\r\n\\"]|\\[^\t\n])+`
	slID       = `#-?[0-9]+`
	slPATH     = `/(?:\\[,:= \t#]|[^,:=\\ \t\r\n#])+`
	slREGEX    = `\^(?:[^#\r\n$]|\\[#$])*\$`
	slENVAR    = `(?:[^#!=, \t\r\n\\"]|\\[^\r\n])(?:[^#=, \t\r\n\\"]|\\[^\r\n])*`
	slDEFVAR   = `[a-z_]+`
	slHEX16    = `[0-9A-Fa-f]{1,4}`
	slOCTET    = `(?:1?[0-9]{1,2}|2[0-4][0-9]|25[0-5])`
	slIPV4ADDR = slOCTET + `(?:\.` + slOCTET + `){3}`
	slIPV6ADDR = `(?:(?:` + slHEX16 + `)?:){2,7}(?:` + slHEX16 + `)?|(?:(?:` + slHEX16 + `)?:){2,6}:` + slIPV4ADDR
)

// Rule identifiers, in toke.l order (the order breaks ties between
// matches of the same length).
const (
	srDefsComma = iota
	srDefsBlank
	srDefVar
	srInDefsComma
	srInDefsEq
	srInDefsPlus
	srInDefsMinus
	srInDefsQuote
	srInDefsWord
	srStrCont
	srStrEnd
	srStrBackslash
	srStrBody
	srCmndGlob
	srCmndQuoted
	srCmndEnd
	srCmndArg
	srRegexQuoted
	srRegexBad
	srRegexEnd
	srRegexBody
	srDigestHex
	srDigestB64
	srAtInclude
	srAtIncludeDir
	srHashInclude
	srHashIncludeDir
	srDefaults
	srAliasKW
	srTag
	srEmptyGroup
	srNetgroup
	srUserGroup
	srNtwk1
	srNtwk2
	srNtwk3
	srNtwk4
	srAll
	srOption
	srAliasName
	srDefsCommand
	srDigestAlgo
	srSudoedit
	srExpectPath
	srPath
	srRegex
	srQuote
	srWord
	srIncPath
	srIncQuote
	srLParen
	srRParen
	srComma
	srEq
	srColon
	srBang
	srNewline
	srBlank
	srContinuation
	srComment
	srAny
)

type sudoersRule struct {
	id     int
	states int
	bol    bool
	re     *regexp.Regexp
	// first holds the bytes a match can start with, so that most rules
	// are not tried at all.
	first [256]bool
}

func slRule(id, states int, bol bool, pattern string) sudoersRule {
	re := regexp.MustCompile(`\A(?:` + pattern + `)`)
	re.Longest()
	r := sudoersRule{id: id, states: states, bol: bol, re: re}
	tree, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		panic(err) // the patterns are constants, checked by the tests
	}
	slFirst(tree.Simplify(), &r.first)
	return r
}

// slFirst adds the bytes a match of re can start with to set; it reports
// whether re can match the empty string. Non-ASCII runes add every byte
// from 0x80 (a conservative superset).
func slFirst(re *syntax.Regexp, set *[256]bool) (nullable bool) {
	addRange := func(lo, hi rune) {
		for c := lo; c <= hi && c < 256; c++ {
			if c >= 0x80 {
				break
			}
			set[c] = true
		}
		if hi >= 0x80 {
			for c := 0x80; c < 256; c++ {
				set[c] = true
			}
		}
	}
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) == 0 {
			return true
		}
		c := re.Rune[0]
		addRange(c, c)
		if re.Flags&syntax.FoldCase != 0 {
			addRange(unicode.ToUpper(c), unicode.ToUpper(c))
			addRange(unicode.ToLower(c), unicode.ToLower(c))
		}
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			addRange(re.Rune[i], re.Rune[i+1])
		}
	case syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		addRange(0, unicode.MaxRune)
	case syntax.OpCapture:
		return slFirst(re.Sub[0], set)
	case syntax.OpStar, syntax.OpQuest:
		slFirst(re.Sub[0], set)
		return true
	case syntax.OpPlus:
		return slFirst(re.Sub[0], set)
	case syntax.OpRepeat:
		return slFirst(re.Sub[0], set) || re.Min == 0
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			if !slFirst(sub, set) {
				return false
			}
		}
		return true
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			if slFirst(sub, set) {
				nullable = true
			}
		}
		return nullable
	case syntax.OpEmptyMatch, syntax.OpBeginText, syntax.OpBeginLine, syntax.OpEndText, syntax.OpEndLine,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return true
	default:
		addRange(0, unicode.MaxRune)
	}
	return false
}

// sudoersLexRules are the rules of toke.l, compiled once (read-only).
var sudoersLexRules = sudoersRules()

func sudoersRules() []sudoersRule {
	tags := `(?:NOPASSWD|PASSWD|NOEXEC|EXEC|INTERCEPT|NOINTERCEPT|SETENV|NOSETENV|LOG_OUTPUT|NOLOG_OUTPUT|LOG_INPUT|NOLOG_INPUT|MAIL|NOMAIL|FOLLOW|NOFOLLOW)[ \t]*:`
	return []sudoersRule{
		slRule(srDefsComma, slGotDefs, false, `[ \t]*,[ \t]*`),
		slRule(srDefsBlank, slGotDefs, false, `[ \t]+`),
		slRule(srDefVar, slStartDefs, false, slDEFVAR),
		slRule(srInDefsComma, slInDefs, false, `,`),
		slRule(srInDefsEq, slInDefs, false, `=`),
		slRule(srInDefsPlus, slInDefs, false, `\+=`),
		slRule(srInDefsMinus, slInDefs, false, `-=`),
		slRule(srInDefsQuote, slInDefs, false, `"`),
		slRule(srInDefsWord, slInDefs, false, slENVAR),
		slRule(srStrCont, slInStr, false, `\\[ \t]*\r?\n[ \t]*`),
		slRule(srStrEnd, slInStr, false, `"`),
		slRule(srStrBackslash, slInStr, false, `\\`),
		slRule(srStrBody, slInStr, false, `(?:[^"\r\n\\]|\\")+`),
		slRule(srCmndGlob, slGotCmnd, false, `\\[*?\[\]!^]`),
		slRule(srCmndQuoted, slGotCmnd, false, `\\[:\\,= \t#]`),
		slRule(srCmndEnd, slGotCmnd, false, `[#:,=\r\n]`),
		slRule(srCmndArg, slGotCmnd, false, `[^#\\:, \t\r\n]+`),
		slRule(srRegexQuoted, slGotRegex, false, `\\[^\r\n]`),
		slRule(srRegexBad, slGotRegex, false, `[#\r\n]`),
		slRule(srRegexEnd, slGotRegex, false, `\$`),
		slRule(srRegexBody, slGotRegex, false, `[^#\\\r\n$]+`),
		slRule(srDigestHex, slWantDigest, false, `[0-9A-Fa-f]+`),
		slRule(srDigestB64, slWantDigest, false, `[A-Za-z0-9+/=]+`),
		slRule(srAtInclude, slInitial, false, `@include`),
		slRule(srAtIncludeDir, slInitial, false, `@includedir`),
		slRule(srHashInclude, slInitial, true, `#include[ \t]+.*(?:\r\n|\n)?`),
		slRule(srHashIncludeDir, slInitial, true, `#includedir[ \t]+.*(?:\r\n|\n)?`),
		slRule(srDefaults, slInitial, true, `[ \t]*Defaults(?:[:@>!][ \t]*!*"?(?:`+slID+`|`+slWORD+`))?`),
		slRule(srAliasKW, slInitial, true, `[ \t]*(?:Host|Cmnd|Cmd|User|Runas)_Alias`),
		slRule(srTag, slInclusive, false, tags),
		slRule(srEmptyGroup, slInitial|slGotDefs, false, `\+|%|%:`),
		slRule(srNetgroup, slInclusive, false, `\+`+slWORD),
		slRule(srUserGroup, slInclusive, false, `%:?(?:`+slWORD+`|`+slID+`)`),
		slRule(srNtwk1, slInclusive, false, slIPV4ADDR+`(?:/`+slIPV4ADDR+`)?`),
		slRule(srNtwk2, slInclusive, false, slIPV4ADDR+`/(?:[12]?[0-9]|3[0-2])`),
		slRule(srNtwk3, slInclusive, false, `(?:`+slIPV6ADDR+`)(?:/(?:`+slIPV6ADDR+`))?`),
		slRule(srNtwk4, slInclusive, false, `(?:`+slIPV6ADDR+`)/(?:[0-9]|[1-9][0-9]|1[01][0-9]|12[0-8])`),
		slRule(srAll, slInclusive, false, `ALL`),
		// Debian builds sudo with SELinux (ROLE, TYPE) but without
		// AppArmor or Solaris privileges: APPARMOR_PROFILE, PRIVS and
		// LIMITPRIVS are ordinary alias names there.
		slRule(srOption, slInitial, false, `TIMEOUT|NOTBEFORE|NOTAFTER|CWD|CHROOT|ROLE|TYPE`),
		slRule(srAliasName, slInclusive, false, `[A-Z][A-Z0-9_]*`),
		slRule(srDefsCommand, slGotDefs, false, slPATH+`|`+slREGEX+`|sudoedit`),
		slRule(srDigestAlgo, slInclusive, false, `sha224|sha256|sha384|sha512`),
		slRule(srSudoedit, slInclusive, false, `sudoedit`),
		slRule(srExpectPath, slExpectPath, false, slPATH+`|`+slWORD),
		slRule(srPath, slInclusive, false, slPATH),
		slRule(srRegex, slInclusive, false, slREGEX),
		slRule(srQuote, slInitial|slGotDefs, false, `"`),
		slRule(srWord, slInitial|slGotDefs, false, slID+`|`+slWORD),
		slRule(srIncPath, slGotInc, false, `[^"[:space:]](?:[^[:space:]]|\\[ \t])*`),
		slRule(srIncQuote, slGotInc, false, `"`),
		slRule(srLParen, slInclusive, false, `\(`),
		slRule(srRParen, slInclusive, false, `\)`),
		slRule(srComma, slInclusive, false, `,`),
		slRule(srEq, slInclusive, false, `=`),
		slRule(srColon, slInclusive, false, `:`),
		slRule(srBang, slAll, false, `!+`),
		slRule(srNewline, slAll, false, `\r?\n`),
		slRule(srBlank, slAll, false, `[ \t]+`),
		slRule(srContinuation, slAll, false, `\\[ \t]*\r?\n`),
		slRule(srComment, slInitial|slStartDefs|slInDefs, false, `#(?:-[^\r\n0-9].*|[^\r\n0-9-].*)?(?:\r\n|\n)?`),
		slRule(srAny, slAll, false, `(?s:.)`),
	}
}

// sudoersLexer scans one file.
type sudoersLexer struct {
	file      string
	data      []byte
	pos       int
	line      int
	state     int
	prevState int
	continued bool
	sawspace  bool
	digestLen int
	rules     []sudoersRule

	// The token being built across rules (strings, commands).
	str    *strings.Builder
	strTok int
	cmd    *sudoersToken
	args   strings.Builder // the command's arguments
	argLen int
}

func newSudoersLexer(file string, data []byte) *sudoersLexer {
	return &sudoersLexer{file: file, data: data, line: 1, state: slInitial, rules: sudoersLexRules}
}

func (lx *sudoersLexer) errorf(format string, args ...any) error {
	return &SudoersError{File: lx.file, Line: lx.line, Msg: fmt.Sprintf(format, args...)}
}

// next returns the next token.
func (lx *sudoersLexer) next() (sudoersToken, error) {
	for {
		if lx.pos >= len(lx.data) {
			if lx.state == slInStr {
				return sudoersToken{}, lx.errorf("unterminated string")
			}
			if lx.cmd != nil {
				return lx.endCommand(), nil
			}
			return sudoersToken{kind: stEOF, line: lx.line}, nil
		}
		bol := lx.pos == 0 || lx.data[lx.pos-1] == '\n'
		rest := lx.data[lx.pos:]
		best, bestLen := -1, 0
		for i := range lx.rules {
			r := &lx.rules[i]
			if r.states&lx.state == 0 || r.bol && !bol || !r.first[rest[0]] {
				continue
			}
			if loc := r.re.FindIndex(rest); loc != nil && loc[1] > bestLen {
				best, bestLen = i, loc[1]
			}
		}
		start := lx.pos
		text := string(rest[:bestLen])
		lx.pos += bestLen
		tok, emit, err := lx.action(lx.rules[best].id, text, start)
		if err != nil {
			return sudoersToken{}, err
		}
		if emit {
			return tok, nil
		}
	}
}

// yyless keeps the first n characters of the match at start.
func (lx *sudoersLexer) yyless(start, n int) { lx.pos = start + n }

func (lx *sudoersLexer) tok(kind int, text string) (sudoersToken, bool, error) {
	return sudoersToken{kind: kind, text: text, line: lx.line}, true, nil
}

// action runs the rule's action; emit says whether a token is returned.
func (lx *sudoersLexer) action(id int, text string, start int) (sudoersToken, bool, error) {
	none := sudoersToken{}
	switch id {
	case srDefsComma, srInDefsComma, srComma:
		if id == srInDefsComma {
			lx.state = slStartDefs
		}
		return lx.tok(stComma, ",")
	case srDefsBlank:
		lx.state = slStartDefs
		lx.sawspace = true
		return none, false, nil
	case srDefVar:
		lx.state = slInDefs
		return lx.tok(stDefVar, text)
	case srInDefsEq, srEq:
		return lx.tok(stEq, "=")
	case srInDefsPlus:
		return lx.tok(stPlus, "+=")
	case srInDefsMinus:
		return lx.tok(stMinus, "-=")
	case srInDefsQuote, srQuote, srIncQuote:
		lx.str = &strings.Builder{}
		lx.strTok = lx.line
		lx.prevState = lx.state
		if id == srIncQuote {
			lx.prevState = slInitial
		}
		lx.state = slInStr
		return none, false, nil
	case srInDefsWord, srWord, srIncPath:
		if id == srIncPath {
			lx.state = slInitial
		}
		return lx.tok(stWord, sudoersUnescape(text))
	case srStrCont:
		lx.line++
		lx.continued = true
		return none, false, nil
	case srStrEnd:
		lx.state = lx.prevState
		s := lx.str.String()
		empty := lx.str.Len() == 0
		lx.str = nil
		if empty {
			return none, false, lx.errorf("empty string")
		}
		if lx.prevState == slInitial || lx.prevState == slGotDefs {
			switch s[0] {
			case '%':
				if s == "%" || s == "%:" {
					return none, false, lx.errorf("empty group")
				}
				return lx.tok(stUserGroup, s)
			case '+':
				if s == "+" {
					return none, false, lx.errorf("empty netgroup")
				}
				return lx.tok(stNetgroup, s)
			}
		}
		return lx.tok(stWord, s)
	case srStrBackslash, srStrBody:
		lx.str.WriteString(sudoersUnescape(text))
		return none, false, nil
	case srCmndGlob:
		lx.fillArgs(text)
		lx.sawspace = false
		return none, false, nil
	case srCmndQuoted:
		lx.fillArgs(text[1:])
		lx.sawspace = false
		return none, false, nil
	case srCmndEnd:
		lx.state = slInitial
		lx.yyless(start, 0)
		return lx.endCommand(), true, nil
	case srCmndArg:
		if lx.argLen == 0 && text[0] == '^' {
			lx.state = slGotRegex
			lx.yyless(start, 0)
			return none, false, nil
		}
		lx.fillArgs(text)
		lx.sawspace = false
		return none, false, nil
	case srRegexQuoted:
		lx.fillArgsNoSpace(text)
		return none, false, nil
	case srRegexBad:
		lx.yyless(start, 0)
		lx.state = slInitial
		return none, false, lx.errorf("unterminated regular expression")
	case srRegexEnd:
		lx.fillArgsNoSpace("$")
		lx.state = slInitial
		lx.continued = false
		return lx.endCommand(), true, nil
	case srRegexBody:
		if lx.continued {
			text = strings.TrimLeft(text, " \t")
			lx.continued = false
		}
		if text != "" {
			lx.fillArgsNoSpace(text)
		}
		return none, false, nil
	case srDigestHex, srDigestB64:
		lx.state = slInitial
		if id == srDigestHex && len(text) == 2*lx.digestLen {
			return lx.tok(stDigest, text)
		}
		if id == srDigestB64 {
			want := (4*lx.digestLen + 2) / 3
			if strings.HasSuffix(text, "=") {
				want = 4 * ((lx.digestLen + 2) / 3)
			}
			if len(text) == want {
				return lx.tok(stDigest, text)
			}
		}
		return none, false, nil // swallowed: the parser then misses its digest
	case srAtInclude, srAtIncludeDir, srHashInclude, srHashIncludeDir:
		if lx.continued {
			return none, false, lx.errorf("invalid line continuation")
		}
		kind := stInclude
		if id == srAtIncludeDir || id == srHashIncludeDir {
			kind = stIncludeDir
		}
		if id == srHashInclude {
			lx.yyless(start, len("#include"))
		} else if id == srHashIncludeDir {
			lx.yyless(start, len("#includedir"))
		}
		lx.state = slGotInc
		return lx.tok(kind, strings.TrimSpace(text[:lx.pos-start]))
	case srDefaults:
		if lx.continued {
			return none, false, lx.errorf("invalid line continuation")
		}
		n := len(text) - len(strings.TrimLeft(text, " \t")) + len("Defaults")
		lx.state = slGotDefs
		if n >= len(text) {
			return lx.tok(stDefaults, "Defaults")
		}
		deftype := text[n]
		n++
		for n < len(text) && (text[n] == ' ' || text[n] == '\t') {
			n++
		}
		lx.yyless(start, n)
		kind := map[byte]int{':': stDefaultsUser, '>': stDefaultsRunas, '@': stDefaultsHost, '!': stDefaultsCmnd}[deftype]
		return lx.tok(kind, "Defaults"+string(deftype))
	case srAliasKW:
		if lx.continued {
			return none, false, lx.errorf("invalid line continuation")
		}
		kw := strings.TrimLeft(text, " \t")
		kind := map[byte]int{'H': stHostAlias, 'C': stCmndAlias, 'U': stUserAlias, 'R': stRunasAlias}[kw[0]]
		return lx.tok(kind, kw)
	case srTag:
		return lx.tok(stTag, strings.TrimRight(strings.TrimSuffix(text, ":"), " \t"))
	case srEmptyGroup:
		if text == "+" {
			return none, false, lx.errorf("empty netgroup")
		}
		return none, false, lx.errorf("empty group")
	case srNetgroup:
		return lx.tok(stNetgroup, sudoersUnescape(text))
	case srUserGroup:
		return lx.tok(stUserGroup, sudoersUnescape(text))
	case srNtwk1, srNtwk2, srNtwk3, srNtwk4:
		return lx.tok(stNtwkAddr, text)
	case srAll:
		return lx.tok(stAll, "ALL")
	case srOption:
		if text == "CWD" || text == "CHROOT" {
			lx.prevState = lx.state
			lx.state = slExpectPath
		}
		return lx.tok(stOption, text)
	case srAliasName:
		return lx.tok(stAlias, text)
	case srDefsCommand:
		return sudoersToken{kind: stCommand, text: sudoersFillCmnd(text), line: lx.line}, true, nil
	case srDigestAlgo:
		lx.digestLen = map[string]int{"sha224": 28, "sha256": 32, "sha384": 48, "sha512": 64}[text]
		lx.state = slWantDigest
		return lx.tok(stDigestAlgo, text)
	case srSudoedit:
		lx.state = slGotCmnd
		lx.startCommand(text)
		return none, false, nil
	case srExpectPath:
		lx.state = lx.prevState
		return lx.tok(stWord, sudoersUnescape(text))
	case srPath:
		if strings.HasSuffix(text, "/") {
			return sudoersToken{kind: stCommand, text: sudoersFillCmnd(text), line: lx.line}, true, nil
		}
		lx.state = slGotCmnd
		lx.startCommand(text)
		return none, false, nil
	case srRegex:
		lx.state = slGotCmnd
		lx.startCommand(text)
		return none, false, nil
	case srLParen:
		return lx.tok(stLParen, "(")
	case srRParen:
		return lx.tok(stRParen, ")")
	case srColon:
		return lx.tok(stColon, ":")
	case srBang:
		if len(text)%2 == 1 {
			return lx.tok(stBang, "!")
		}
		return none, false, nil
	case srNewline:
		if lx.state == slInStr {
			lx.yyless(start, 0)
			lx.state = slInitial
			return none, false, lx.errorf("unexpected line break in string")
		}
		// A command still being read when "\r\n" ends the line (the
		// longer match beats the command's end rule) is dropped, as in
		// flex; the parser then fails on the line.
		lx.cmd = nil
		lx.state = slInitial
		t := sudoersToken{kind: stNL, line: lx.line}
		lx.line++
		lx.continued = false
		return t, true, nil
	case srBlank:
		lx.sawspace = true
		return none, false, nil
	case srContinuation:
		lx.sawspace = true
		lx.line++
		lx.continued = true
		return none, false, nil
	case srComment:
		t := sudoersToken{kind: stNL, line: lx.line}
		if strings.HasSuffix(text, "\n") {
			lx.state = slInitial
			lx.line++
			lx.continued = false
		} else if lx.pos < len(lx.data) {
			return none, false, lx.errorf("syntax error near %q", text)
		}
		return t, true, nil
	}
	// srAny
	r, _ := utf8.DecodeRuneInString(string(lx.data[start:]))
	return none, false, lx.errorf("syntax error near %q", r)
}

// startCommand is fill_cmnd at the start of a command.
func (lx *sudoersLexer) startCommand(text string) {
	lx.cmd = &sudoersToken{kind: stCommand, text: sudoersFillCmnd(text), line: lx.line}
	lx.args.Reset()
	lx.argLen = 0
}

func (lx *sudoersLexer) endCommand() sudoersToken {
	t := *lx.cmd
	t.args = lx.args.String()
	lx.cmd = nil
	return t
}

// fillArgs is fill_args: arguments joined by one space where the file had
// white space between them.
func (lx *sudoersLexer) fillArgs(s string) {
	if lx.argLen > 0 && lx.sawspace {
		lx.args.WriteByte(' ')
	}
	lx.args.WriteString(s)
	lx.argLen++
}

func (lx *sudoersLexer) fillArgsNoSpace(s string) {
	lx.args.WriteString(s)
	lx.argLen++
}

// sudoersUnescape is copy_string: \xHH is a byte, \c is c.
func sudoersUnescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			if s[i+1] == 'x' && i+3 < len(s) {
				if h, err := strconv.ParseUint(s[i+2:i+4], 16, 8); err == nil {
					b.WriteByte(byte(h))
					i += 3
					continue
				}
			}
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// sudoersFillCmnd is fill_cmnd: escaped special characters collapse, and
// a path ending in /sudoedit is sudoedit.
func sudoersFillCmnd(s string) string {
	if strings.HasPrefix(s, "^") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i != len(s)-1 && strings.IndexByte(",:= \t#", s[i+1]) >= 0 {
			i++
		}
		b.WriteByte(s[i])
	}
	out := b.String()
	if strings.HasSuffix(out, "/sudoedit") {
		return "sudoedit"
	}
	return out
}

// ---------------------------------------------------------------------
// Parser: gram.y as recursive descent.

type sudoersParser struct {
	r     *sudoersReader
	lx    *sudoersLexer
	file  string
	depth int
	ahead *sudoersToken
}

func (p *sudoersParser) peek() (sudoersToken, error) {
	if p.ahead == nil {
		t, err := p.lx.next()
		if err != nil {
			return t, err
		}
		p.ahead = &t
	}
	return *p.ahead, nil
}

func (p *sudoersParser) next() (sudoersToken, error) {
	t, err := p.peek()
	p.ahead = nil
	return t, err
}

func (p *sudoersParser) syntaxError(t sudoersToken, want string) error {
	msg := "syntax error near " + t.describe()
	if want != "" {
		msg += ", expected " + want
	}
	return &SudoersError{File: p.file, Line: t.line, Msg: msg}
}

func (p *sudoersParser) expect(kind int, want string) (sudoersToken, error) {
	t, err := p.next()
	if err != nil {
		return t, err
	}
	if t.kind != kind {
		return t, p.syntaxError(t, want)
	}
	return t, nil
}

func (p *sudoersParser) parse() error {
	for {
		t, err := p.peek()
		if err != nil {
			return err
		}
		switch t.kind {
		case stEOF:
			return nil
		case stNL:
			p.ahead = nil
		case stInclude, stIncludeDir:
			p.ahead = nil
			target, err := p.expect(stWord, "a path")
			if err != nil {
				return err
			}
			if _, err := p.expect(stNL, "end of line"); err != nil {
				return err
			}
			if err := p.r.include(p.file, t.line, target.text, t.kind == stIncludeDir, p.depth); err != nil {
				return err
			}
		case stDefaults, stDefaultsUser, stDefaultsRunas, stDefaultsHost, stDefaultsCmnd:
			p.ahead = nil
			if err := p.defaults(t); err != nil {
				return err
			}
		case stUserAlias, stHostAlias, stCmndAlias, stRunasAlias:
			p.ahead = nil
			if err := p.aliases(t); err != nil {
				return err
			}
		default:
			if err := p.userSpec(t.line); err != nil {
				return err
			}
		}
	}
}

// member is one list item as written: "!bob", "%sudo", "ALL", an alias.
func (p *sudoersParser) member(allowed map[int]bool, what string) (string, error) {
	t, err := p.next()
	if err != nil {
		return "", err
	}
	neg := ""
	if t.kind == stBang {
		neg = "!"
		if t, err = p.next(); err != nil {
			return "", err
		}
	}
	if !allowed[t.kind] {
		return "", p.syntaxError(t, what)
	}
	return neg + t.text, nil
}

var (
	sudoersUserKinds  = map[int]bool{stAlias: true, stAll: true, stNetgroup: true, stUserGroup: true, stWord: true}
	sudoersHostKinds  = map[int]bool{stAlias: true, stAll: true, stNetgroup: true, stNtwkAddr: true, stWord: true}
	sudoersGroupKinds = map[int]bool{stAlias: true, stAll: true, stWord: true}
)

// list parses item (',' item)*.
func (p *sudoersParser) list(allowed map[int]bool, what string) ([]string, error) {
	var out []string
	for {
		m, err := p.member(allowed, what)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
		t, err := p.peek()
		if err != nil {
			return nil, err
		}
		if t.kind != stComma {
			return out, nil
		}
		p.ahead = nil
	}
}

// sudoersCmnd is a parsed command with its digests.
type sudoersCmnd struct {
	text    string
	negated bool
	digests []string
}

// digCmnd is digcmnd: digests, then an optionally negated command.
func (p *sudoersParser) digCmnd() (sudoersCmnd, error) {
	var c sudoersCmnd
	for {
		t, err := p.peek()
		if err != nil {
			return c, err
		}
		if t.kind != stDigestAlgo {
			break
		}
		p.ahead = nil
		if _, err := p.expect(stColon, `":"`); err != nil {
			return c, err
		}
		d, err := p.expect(stDigest, "a "+t.text+" digest")
		if err != nil {
			return c, err
		}
		c.digests = append(c.digests, t.text+":"+d.text)
		if t, err = p.peek(); err != nil {
			return c, err
		}
		if t.kind != stComma {
			break
		}
		p.ahead = nil
		if t, err = p.peek(); err != nil {
			return c, err
		}
		if t.kind != stDigestAlgo {
			return c, p.syntaxError(t, "a digest")
		}
	}
	t, err := p.next()
	if err != nil {
		return c, err
	}
	if t.kind == stBang {
		c.negated = true
		if t, err = p.next(); err != nil {
			return c, err
		}
	}
	switch t.kind {
	case stAll:
		c.text = "ALL"
	case stAlias:
		c.text = t.text
	case stCommand:
		c.text = t.text
		if t.args != "" {
			c.text += " " + t.args
		}
	case stWord:
		if t.text != "list" {
			return c, &SudoersError{File: p.file, Line: t.line, Msg: "expected a fully-qualified path name, got " + strconv.Quote(t.text)}
		}
		c.text = "list"
	default:
		return c, p.syntaxError(t, "a command")
	}
	if len(c.digests) > 0 && t.kind != stCommand && t.kind != stAll {
		return c, &SudoersError{File: p.file, Line: t.line, Msg: "a digest requires a path name"}
	}
	return c, nil
}

func (p *sudoersParser) cmndList() ([]string, error) {
	var out []string
	for {
		c, err := p.digCmnd()
		if err != nil {
			return nil, err
		}
		s := c.text
		if c.negated {
			s = "!" + s
		}
		out = append(out, s)
		t, err := p.peek()
		if err != nil {
			return nil, err
		}
		if t.kind != stComma {
			return out, nil
		}
		p.ahead = nil
	}
}

func (p *sudoersParser) defaults(head sudoersToken) error {
	binding, targets := "", []string{}
	var err error
	switch head.kind {
	case stDefaultsUser:
		binding = "user"
		targets, err = p.list(sudoersUserKinds, "a user")
	case stDefaultsRunas:
		binding = "runas"
		targets, err = p.list(sudoersUserKinds, "a user")
	case stDefaultsHost:
		binding = "host"
		targets, err = p.list(sudoersHostKinds, "a host")
	case stDefaultsCmnd:
		binding = "command"
		targets, err = p.cmndList()
	}
	if err != nil {
		return err
	}
	for {
		t, err := p.next()
		if err != nil {
			return err
		}
		d := SudoersDefault{Binding: binding, Targets: targets, File: p.file, Line: head.line}
		if t.kind == stBang {
			d.Operator, d.Value = "!", false
			if t, err = p.next(); err != nil {
				return err
			}
		}
		if t.kind != stDefVar {
			return p.syntaxError(t, "a Defaults setting")
		}
		d.Name = t.text
		if d.Operator == "" {
			op, err := p.peek()
			if err != nil {
				return err
			}
			switch op.kind {
			case stEq, stPlus, stMinus:
				p.ahead = nil
				v, err := p.expect(stWord, "a value")
				if err != nil {
					return err
				}
				d.Operator, d.Value = op.text, v.text
			default:
				d.Value = true
			}
		}
		if err := sudoersCheckDefault(d); err != nil {
			return &SudoersError{File: p.file, Line: t.line, Msg: err.Error()}
		}
		p.r.facts.Defaults = append(p.r.facts.Defaults, d)
		t, err = p.next()
		if err != nil {
			return err
		}
		switch t.kind {
		case stComma:
			continue
		case stNL:
			return nil
		}
		return p.syntaxError(t, `"," or end of line`)
	}
}

// sudoersReserved are the words gram.y refuses as alias names (on a
// build with SELinux and without Solaris privileges or AppArmor).
var sudoersReserved = map[string]bool{"ALL": true, "CHROOT": true, "CWD": true, "TIMEOUT": true, "NOTBEFORE": true, "NOTAFTER": true, "ROLE": true, "TYPE": true}

func (p *sudoersParser) aliases(head sudoersToken) error {
	typ := map[int]string{stUserAlias: "User_Alias", stHostAlias: "Host_Alias", stCmndAlias: "Cmnd_Alias", stRunasAlias: "Runas_Alias"}[head.kind]
	for {
		t, err := p.next()
		if err != nil {
			return err
		}
		if t.kind == stAll || t.kind == stOption {
			return &SudoersError{File: p.file, Line: t.line, Msg: fmt.Sprintf("syntax error, reserved word %s used as an alias name", t.text)}
		}
		if t.kind != stAlias {
			return p.syntaxError(t, "an alias name")
		}
		if _, err := p.expect(stEq, `"="`); err != nil {
			return err
		}
		var members []string
		switch head.kind {
		case stUserAlias, stRunasAlias:
			members, err = p.list(sudoersUserKinds, "a user")
		case stHostAlias:
			members, err = p.list(sudoersHostKinds, "a host")
		case stCmndAlias:
			members, err = p.cmndList()
		}
		if err != nil {
			return err
		}
		key := typ + " " + t.text
		if p.r.aliasSeen[key] {
			return &SudoersError{File: p.file, Line: t.line, Msg: fmt.Sprintf("Alias %q already defined", t.text)}
		}
		p.r.aliasSeen[key] = true
		p.r.facts.Aliases[typ][t.text] = members
		sep, err := p.next()
		if err != nil {
			return err
		}
		switch sep.kind {
		case stColon:
			continue
		case stNL:
			return nil
		}
		return p.syntaxError(sep, `":" or end of line`)
	}
}

// sudoersTagPairs are the tags in the order facts list them: each pair
// is (set, unset) of one tag.
var sudoersTagPairs = [][2]string{
	{"NOPASSWD", "PASSWD"}, {"NOEXEC", "EXEC"}, {"INTERCEPT", "NOINTERCEPT"}, {"SETENV", "NOSETENV"},
	{"LOG_INPUT", "NOLOG_INPUT"}, {"LOG_OUTPUT", "NOLOG_OUTPUT"}, {"MAIL", "NOMAIL"}, {"FOLLOW", "NOFOLLOW"},
}

// cmndSpec is one cmndspec with what it inherited.
type sudoersCmndSpec struct {
	runasSet            bool
	runasUsers, runasGr []string
	tags                map[string]string // pair head -> tag
	options             map[string]string
	cmnd                sudoersCmnd
}

func (p *sudoersParser) userSpec(line int) error {
	users, err := p.list(sudoersUserKinds, "a user")
	if err != nil {
		return err
	}
	for {
		hosts, err := p.list(sudoersHostKinds, "a host")
		if err != nil {
			return err
		}
		if _, err := p.expect(stEq, `"="`); err != nil {
			return err
		}
		var specs []sudoersCmndSpec
		for {
			cs, err := p.cmndSpec()
			if err != nil {
				return err
			}
			if len(specs) > 0 {
				cs.inherit(specs[len(specs)-1])
			}
			specs = append(specs, cs)
			t, err := p.peek()
			if err != nil {
				return err
			}
			if t.kind != stComma {
				break
			}
			p.ahead = nil
		}
		p.addSpecs(users, hosts, specs, line)
		t, err := p.next()
		if err != nil {
			return err
		}
		switch t.kind {
		case stColon:
			continue
		case stNL:
			return nil
		}
		return p.syntaxError(t, `",", ":" or end of line`)
	}
}

// inherit carries tags, options and the Runas_Spec forward from the
// previous command of the list, as gram.y's cmndspeclist does.
func (cs *sudoersCmndSpec) inherit(prev sudoersCmndSpec) {
	for k, v := range prev.tags {
		if _, set := cs.tags[k]; set {
			continue
		}
		if k == "SETENV" && v == "" { // implied by ALL, not carried
			continue
		}
		cs.tags[k] = v
	}
	_, role := cs.options["ROLE"]
	_, typ := cs.options["TYPE"]
	for k, v := range prev.options {
		if _, set := cs.options[k]; set {
			continue
		}
		if (k == "ROLE" || k == "TYPE") && (role || typ) {
			continue // role and type are carried together
		}
		cs.options[k] = v
	}
	if !cs.runasSet && prev.runasSet {
		cs.runasSet, cs.runasUsers, cs.runasGr = true, prev.runasUsers, prev.runasGr
	}
}

func (p *sudoersParser) cmndSpec() (sudoersCmndSpec, error) {
	cs := sudoersCmndSpec{tags: map[string]string{}, options: map[string]string{}}
	t, err := p.peek()
	if err != nil {
		return cs, err
	}
	if t.kind == stLParen {
		p.ahead = nil
		cs.runasSet = true
		if t, err = p.peek(); err != nil {
			return cs, err
		}
		if t.kind != stRParen && t.kind != stColon {
			if cs.runasUsers, err = p.list(sudoersUserKinds, "a user"); err != nil {
				return cs, err
			}
			if t, err = p.peek(); err != nil {
				return cs, err
			}
		}
		if t.kind == stColon {
			p.ahead = nil
			if t, err = p.peek(); err != nil {
				return cs, err
			}
			if t.kind != stRParen {
				if cs.runasGr, err = p.list(sudoersGroupKinds, "a group"); err != nil {
					return cs, err
				}
			}
		}
		if _, err := p.expect(stRParen, `")"`); err != nil {
			return cs, err
		}
	}
	// Option_Specs.
	for {
		if t, err = p.peek(); err != nil {
			return cs, err
		}
		if t.kind != stOption {
			break
		}
		p.ahead = nil
		if _, err := p.expect(stEq, `"="`); err != nil {
			return cs, err
		}
		v, err := p.expect(stWord, "a value for "+t.text)
		if err != nil {
			return cs, err
		}
		if msg := sudoersCheckOption(t.text, v.text); msg != "" {
			return cs, &SudoersError{File: p.file, Line: v.line, Msg: msg}
		}
		cs.options[t.text] = v.text
	}
	// Tags.
	for {
		if t, err = p.peek(); err != nil {
			return cs, err
		}
		if t.kind != stTag {
			break
		}
		p.ahead = nil
		for _, pair := range sudoersTagPairs {
			if t.text == pair[0] || t.text == pair[1] {
				cs.tags[pair[0]] = t.text
			}
		}
	}
	if cs.cmnd, err = p.digCmnd(); err != nil {
		return cs, err
	}
	// sudo "ALL" implies SETENV (not carried to the next command).
	if cs.cmnd.text == "ALL" && !cs.cmnd.negated {
		if _, set := cs.tags["SETENV"]; !set {
			cs.tags["SETENV"] = ""
		}
	}
	return cs, nil
}

// addSpecs records a privilege, one SudoersUserSpec per run of commands
// with the same Runas_Spec.
func (p *sudoersParser) addSpecs(users, hosts []string, specs []sudoersCmndSpec, line int) {
	var cur *SudoersUserSpec
	var curSpec sudoersCmndSpec
	for _, cs := range specs {
		if cur == nil || cs.runasSet != curSpec.runasSet || !equalStrings(cs.runasUsers, curSpec.runasUsers) || !equalStrings(cs.runasGr, curSpec.runasGr) {
			p.r.facts.UserSpecs = append(p.r.facts.UserSpecs, SudoersUserSpec{
				Users: users, Hosts: hosts, RunasSpecified: cs.runasSet,
				RunasUsers: nonNil(cs.runasUsers), RunasGroups: nonNil(cs.runasGr),
				Commands: []SudoersCommand{}, File: p.file, Line: line,
			})
			cur, curSpec = &p.r.facts.UserSpecs[len(p.r.facts.UserSpecs)-1], cs
		}
		c := SudoersCommand{Command: cs.cmnd.text, Negated: cs.cmnd.negated, Tags: []string{}, Options: cs.options, Digests: nonNil(cs.cmnd.digests)}
		for _, pair := range sudoersTagPairs {
			switch v, set := cs.tags[pair[0]]; {
			case set && v == "": // implied by ALL
				c.Tags = append(c.Tags, pair[0])
			case set:
				c.Tags = append(c.Tags, v)
			}
		}
		cur.Commands = append(cur.Commands, c)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// sudoersCheckOption checks an Option_Spec's value as gram.y does.
func sudoersCheckOption(name, v string) string {
	switch name {
	case "CWD", "CHROOT":
		if v[0] != '/' && v[0] != '~' && v != "*" {
			return fmt.Sprintf("values for %q must start with a '/', '~', or '*'", name)
		}
	case "TIMEOUT":
		if _, ok := sudoersParseTimeout(v); !ok {
			return "invalid timeout value"
		}
	case "NOTBEFORE", "NOTAFTER":
		if !sudoersGentime.MatchString(v) {
			return fmt.Sprintf("invalid %s value", strings.ToLower(name))
		}
	}
	return ""
}

// sudoersGentime is the shape parse_gentime accepts: yyyymmddHH[MM[SS]],
// an optional fraction and zone.
var sudoersGentime = regexp.MustCompile(`^[0-9]{4}[0-9]{2}[0-9]{2}[0-9]{2}(?:[0-9]{2}(?:[0-9]{2})?)?(?:[.,][0-9])?(?:Z|[+-](?:[0-9]{2}|[0-9]{4}))?$`)

// sudoersParseTimeout is parse_timeout: numbers with optional d, h, m, s
// suffixes in that order ("1h30m", "90").
func sudoersParseTimeout(s string) (int, bool) {
	const suffixes = "dhms"
	total, idx := 0, 0
	for s != "" {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == 0 {
			return 0, false
		}
		n, err := strconv.Atoi(s[:i])
		if err != nil {
			return 0, false
		}
		s = s[i:]
		if s != "" {
			c := s[0] | 0x20
			for idx < len(suffixes) && suffixes[idx] != c {
				idx++
			}
			if idx == len(suffixes) {
				return 0, false
			}
			n *= map[byte]int{'d': 86400, 'h': 3600, 'm': 60, 's': 1}[c]
			s = s[1:]
		}
		total += n
	}
	return total, true
}

// sudoersDefType describes a Defaults setting (def_data.in).
type sudoersDefType struct {
	kind                  string
	boolean, path, chpath bool
	values                []string
}

// sudoersCheckDefault is parse_default_entry: the checks visudo -c makes
// on every Defaults setting.
func sudoersCheckDefault(d SudoersDefault) error {
	def, ok := sudoersDefs[d.Name]
	if !ok {
		return fmt.Errorf("unknown defaults entry %q", d.Name)
	}
	val, hasVal := d.Value.(string)
	negated := d.Operator == "!"
	if !hasVal {
		switch def.kind {
		case "flag", "logfac":
		case "tuple":
			if !def.boolean && !negated {
				return fmt.Errorf("no value specified for %q", d.Name)
			}
		default:
			if !def.boolean || !negated {
				return fmt.Errorf("no value specified for %q", d.Name)
			}
		}
	}
	if (d.Operator == "+=" || d.Operator == "-=") && def.kind != "list" {
		return fmt.Errorf("invalid operator %q for %q", d.Operator, d.Name)
	}
	if !hasVal {
		return nil
	}
	valid := true
	switch def.kind {
	case "flag":
		return fmt.Errorf("option %q does not take a value", d.Name)
	case "str":
		if def.path && val[0] != '/' {
			return fmt.Errorf("values for %q must start with a '/'", d.Name)
		}
		if def.chpath && val[0] != '/' && val[0] != '~' && val != "*" {
			return fmt.Errorf("values for %q must start with a '/', '~', or '*'", d.Name)
		}
	case "int":
		_, err := strconv.ParseInt(val, 10, 32)
		valid = err == nil
	case "uint":
		_, err := strconv.ParseUint(val, 10, 32)
		valid = err == nil
	case "mode":
		m, err := strconv.ParseUint(val, 8, 32)
		valid = err == nil && m <= 0o777
	case "timespec":
		valid = sudoersTimespec.MatchString(val)
	case "timeout":
		_, valid = sudoersParseTimeout(val)
	case "tuple":
		valid = sdContains(def.values, val)
	case "logfac":
		valid = sdContains([]string{"authpriv", "auth", "daemon", "user", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"}, val)
	case "logpri":
		valid = sdContains([]string{"alert", "crit", "debug", "emerg", "err", "info", "notice", "warning", "none"}, val)
	}
	if !valid {
		return fmt.Errorf("value %q is invalid for option %q", val, d.Name)
	}
	return nil
}

// sudoersTimespec is what store_timespec accepts: minutes, an optional
// sign and fraction.
var sudoersTimespec = regexp.MustCompile(`^[+-]?[0-9]*(?:\.[0-9]*)?$`)

// sudoersDefs are sudo 1.9.13's Defaults settings (plugins/sudoers
// def_data.in): type, whether "!name" is allowed without a value, path
// checks, and the values of tuples.
var sudoersDefs = map[string]sudoersDefType{
	"syslog":                    {kind: "logfac", boolean: true},
	"syslog_goodpri":            {kind: "logpri", boolean: true},
	"syslog_badpri":             {kind: "logpri", boolean: true},
	"long_otp_prompt":           {kind: "flag"},
	"ignore_dot":                {kind: "flag"},
	"mail_always":               {kind: "flag"},
	"mail_badpass":              {kind: "flag"},
	"mail_no_user":              {kind: "flag"},
	"mail_no_host":              {kind: "flag"},
	"mail_no_perms":             {kind: "flag"},
	"mail_all_cmnds":            {kind: "flag"},
	"tty_tickets":               {kind: "flag"},
	"lecture":                   {kind: "tuple", boolean: true, values: []string{"never", "once", "always"}},
	"lecture_file":              {kind: "str", boolean: true, path: true},
	"authenticate":              {kind: "flag"},
	"root_sudo":                 {kind: "flag"},
	"log_host":                  {kind: "flag"},
	"log_year":                  {kind: "flag"},
	"shell_noargs":              {kind: "flag"},
	"set_home":                  {kind: "flag"},
	"always_set_home":           {kind: "flag"},
	"path_info":                 {kind: "flag"},
	"fqdn":                      {kind: "flag"},
	"insults":                   {kind: "flag"},
	"requiretty":                {kind: "flag"},
	"env_editor":                {kind: "flag"},
	"rootpw":                    {kind: "flag"},
	"runaspw":                   {kind: "flag"},
	"targetpw":                  {kind: "flag"},
	"use_loginclass":            {kind: "flag"},
	"set_logname":               {kind: "flag"},
	"stay_setuid":               {kind: "flag"},
	"preserve_groups":           {kind: "flag"},
	"loglinelen":                {kind: "uint", boolean: true},
	"timestamp_timeout":         {kind: "timespec", boolean: true},
	"passwd_timeout":            {kind: "timespec", boolean: true},
	"passwd_tries":              {kind: "uint"},
	"umask":                     {kind: "mode", boolean: true},
	"logfile":                   {kind: "str", boolean: true, path: true},
	"mailerpath":                {kind: "str", boolean: true, path: true},
	"mailerflags":               {kind: "str", boolean: true},
	"mailto":                    {kind: "str", boolean: true},
	"mailfrom":                  {kind: "str", boolean: true},
	"mailsub":                   {kind: "str"},
	"badpass_message":           {kind: "str"},
	"lecture_status_dir":        {kind: "str", path: true},
	"timestampdir":              {kind: "str", path: true},
	"timestampowner":            {kind: "str"},
	"exempt_group":              {kind: "str", boolean: true},
	"passprompt":                {kind: "str"},
	"passprompt_override":       {kind: "flag"},
	"runas_default":             {kind: "str"},
	"secure_path":               {kind: "str", boolean: true},
	"editor":                    {kind: "str", path: true},
	"listpw":                    {kind: "tuple", boolean: true, values: []string{"never", "any", "all", "always"}},
	"verifypw":                  {kind: "tuple", boolean: true, values: []string{"never", "all", "any", "always"}},
	"noexec":                    {kind: "flag"},
	"ignore_local_sudoers":      {kind: "flag"},
	"closefrom":                 {kind: "int"},
	"closefrom_override":        {kind: "flag"},
	"setenv":                    {kind: "flag"},
	"env_reset":                 {kind: "flag"},
	"env_check":                 {kind: "list", boolean: true},
	"env_delete":                {kind: "list", boolean: true},
	"env_keep":                  {kind: "list", boolean: true},
	"role":                      {kind: "str"},
	"type":                      {kind: "str"},
	"env_file":                  {kind: "str", boolean: true, path: true},
	"restricted_env_file":       {kind: "str", boolean: true, path: true},
	"sudoers_locale":            {kind: "str"},
	"visiblepw":                 {kind: "flag"},
	"pwfeedback":                {kind: "flag"},
	"fast_glob":                 {kind: "flag"},
	"umask_override":            {kind: "flag"},
	"log_input":                 {kind: "flag"},
	"log_stdin":                 {kind: "flag"},
	"log_ttyin":                 {kind: "flag"},
	"log_output":                {kind: "flag"},
	"log_stdout":                {kind: "flag"},
	"log_stderr":                {kind: "flag"},
	"log_ttyout":                {kind: "flag"},
	"compress_io":               {kind: "flag"},
	"use_pty":                   {kind: "flag"},
	"group_plugin":              {kind: "str"},
	"iolog_dir":                 {kind: "str", path: true},
	"iolog_file":                {kind: "str"},
	"set_utmp":                  {kind: "flag"},
	"utmp_runas":                {kind: "flag"},
	"privs":                     {kind: "str"},
	"limitprivs":                {kind: "str"},
	"exec_background":           {kind: "flag"},
	"pam_service":               {kind: "str"},
	"pam_login_service":         {kind: "str"},
	"pam_askpass_service":       {kind: "str"},
	"pam_setcred":               {kind: "flag"},
	"pam_session":               {kind: "flag"},
	"pam_acct_mgmt":             {kind: "flag"},
	"maxseq":                    {kind: "str"},
	"use_netgroups":             {kind: "flag"},
	"sudoedit_checkdir":         {kind: "flag"},
	"sudoedit_follow":           {kind: "flag"},
	"always_query_group_plugin": {kind: "flag"},
	"netgroup_tuple":            {kind: "flag"},
	"ignore_audit_errors":       {kind: "flag"},
	"ignore_iolog_errors":       {kind: "flag"},
	"ignore_logfile_errors":     {kind: "flag"},
	"match_group_by_gid":        {kind: "flag"},
	"syslog_maxlen":             {kind: "uint"},
	"iolog_user":                {kind: "str", boolean: true},
	"iolog_group":               {kind: "str", boolean: true},
	"iolog_mode":                {kind: "mode"},
	"fdexec":                    {kind: "tuple", boolean: true, values: []string{"never", "digest_only", "always"}},
	"ignore_unknown_defaults":   {kind: "flag"},
	"command_timeout":           {kind: "timeout", boolean: true},
	"user_command_timeouts":     {kind: "flag"},
	"iolog_flush":               {kind: "flag"},
	"syslog_pid":                {kind: "flag"},
	"timestamp_type":            {kind: "tuple", values: []string{"global", "ppid", "tty", "kernel"}},
	"authfail_message":          {kind: "str"},
	"case_insensitive_user":     {kind: "flag"},
	"case_insensitive_group":    {kind: "flag"},
	"log_allowed":               {kind: "flag"},
	"log_denied":                {kind: "flag"},
	"log_servers":               {kind: "list", boolean: true},
	"log_server_timeout":        {kind: "timeout", boolean: true},
	"log_server_keepalive":      {kind: "flag"},
	"log_server_cabundle":       {kind: "str", boolean: true, path: true},
	"log_server_peer_cert":      {kind: "str", boolean: true, path: true},
	"log_server_peer_key":       {kind: "str", boolean: true, path: true},
	"log_server_verify":         {kind: "flag"},
	"runas_allow_unknown_id":    {kind: "flag"},
	"runas_check_shell":         {kind: "flag"},
	"pam_ruser":                 {kind: "flag"},
	"pam_rhost":                 {kind: "flag"},
	"runcwd":                    {kind: "str", boolean: true, chpath: true},
	"runchroot":                 {kind: "str", boolean: true, chpath: true},
	"log_format":                {kind: "tuple", values: []string{"sudo", "json"}},
	"selinux":                   {kind: "flag"},
	"admin_flag":                {kind: "str", boolean: true, chpath: true},
	"intercept":                 {kind: "flag"},
	"log_subcmds":               {kind: "flag"},
	"log_exit_status":           {kind: "flag"},
	"intercept_authenticate":    {kind: "flag"},
	"intercept_allow_setid":     {kind: "flag"},
	"rlimit_as":                 {kind: "rlimit", boolean: true},
	"rlimit_core":               {kind: "rlimit", boolean: true},
	"rlimit_cpu":                {kind: "rlimit", boolean: true},
	"rlimit_data":               {kind: "rlimit", boolean: true},
	"rlimit_fsize":              {kind: "rlimit", boolean: true},
	"rlimit_locks":              {kind: "rlimit", boolean: true},
	"rlimit_memlock":            {kind: "rlimit", boolean: true},
	"rlimit_nofile":             {kind: "rlimit", boolean: true},
	"rlimit_nproc":              {kind: "rlimit", boolean: true},
	"rlimit_rss":                {kind: "rlimit", boolean: true},
	"rlimit_stack":              {kind: "rlimit", boolean: true},
	"noninteractive_auth":       {kind: "flag"},
	"log_passwords":             {kind: "flag"},
	"passprompt_regex":          {kind: "list", boolean: true},
	"intercept_type":            {kind: "tuple", values: []string{"dso", "trace"}},
	"intercept_verify":          {kind: "flag"},
	"apparmor_profile":          {kind: "str"},
}
