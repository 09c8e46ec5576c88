package remediate

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/gcrun/gcrun/runner/remediate/edit"
)

// The outcomes of an action. A plan has planned, unchanged, manual and
// failed; applying turns planned into succeeded, failed or skipped.
const (
	StatusPlanned   = "planned"
	StatusSucceeded = "succeeded"
	StatusUnchanged = "unchanged"
	StatusFailed    = "failed"
	StatusManual    = "manual"
	StatusSkipped   = "skipped"
)

// RuleActions are the actions one failing rule declares.
type RuleActions struct {
	// Rule is the rule's id.
	Rule string
	// Actions are the rule's decoded actions.
	Actions []Action
	// Err is set when the rule's actions could not be evaluated or
	// decoded: the rule is then not remediated at all.
	Err error
}

// ActionResult is what became (or would become) of one action.
type ActionResult struct {
	Rule   string `json:"-"`
	Action Action `json:"-"`
	// Type and Target identify the action (Target: a path, package,
	// unit or sysctl key).
	Type   string `json:"type"`
	Target string `json:"target"`
	// Description says what the action does, for people.
	Description string `json:"description"`
	// Status is one of the Status* constants.
	Status string `json:"status"`
	// Detail adds what a person needs: the command to run by hand for
	// manual actions, why an action was skipped.
	Detail string `json:"detail,omitempty"`
	// Error explains a failed action.
	Error string `json:"error,omitempty"`

	file *FileChange
	cmd  *Command
}

// RulePlan is one rule's part of a plan.
type RulePlan struct {
	Rule    string
	Actions []*ActionResult
	// Err is the rule's own failure (see RuleActions.Err).
	Err string
}

// FileChange is the composed change of one file: every action of every
// rule on that path, applied in memory in order.
type FileChange struct {
	// Path is the in-root path, symlinks resolved.
	Path   string
	Before FileState
	After  FileState
	// Rules are the ids of the rules whose actions changed the file.
	Rules []string
	// SSHD marks an sshd configuration file: validated before it is put
	// in place.
	SSHD bool

	actions []*ActionResult
	claims  map[string]claim
	failed  bool
}

type claim struct{ rule, value string }

// ContentChanged says whether the file's content changes (including
// creation and removal).
func (c *FileChange) ContentChanged() bool {
	return c.Before.Exists != c.After.Exists || !bytes.Equal(c.Before.Content, c.After.Content)
}

// MetaChanged says whether mode or owner change on a file that stays.
func (c *FileChange) MetaChanged() bool {
	return c.After.Exists && c.Before.Exists && (c.Before.Mode != c.After.Mode || c.Before.UID != c.After.UID || c.Before.GID != c.After.GID)
}

// Changed says whether applying the change does anything.
func (c *FileChange) Changed() bool { return c.ContentChanged() || c.MetaChanged() }

// Diff is the unified diff of the content change, with a header line for
// mode and owner changes.
func (c *FileChange) Diff() string {
	var b strings.Builder
	if c.MetaChanged() || (!c.Before.Exists && c.After.Exists) {
		from := "(new file)"
		if c.Before.Exists {
			from = fmt.Sprintf("%s %d:%d", FormatMode(c.Before.Mode), c.Before.UID, c.Before.GID)
		}
		fmt.Fprintf(&b, "# %s: mode/owner %s -> %s %d:%d\n", c.Path, from, FormatMode(c.After.Mode), c.After.UID, c.After.GID)
	}
	var before, after []byte
	if c.Before.Exists {
		before = c.Before.Content
	}
	if c.After.Exists {
		after = c.After.Content
	}
	if c.ContentChanged() {
		b.WriteString(edit.UnifiedDiff(c.Path, before, after))
	}
	return b.String()
}

// Command is a package, service or sysctl action as the command that
// carries it out.
type Command struct {
	Rule   string
	Action Action
	// Argv is the command line; Env adds to the environment.
	Argv []string
	Env  []string
	// Revert is the command that undoes it, for rollback's listing.
	Revert []string
	result *ActionResult
}

// Status is the outcome of the command's action.
func (c *Command) Status() string { return c.result.Status }

// String is the command as a person would type it.
func (c *Command) String() string {
	return strings.Join(append(append([]string(nil), c.Env...), c.Argv...), " ")
}

// Plan is everything a remediation would do. Nothing has been changed
// while a plan is built.
type Plan struct {
	Files    []*FileChange
	Commands []*Command
	Rules    []*RulePlan
}

