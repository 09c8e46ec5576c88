package checks

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/spf13/afero"
)

// The Linux audit daemon's files.
const (
	auditdConf     = "/etc/audit/auditd.conf"
	auditRulesDir  = "/etc/audit/rules.d"
	auditRulesFile = "/etc/audit/audit.rules"
	// auditMaxRuleFiles bounds the files of rules.d read.
	auditMaxRuleFiles = 10000
)

// Audit collects the configuration of the Linux audit daemon: auditd.conf,
// the rules of /etc/audit/rules.d as augenrules(8) concatenates them, and
// the compiled /etc/audit/audit.rules that auditctl -R loads. Nothing is
// executed: the rules are read from the files, as auditctl(8) parses them.
type Audit struct{}

// AuditFacts is the facts of the audit collector (docs/facts/audit.md).
type AuditFacts struct {
	// AuditdConf says whether /etc/audit/auditd.conf exists.
	AuditdConf AuditFile `json:"auditd_conf"`
	// Config maps each auditd.conf keyword, lowercased (auditd compares
	// them case-insensitively), to its value as written.
	Config map[string]AuditSetting `json:"config"`
	// RulesD describes /etc/audit/rules.d.
	RulesD AuditRulesDir `json:"rules_d"`
	// Rules are the rules of rules.d's *.rules files in the order augenrules
	// reads them (file names in version order, lines in file order).
	Rules []AuditRule `json:"rules"`
	// Immutable is true when the last -e of rules.d is 2 (augenrules keeps
	// only the last -e and puts it at the end).
	Immutable bool `json:"immutable"`
	// AuditRules is the compiled /etc/audit/audit.rules.
	AuditRules AuditRulesFile `json:"audit_rules"`
}

// AuditFile is a path and whether it exists.
type AuditFile struct {
	Path   string `json:"path"`
	Exists bool   `json:"exists"`
}

// AuditSetting is one auditd.conf assignment ("keyword = value [option]").
type AuditSetting struct {
	Value string `json:"value"`
	// Option is the word after the value, for the keywords that take one
	// ("space_left_action = exec /path/script").
	Option string `json:"option,omitempty"`
	File   string `json:"file"`
	Line   int    `json:"line"`
}

// AuditRulesDir describes /etc/audit/rules.d.
type AuditRulesDir struct {
	Path   string `json:"path"`
	Exists bool   `json:"exists"`
	// Files are the *.rules files read, in augenrules order.
	Files []string `json:"files"`
}

// AuditRulesFile is one rules file read on its own.
type AuditRulesFile struct {
	Path   string      `json:"path"`
	Exists bool        `json:"exists"`
	Rules  []AuditRule `json:"rules"`
	// Immutable is true when the file's last -e is 2.
	Immutable bool `json:"immutable"`
}

// AuditRule is one rule line, or one control option of a line.
type AuditRule struct {
	// Raw is the line with its words separated by single spaces.
	Raw string `json:"raw"`
	// Kind is "watch" (-w, -W), "syscall" (-a, -A, -d) or "control" (-e,
	// -b, -f, -r, -D, --backlog_wait_time, ...).
	Kind string `json:"kind"`
	// Op is the option that makes the rule: "-w", "-W", "-a", "-A", "-d",
	// or the control option.
	Op   string `json:"op"`
	File string `json:"file"`
	Line int    `json:"line"`
	// Path is the watched path of -w and -W.
	Path string `json:"path,omitempty"`
	// Permissions are -p's permissions in the canonical order r, w, x, a;
	// a watch without -p watches all four.
	Permissions string `json:"permissions,omitempty"`
	// Keys are the -k and -F key= values.
	Keys []string `json:"keys"`
	// Action ("always", "never") and List ("exit", "user", "exclude",
	// "task", "filesystem", "io_uring") of -a/-A/-d, either order accepted.
	Action string `json:"action,omitempty"`
	List   string `json:"list,omitempty"`
	// Syscalls are the -S syscalls, comma lists split, several -S merged,
	// in order without duplicates.
	Syscalls []string `json:"syscalls"`
	// Fields are the -F filters other than key.
	Fields []AuditField `json:"fields"`
	// Comparisons are the -C field comparisons.
	Comparisons []AuditField `json:"comparisons"`
	// Value is a control option's argument ("2" for -e 2); "" for -D and
	// the flags.
	Value string `json:"value,omitempty"`
}

// AuditField is one -F name OP value (or -C left OP right).
type AuditField struct {
	Name  string `json:"name"`
	Op    string `json:"op"`
	Value string `json:"value"`
}

// auditFieldOps are libaudit's operators in the order
// audit_rule_fieldpair_data looks for them.
var auditFieldOps = []string{"!=", ">=", "<=", "&=", "=", ">", "<", "&"}

// auditLists and auditActions are the values of -a's "list,action".
var (
	auditLists   = map[string]bool{"task": true, "entry": true, "exit": true, "user": true, "exclude": true, "filesystem": true, "io_uring": true}
	auditActions = map[string]bool{"always": true, "never": true}
)

// auditControl are the control options: whether each takes an argument.
var auditControl = map[string]bool{
	"-e": true, "-f": true, "-b": true, "-r": true, "--backlog_wait_time": true,
	"-D": false, "-i": false, "-c": false, "--loginuid-immutable": false, "--reset-lost": false,
	"--reset_backlog_wait_time_actual": false,
}

// auditNotRules are auditctl options that query or act instead of
// describing a rule; a rules file must not hold them.
var auditNotRules = map[string]bool{
	"-l": true, "-s": true, "-m": true, "-R": true, "-q": true, "-t": true, "-v": true, "-h": true, "--help": true, "--signal": true,
}

// Name implements Collector.
func (Audit) Name() string { return "audit" }

// Collect implements Collector. Missing files are facts; a line auditd or
// auditctl would reject is an error naming file and line.
func (Audit) Collect(ctx context.Context, t Target) (any, error) {
	facts := &AuditFacts{
		AuditdConf: AuditFile{Path: auditdConf},
		Config:     map[string]AuditSetting{},
		RulesD:     AuditRulesDir{Path: auditRulesDir, Files: []string{}},
		Rules:      []AuditRule{},
		AuditRules: AuditRulesFile{Path: auditRulesFile, Rules: []AuditRule{}},
	}
	data, err := ReadFile(t.Fs, auditdConf, MaxConfigSize)
	switch {
	case hostMissing(err):
	case err != nil:
		return nil, fmt.Errorf("audit: %w", err)
	default:
		facts.AuditdConf.Exists = true
		if err := parseAuditdConf(auditdConf, data, facts.Config); err != nil {
			return nil, err
		}
	}

	files, exists, err := auditRuleFiles(t.Fs)
	if err != nil {
		return nil, err
	}
	facts.RulesD.Exists = exists
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		data, err := ReadFile(t.Fs, f, MaxConfigSize)
		if err != nil {
			return nil, fmt.Errorf("audit: %w", err)
		}
		rules, err := parseAuditRules(f, data)
		if err != nil {
			return nil, err
		}
		facts.RulesD.Files = append(facts.RulesD.Files, f)
		facts.Rules = append(facts.Rules, rules...)
	}
	facts.Immutable = auditImmutable(facts.Rules)

	data, err = ReadFile(t.Fs, auditRulesFile, MaxConfigSize)
	switch {
	case hostMissing(err):
	case err != nil:
		return nil, fmt.Errorf("audit: %w", err)
	default:
		facts.AuditRules.Exists = true
		if facts.AuditRules.Rules, err = parseAuditRules(auditRulesFile, data); err != nil {
			return nil, err
		}
		facts.AuditRules.Immutable = auditImmutable(facts.AuditRules.Rules)
	}
	return facts, nil
}