// PlanOptions says what kind of host the plan is for.
type PlanOptions struct {
	// Live is true when the root is the running host ("/"): only then do
	// commands run; elsewhere they are manual.
	Live bool
	// PackageManager is "dpkg", "rpm" or "apk" (the packages collector's
	// authoritative database); "" when unknown.
	PackageManager string
}

// Changes counts the files that change and the commands that would run.
func (p *Plan) Changes() (files, commands int) {
	for _, f := range p.Files {
		if f.Changed() {
			files++
		}
	}
	for _, c := range p.Commands {
		if c.result.Status == StatusPlanned {
			commands++
		}
	}
	return files, commands
}

// NewPlan composes the actions of the given rules, in the order given, on
// the root's current files. Problems with single actions (a conflict with
// another rule, a file that cannot be edited) fail those actions only.
func NewPlan(root *Root, rules []RuleActions, opts PlanOptions) (*Plan, error) {
	p := &Plan{}
	files := map[string]*FileChange{}
	ids := &idNames{root: root}
	for _, ra := range rules {
		rp := &RulePlan{Rule: ra.Rule}
		p.Rules = append(p.Rules, rp)
		if ra.Err != nil {
			rp.Err = ra.Err.Error()
			continue
		}
		for _, a := range ra.Actions {
			res := &ActionResult{Rule: ra.Rule, Action: a, Type: a.Type, Target: a.Target(), Description: a.Describe()}
			rp.Actions = append(rp.Actions, res)
			if !a.IsFile() {
				p.planCommand(res, opts)
				continue
			}
			fc, err := fileChange(root, files, a.Path, a.Type == FileAbsent)
			if err != nil {
				res.Status, res.Error = StatusFailed, err.Error()
				continue
			}
			res.Target = fc.Path
			res.file = fc
			if err := fc.apply(ra.Rule, a, ids); err != nil {
				res.Status, res.Error = StatusFailed, err.Error()
				continue
			}
			fc.actions = append(fc.actions, res)
			if !contains(fc.Rules, ra.Rule) {
				fc.Rules = append(fc.Rules, ra.Rule)
			}
		}
	}
	for _, fc := range files {
		p.Files = append(p.Files, fc)
		status := StatusUnchanged
		if fc.Changed() {
			status = StatusPlanned
		}
		for _, res := range fc.actions {
			res.Status = status
		}
	}
	sort.Slice(p.Files, func(i, j int) bool { return p.Files[i].Path < p.Files[j].Path })
	return p, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// fileChange returns the change of the file p, reading it on first use.
// With link, a symlink at p is the file itself (file.absent removes the
// link, not what it points to).
func fileChange(root *Root, files map[string]*FileChange, p string, link bool) (*FileChange, error) {
	var resolved string
	var err error
	if link {
		var dir string
		dir, err = root.Resolve(path.Dir(path.Clean("/" + p)))
		resolved = path.Join(dir, path.Base(p))
	} else {
		resolved, err = root.Resolve(p)
	}
	if err != nil {
		return nil, err
	}
	if fc, ok := files[resolved]; ok {
		return fc, nil
	}
	read := root.Read
	if link {
		read = root.Lstat
	}
	st, err := read(resolved)
	if err != nil {
		return nil, err
	}
	after := st
	after.Content = append([]byte(nil), st.Content...)
	if !st.Exists {
		after.Content = nil
	}
	fc := &FileChange{Path: resolved, Before: st, After: after, claims: map[string]claim{}}
	files[resolved] = fc
	return fc, nil
}

// claim records that rule sets what (a key, the mode, ...) to value, and
// fails when another rule already set it to something else: two rules
// that disagree must not silently undo each other.
func (c *FileChange) claim(rule, what, value string) error {
	if prev, ok := c.claims[what]; ok && prev.value != value {
		return fmt.Errorf("%s: conflicts with rule %s, which sets %s to %q", c.Path, prev.rule, what, prev.value)
	}
	c.claims[what] = claim{rule: rule, value: value}
	return nil
}

// create makes a missing file exist with the defaults for a new file.
func (c *FileChange) create(a Action, ids *idNames) error {
	if c.After.Exists {
		return nil
	}
	c.After = FileState{Exists: true, Mode: 0o644}
	if a.Mode != "" {
		m, _ := ParseMode(a.Mode)
		c.After.Mode = m
	}
	var err error
	if a.Owner != "" {
		if c.After.UID, err = ids.uid(a.Owner); err != nil {
			return err
		}
	}
	if a.Group != "" {
		if c.After.GID, err = ids.gid(a.Group); err != nil {
			return err
		}
	}
	return nil
}

// apply applies one action to the in-memory state of the file.
func (c *FileChange) apply(rule string, a Action, ids *idNames) error {
	if c.After.Symlink && a.Type != FileAbsent {
		return fmt.Errorf("%s: is a symbolic link", c.Path)
	}
	if c.After.Dir && a.Type != FileMode && a.Type != FileOwner {
		return fmt.Errorf("%s: is a directory", c.Path)
	}
	switch a.Type {
	case FileMode:
		m, _ := ParseMode(a.Mode)
		if err := c.claim(rule, "mode", a.Mode); err != nil {
			return err
		}
		if !c.After.Exists {
			return fmt.Errorf("%s: does not exist", c.Path)
		}
		c.After.Mode = m
	case FileOwner:
		if !c.After.Exists {
			return fmt.Errorf("%s: does not exist", c.Path)
		}
		if a.Owner != "" {
			uid, err := ids.uid(a.Owner)
			if err != nil {
				return err
			}
			if err := c.claim(rule, "owner", strconv.Itoa(uid)); err != nil {
				return err
			}
			c.After.UID = uid
		}
		if a.Group != "" {
			gid, err := ids.gid(a.Group)
			if err != nil {
				return err
			}
			if err := c.claim(rule, "group", strconv.Itoa(gid)); err != nil {
				return err
			}
			c.After.GID = gid
		}
	case FileAbsent:
		if err := c.claim(rule, "content", "(absent)"); err != nil {
			return err
		}
		c.After = FileState{}
	case FileContent:
		if err := c.claim(rule, "content", *a.Content); err != nil {
			return err
		}
		if err := c.create(a, ids); err != nil {
			return err
		}
		c.After.Content = []byte(*a.Content)
		if a.Mode != "" {
			c.After.Mode, _ = ParseMode(a.Mode)
		}
		if a.Owner != "" || a.Group != "" {
			return c.apply(rule, Action{Type: FileOwner, Path: a.Path, Owner: a.Owner, Group: a.Group}, ids)
		}
	case ConfigSet:
		key := a.Key
		if a.Format == "sshd" {
			key = strings.ToLower(key)
			c.SSHD = true
		}
		if err := c.claim(rule, "key "+key, *a.Value); err != nil {
			return err
		}
		if err := c.create(a, ids); err != nil {
			return err
		}
		var out []byte
		var err error
		if a.Format == "sshd" {
			out, _, err = edit.SetSSHD(c.After.Content, a.Key, *a.Value)
		} else {
			opts := edit.KeyValueOptions{Separator: " ", SysctlKeys: isSysctlFile(c.Path)}
			if a.Separator != nil {
				opts.Separator = *a.Separator
			}
			out, _, err = edit.SetKeyValue(c.After.Content, a.Key, *a.Value, opts)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", c.Path, err)
		}
		c.After.Content = out
	case ConfigLine:
		if err := c.claim(rule, "line "+a.Line+" /"+a.Match+"/", a.State); err != nil {
			return err
		}
		var out []byte
		var err error
		if a.State == "present" {
			if err := c.create(a, ids); err != nil {
				return err
			}
			out, _, err = edit.EnsureLine(c.After.Content, a.Line, a.Match)
		} else {
			if !c.After.Exists {
				return nil
			}
			out, _, err = edit.RemoveLines(c.After.Content, a.Line, a.Match)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", c.Path, err)
		}
		c.After.Content = out
	default:
		return fmt.Errorf("%s is not a file action", a.Type)
	}
	if strings.HasPrefix(c.Path, "/etc/ssh/") && (path.Base(c.Path) == "sshd_config" || strings.HasPrefix(c.Path, "/etc/ssh/sshd_config.d/")) {
		c.SSHD = true
	}
	return nil
}

// isSysctlFile says whether keys in the file follow sysctl's rule that
// "." and "/" are the same separator.
func isSysctlFile(p string) bool {
	return p == "/etc/sysctl.conf" || sysctlDir.MatchString(p)
}

var sysctlDir = regexp.MustCompile(`^/(etc|run|usr/lib|lib|usr/local/lib)/sysctl\.d/`)

// planCommand turns a package, service or sysctl action into its
// command. Off the live host nothing runs: the action is manual, with the
// command a person would run on the booted system.
func (p *Plan) planCommand(res *ActionResult, opts PlanOptions) {
	cmd, err := commandFor(res.Action, opts.PackageManager)
	if err != nil {
		res.Status, res.Error = StatusFailed, err.Error()
		return
	}
	cmd.Rule, cmd.result = res.Rule, res
	res.cmd = cmd
	p.Commands = append(p.Commands, cmd)
	if !opts.Live {
		res.Status = StatusManual
		res.Detail = "offline root: run on the booted system: " + cmd.String()
		return
	}
	res.Status = StatusPlanned
	res.Detail = cmd.String()
}

// commandFor builds the non-interactive command for an action.
func commandFor(a Action, pm string) (*Command, error) {
	c := &Command{Action: a}
	switch a.Type {
	case PackageRemove, PackageInstall:
		install := a.Type == PackageInstall
		switch pm {
		case "dpkg":
			// Never wait for input (the Azure nxtools#19 hang), never
			// replace a locally changed configuration file.
			c.Env = []string{"DEBIAN_FRONTEND=noninteractive"}
			common := []string{"apt-get", "-y", "-q", "-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold"}
			if install {
				c.Argv = append(common, "install", "--no-install-recommends", a.Name)
				c.Revert = append(common, "remove", a.Name)
			} else {
				c.Argv = append(common, "remove", a.Name)
				c.Revert = append(common, "install", a.Name)
			}
		case "rpm":
			if install {
				c.Argv, c.Revert = []string{"dnf", "-y", "install", a.Name}, []string{"dnf", "-y", "remove", a.Name}
			} else {
				c.Argv, c.Revert = []string{"dnf", "-y", "remove", a.Name}, []string{"dnf", "-y", "install", a.Name}
			}
		case "apk":
			if install {
				c.Argv, c.Revert = []string{"apk", "add", "--no-interactive", a.Name}, []string{"apk", "del", "--no-interactive", a.Name}
			} else {
				c.Argv, c.Revert = []string{"apk", "del", "--no-interactive", a.Name}, []string{"apk", "add", "--no-interactive", a.Name}
			}
		default:
			return nil, fmt.Errorf("%s %s: no package manager known for this host", a.Type, a.Name)
		}
	case ServiceDisable:
		c.Argv, c.Revert = []string{"systemctl", "disable", "--now", a.Unit}, []string{"systemctl", "enable", "--now", a.Unit}
	case ServiceMask:
		c.Argv, c.Revert = []string{"systemctl", "mask", "--now", a.Unit}, []string{"systemctl", "unmask", a.Unit}
	case SysctlApply:
		c.Argv = []string{"sysctl", "-w", a.Key + "=" + *a.Value}
	default:
		return nil, fmt.Errorf("unknown action type %q", a.Type)
	}
	// A "--" could be argued for, but names are validated to start with
	// a letter or digit, so none can be taken for an option.
	return c, nil
}

// idNames resolves user and group names in the scanned root's own
// /etc/passwd and /etc/group, never the host's.
type idNames struct {
	root   *Root
	users  map[string]int
	groups map[string]int
	err    error
}

func (n *idNames) load() error {
	if n.users != nil || n.err != nil {
		return n.err
	}
	read := func(p string) (map[string]int, error) {
		st, err := n.root.Read(p)
		if err != nil {
			return nil, err
		}
		out := map[string]int{}
		for _, line := range strings.Split(string(st.Content), "\n") {
			f := strings.Split(line, ":")
			if len(f) < 3 || strings.HasPrefix(f[0], "#") {
				continue
			}
			if id, err := strconv.Atoi(f[2]); err == nil {
				if _, dup := out[f[0]]; !dup {
					out[f[0]] = id
				}
			}
		}
		return out, nil
	}
	n.users, n.err = read("/etc/passwd")
	if n.err == nil {
		n.groups, n.err = read("/etc/group")
	}
	return n.err
}

func (n *idNames) lookup(name, kind string, table func() map[string]int) (int, error) {
	if id, err := strconv.Atoi(name); err == nil && id >= 0 {
		return id, nil
	}
	if err := n.load(); err != nil {
		return 0, err
	}
	id, ok := table()[name]
	if !ok {
		return 0, fmt.Errorf("%s %q does not exist in the scanned root", kind, name)
	}
	return id, nil
}

func (n *idNames) uid(name string) (int, error) {
	return n.lookup(name, "user", func() map[string]int { return n.users })
}

func (n *idNames) gid(name string) (int, error) {
	return n.lookup(name, "group", func() map[string]int { return n.groups })
}