// parseAuditdConf parses auditd.conf(5): "keyword = value [option]" with
// the words separated by spaces, as auditd's nv_split requires (so
// "keyword=value" is an error, as it is for auditd), and # comments.
func parseAuditdConf(file string, data []byte, out map[string]AuditSetting) error {
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSuffix(line, "\r")
		words := strings.FieldsFunc(line, func(r rune) bool { return r == ' ' || r == '\t' })
		if len(words) == 0 || strings.HasPrefix(words[0], "#") {
			continue
		}
		switch {
		case len(words) < 3:
			if strings.Contains(words[0], "=") {
				return fmt.Errorf("audit: %s:%d: %q needs spaces around '=' (keyword = value)", file, n+1, strings.TrimSpace(line))
			}
			return fmt.Errorf("audit: %s:%d: wrong number of words in %q, want keyword = value", file, n+1, strings.TrimSpace(line))
		case words[1] != "=":
			return fmt.Errorf("audit: %s:%d: missing '=' in %q", file, n+1, strings.TrimSpace(line))
		case len(words) > 4:
			return fmt.Errorf("audit: %s:%d: wrong number of words in %q, want keyword = value [option]", file, n+1, strings.TrimSpace(line))
		}
		s := AuditSetting{Value: words[2], File: file, Line: n + 1}
		if len(words) == 4 {
			s.Option = words[3]
		}
		out[strings.ToLower(words[0])] = s
	}
	return nil
}

// auditRuleFiles lists rules.d/*.rules as augenrules does: names ending in
// .rules whose path exists, sorted by `sort -V`; directories are skipped.
func auditRuleFiles(fsys afero.Fs) ([]string, bool, error) {
	entries, err := afero.ReadDir(fsys, auditRulesDir)
	if hostMissing(err) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("audit: %w", err)
	}
	var files []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".rules") {
			continue
		}
		p := auditRulesDir + "/" + e.Name()
		fi, err := fsys.Stat(p)
		if hostMissing(err) {
			continue // [ -e "$rules" ] || continue
		}
		if err != nil {
			return nil, true, fmt.Errorf("audit: %w", err)
		}
		if !fi.Mode().IsRegular() {
			continue
		}
		files = append(files, p)
		if len(files) > auditMaxRuleFiles {
			return nil, true, fmt.Errorf("audit: %s holds more than %d rules files", auditRulesDir, auditMaxRuleFiles)
		}
	}
	sort.SliceStable(files, func(i, j int) bool { return auditVersionLess(files[i], files[j]) })
	return files, true, nil
}

// auditImmutable reports whether the last -e of rules is 2.
func auditImmutable(rules []AuditRule) bool {
	last := ""
	for _, r := range rules {
		if r.Op == "-e" {
			last = r.Value
		}
	}
	return last == "2"
}

// auditSplit splits a rules line at spaces as auditctl does: only the
// space character separates words, "\ " is a space inside a word and "\\"
// a backslash.
func auditSplit(line string) []string {
	var words []string
	var b strings.Builder
	in := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '\\' && i+1 < len(line) && (line[i+1] == ' ' || line[i+1] == '\\'):
			b.WriteByte(line[i+1])
			i++
			in = true
		case c == ' ':
			if in {
				words = append(words, b.String())
				b.Reset()
				in = false
			}
		default:
			b.WriteByte(c)
			in = true
		}
	}
	if in {
		words = append(words, b.String())
	}
	return words
}

// parseAuditRules parses a rules file the way auditctl -R reads it: one
// rule per line, blank lines and lines whose first word starts with #
// skipped.
func parseAuditRules(file string, data []byte) ([]AuditRule, error) {
	rules := []AuditRule{}
	for n, line := range strings.Split(string(data), "\n") {
		words := auditSplit(strings.TrimSuffix(line, "\r"))
		if len(words) == 0 || strings.HasPrefix(words[0], "#") {
			continue
		}
		rs, err := parseAuditRule(words)
		if err != nil {
			return nil, fmt.Errorf("audit: %s:%d: %v", file, n+1, err)
		}
		for i := range rs {
			rs[i].File, rs[i].Line = file, n+1
		}
		rules = append(rules, rs...)
	}
	return rules, nil
}

// auditOpt is one option of a line with its argument.
type auditOpt struct {
	name, arg string
	hasArg    bool
}

// auditArgOpts are the short options that take an argument
// ("C:e:f:r:b:a:A:d:S:F:m:R:w:W:k:p:q:").
const auditArgOpts = "CefrbaAdSFmRwWkpq"

// auditOptions splits words into options like getopt_long: "-wPATH" and
// "-w PATH", "--backlog_wait_time=N" and "--backlog_wait_time N".
func auditOptions(words []string) ([]auditOpt, error) {
	var opts []auditOpt
	for i := 0; i < len(words); i++ {
		w := words[i]
		switch {
		case strings.HasPrefix(w, "--"):
			name, arg, has := strings.Cut(w, "=")
			takes, known := auditControl[name]
			if !known && !auditNotRules[name] {
				return nil, fmt.Errorf("unknown option %s", name)
			}
			if takes && !has {
				if i+1 >= len(words) {
					return nil, fmt.Errorf("option %s needs an argument", name)
				}
				i++
				arg, has = words[i], true
			}
			opts = append(opts, auditOpt{name: name, arg: arg, hasArg: has})
		case strings.HasPrefix(w, "-") && len(w) >= 2:
			name := w[:2]
			if !strings.ContainsRune(auditArgOpts, rune(w[1])) {
				if _, ok := auditControl[name]; !ok && !auditNotRules[name] {
					return nil, fmt.Errorf("unknown option %s", w)
				}
				if len(w) > 2 {
					return nil, fmt.Errorf("unknown option %s", w)
				}
				opts = append(opts, auditOpt{name: name})
				continue
			}
			arg := w[2:]
			if arg == "" {
				if i+1 >= len(words) {
					return nil, fmt.Errorf("option %s needs an argument", name)
				}
				i++
				arg = words[i]
			}
			opts = append(opts, auditOpt{name: name, arg: arg, hasArg: true})
		default:
			return nil, fmt.Errorf("%q is not an option (parameter passed without an option)", w)
		}
	}
	return opts, nil
}

// parseAuditRule parses the words of one line into a rule, or into one
// rule per control option for a line of control options.
func parseAuditRule(words []string) ([]AuditRule, error) {
	opts, err := auditOptions(words)
	if err != nil {
		return nil, err
	}
	raw := strings.Join(words, " ")
	rule := AuditRule{Raw: raw, Keys: []string{}, Syscalls: []string{}, Fields: []AuditField{}, Comparisons: []AuditField{}}
	var controls []AuditRule
	ruleOpts := 0
	for _, o := range opts {
		if auditNotRules[o.name] {
			return nil, fmt.Errorf("option %s queries or acts; it is not a rule", o.name)
		}
		if takes, ok := auditControl[o.name]; ok {
			c := AuditRule{Raw: raw, Kind: "control", Op: o.name, Keys: []string{}, Syscalls: []string{}, Fields: []AuditField{}, Comparisons: []AuditField{}}
			if takes {
				if err := auditCheckControl(o.name, o.arg); err != nil {
					return nil, err
				}
				c.Value = o.arg
			}
			controls = append(controls, c)
			continue
		}
		ruleOpts++
		switch o.name {
		case "-w", "-W":
			if rule.Op != "" {
				return nil, fmt.Errorf("%s can't be given with %s", o.name, rule.Op)
			}
			rule.Kind, rule.Op, rule.Path = "watch", o.name, o.arg
		case "-a", "-A", "-d":
			if rule.Op != "" {
				return nil, fmt.Errorf("%s can't be given with %s", o.name, rule.Op)
			}
			first, second, ok := strings.Cut(o.arg, ",")
			if !ok || strings.Contains(second, ",") {
				return nil, fmt.Errorf("%s %s: want list,action", o.name, o.arg)
			}
			switch {
			case auditActions[first] && auditLists[second]:
				rule.Action, rule.List = first, second
			case auditLists[first] && auditActions[second]:
				rule.List, rule.Action = first, second
			default:
				return nil, fmt.Errorf("%s %s: bad list or action (lists: task, exit, user, exclude, filesystem, io_uring; actions: always, never)", o.name, o.arg)
			}
			rule.Kind, rule.Op = "syscall", o.name
		case "-S":
			if rule.Kind != "syscall" {
				return nil, fmt.Errorf("-S %s needs -a, -A or -d before it", o.arg)
			}
			for _, s := range strings.Split(o.arg, ",") {
				if s == "" {
					return nil, fmt.Errorf("-S %s: empty syscall name", o.arg)
				}
				if !auditContains(rule.Syscalls, s) {
					rule.Syscalls = append(rule.Syscalls, s)
				}
			}
		case "-F":
			if rule.Kind != "syscall" {
				return nil, fmt.Errorf("-F %s: the list must be given (-a) before a field", o.arg)
			}
			f, err := auditParseField(o.arg)
			if err != nil {
				return nil, fmt.Errorf("-F %s: %v", o.arg, err)
			}
			if f.Name == "key" {
				if f.Op != "=" {
					return nil, fmt.Errorf("-F %s: key takes only =", o.arg)
				}
				rule.Keys = append(rule.Keys, f.Value)
				continue
			}
			rule.Fields = append(rule.Fields, f)
		case "-C":
			if rule.Kind != "syscall" {
				return nil, fmt.Errorf("-C %s: the list must be given (-a) before a comparison", o.arg)
			}
			f, err := auditParseField(o.arg)
			if err != nil || (f.Op != "=" && f.Op != "!=") {
				return nil, fmt.Errorf("-C %s: want field=field or field!=field", o.arg)
			}
			rule.Comparisons = append(rule.Comparisons, f)
		case "-k":
			if rule.Op == "" {
				return nil, fmt.Errorf("-k %s needs a watch or a syscall rule before it", o.arg)
			}
			if o.arg == "" {
				return nil, fmt.Errorf("-k needs a value")
			}
			rule.Keys = append(rule.Keys, o.arg)
		case "-p":
			if rule.Op == "" {
				return nil, fmt.Errorf("-p %s needs a watch before it", o.arg)
			}
			perms, err := auditPerms(o.arg)
			if err != nil {
				return nil, err
			}
			rule.Permissions = perms
		default:
			return nil, fmt.Errorf("option %s is not supported in a rules file", o.name)
		}
	}
	switch {
	case len(controls) > 0 && ruleOpts > 0:
		return nil, fmt.Errorf("control options (%s) mixed with a rule", controls[0].Op)
	case len(controls) > 0:
		return controls, nil
	case rule.Op == "":
		return nil, fmt.Errorf("no rule: want -w, -W, -a, -A, -d or a control option")
	}
	if rule.Kind == "watch" && rule.Permissions == "" {
		rule.Permissions = "rwxa"
	}
	return []AuditRule{rule}, nil
}

// auditCheckControl validates a control option's argument as auditctl
// does.
func auditCheckControl(name, arg string) error {
	switch name {
	case "-e", "-f":
		if arg != "0" && arg != "1" && arg != "2" {
			return fmt.Errorf("%s must be 0, 1 or 2, was %q", name, arg)
		}
	default:
		if arg == "" || !unicode.IsDigit(rune(arg[0])) {
			return fmt.Errorf("%s must be a number, was %q", name, arg)
		}
		if _, err := strconv.ParseUint(arg, 0, 32); err != nil {
			return fmt.Errorf("%s must be a number, was %q", name, arg)
		}
	}
	return nil
}

// auditParseField splits "name OP value" at the first operator found in
// libaudit's order.
func auditParseField(s string) (AuditField, error) {
	for _, op := range auditFieldOps {
		if i := strings.Index(s, op); i >= 0 {
			f := AuditField{Name: s[:i], Op: op, Value: s[i+len(op):]}
			if f.Name == "" || f.Value == "" {
				return f, fmt.Errorf("want name%svalue", op)
			}
			return f, nil
		}
	}
	return AuditField{}, fmt.Errorf("no operator (=, !=, <, >, <=, >=, &, &=)")
}

// auditPerms validates -p's permissions and returns them in the order
// r, w, x, a.
func auditPerms(p string) (string, error) {
	if len(p) == 0 || len(p) > 4 {
		return "", fmt.Errorf("-p %s: want one to four of r, w, x, a", p)
	}
	seen := map[rune]bool{}
	for _, c := range strings.ToLower(p) {
		if !strings.ContainsRune("rwxa", c) {
			return "", fmt.Errorf("-p %s: permission %c isn't supported", p, c)
		}
		seen[c] = true
	}
	var b strings.Builder
	for _, c := range "rwxa" {
		if seen[c] {
			b.WriteRune(c)
		}
	}
	return b.String(), nil
}

func auditContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// auditVersionLess orders strings as GNU `sort -V` (gnulib's filevercmp) does: runs of
// digits compare as numbers, other characters by a rank where letters come
// before other characters; a file suffix (.rules) is compared last.
func auditVersionLess(a, b string) bool {
	if a == b {
		return false
	}
	c := auditFilevercmp(a, b)
	if c == 0 {
		return a < b
	}
	return c < 0
}

// auditFilevercmp is gnulib's filevercmp: "." and ".." and other names
// starting with "." sort first; otherwise the names without their file
// suffixes compare with auditVerrevcmp, and only when those are equal the whole
// names.
func auditFilevercmp(a, b string) int {
	switch {
	case a == "" || b == "":
		return auditBoolInt(b == "") - auditBoolInt(a == "")
	case a[0] == '.' && b[0] != '.':
		return -1
	case a[0] != '.' && b[0] == '.':
		return 1
	case a[0] == '.':
		if a == "." || b == "." {
			return auditBoolInt(b == ".") - auditBoolInt(a == ".")
		}
		if a == ".." || b == ".." {
			return auditBoolInt(b == "..") - auditBoolInt(a == "..")
		}
	}
	ap, bp := auditFilePrefixLen(a), auditFilePrefixLen(b)
	if r := auditVerrevcmp(a[:ap], b[:bp]); r != 0 || ap == len(a) && bp == len(b) {
		return r
	}
	return auditVerrevcmp(a, b)
}

func auditBoolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// auditFilePrefixLen is gnulib's file_prefixlen: the length of s without its
// suffix, the longest match of (\.[A-Za-z~][A-Za-z0-9~]*)*$ that does not
// start at the first character.
func auditFilePrefixLen(s string) int {
	prefix := 0
	for i := 0; ; {
		if i == len(s) {
			return prefix
		}
		i++
		prefix = i
		for i+1 < len(s) && s[i] == '.' && (auditIsAlpha(s[i+1]) || s[i+1] == '~') {
			for i += 2; i < len(s) && (auditIsAlnum(s[i]) || s[i] == '~'); i++ {
			}
		}
	}
}

func auditIsAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func auditIsAlnum(c byte) bool { return auditIsAlpha(c) || c >= '0' && c <= '9' }

// auditVerorder is gnulib's order(): digits 0, letters their value, ~ -1, other
// characters after letters.
func auditVerorder(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return 0
	case auditIsAlpha(c):
		return int(c)
	case c == '~':
		return -1
	}
	return int(c) + 256
}

// auditVerrevcmp is gnulib's verrevcmp (the Debian version comparison).
func auditVerrevcmp(a, b string) int {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		firstDiff := 0
		for i < len(a) && !(a[i] >= '0' && a[i] <= '9') || j < len(b) && !(b[j] >= '0' && b[j] <= '9') {
			ac, bc := 0, 0
			if i < len(a) {
				ac = auditVerorder(a[i])
			}
			if j < len(b) {
				bc = auditVerorder(b[j])
			}
			if ac != bc {
				return ac - bc
			}
			i++
			j++
		}
		for i < len(a) && a[i] == '0' {
			i++
		}
		for j < len(b) && b[j] == '0' {
			j++
		}
		for i < len(a) && a[i] >= '0' && a[i] <= '9' && j < len(b) && b[j] >= '0' && b[j] <= '9' {
			if firstDiff == 0 {
				firstDiff = int(a[i]) - int(b[j])
			}
			i++
			j++
		}
		if i < len(a) && a[i] >= '0' && a[i] <= '9' {
			return 1
		}
		if j < len(b) && b[j] >= '0' && b[j] <= '9' {
			return -1
		}
		if firstDiff != 0 {
			return firstDiff
		}
	}
	return 0
}
