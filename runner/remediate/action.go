// Package remediate puts a scanned root back into its baseline: it turns
// the typed actions that failing rules declare (see docs/remediation.md)
// into a plan — file edits composed in memory, commands for packages,
// services and sysctl — and applies the plan safely: every file backed up
// into a journal inside the root, written atomically, validated (sshd -t)
// before it replaces the old one, never outside the root; commands only on
// the live host, through an Executor. A run can be rolled back from its
// journal.
package remediate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The action types a rule may declare.
const (
	FileMode       = "file.mode"
	FileOwner      = "file.owner"
	FileAbsent     = "file.absent"
	FileContent    = "file.content"
	ConfigSet      = "config.set"
	ConfigLine     = "config.line"
	PackageRemove  = "package.remove"
	PackageInstall = "package.install"
	ServiceDisable = "service.disable"
	ServiceMask    = "service.mask"
	SysctlApply    = "sysctl.apply"
)

// maxContent bounds file.content: it is for small managed files.
const maxContent = 64 << 10

// Action is one typed remediation action, decoded from a rule's remediate
// set. Which fields are required depends on Type (docs/remediation.md).
type Action struct {
	Type      string  `json:"type"`
	Path      string  `json:"path,omitempty"`
	Mode      string  `json:"mode,omitempty"`
	Owner     string  `json:"owner,omitempty"`
	Group     string  `json:"group,omitempty"`
	Content   *string `json:"content,omitempty"`
	Key       string  `json:"key,omitempty"`
	Value     *string `json:"value,omitempty"`
	Format    string  `json:"format,omitempty"`
	Separator *string `json:"separator,omitempty"`
	Line      string  `json:"line,omitempty"`
	State     string  `json:"state,omitempty"`
	Match     string  `json:"match,omitempty"`
	Name      string  `json:"name,omitempty"`
	Unit      string  `json:"unit,omitempty"`
}

// Target is what the action acts on: a path, a package, a unit or a
// sysctl key.
func (a Action) Target() string {
	switch a.Type {
	case PackageRemove, PackageInstall:
		return a.Name
	case ServiceDisable, ServiceMask:
		return a.Unit
	case SysctlApply:
		return a.Key
	}
	return a.Path
}

// IsFile says whether the action edits the file system (rather than run a
// command).
func (a Action) IsFile() bool {
	return strings.HasPrefix(a.Type, "file.") || strings.HasPrefix(a.Type, "config.")
}

// Decode turns one action object, as the engine returns it, into an
// Action and checks it: unknown types and fields, missing fields, a mode
// that is not octal, a value that would inject a line are all errors.
func Decode(raw map[string]any) (Action, error) {
	data, err := json.Marshal(raw)
	if err != nil {
		return Action{}, fmt.Errorf("action: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var a Action
	if err := dec.Decode(&a); err != nil {
		return Action{}, fmt.Errorf("action %s: %w", data, err)
	}
	if err := a.Validate(); err != nil {
		return Action{}, fmt.Errorf("action %s: %w", data, err)
	}
	return a, nil
}

var (
	unitName   = regexp.MustCompile(`^[A-Za-z0-9:_.@\\-]+\.(service|socket|timer|path|mount|automount|swap|target)$`)
	pkgName    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9+._:-]*$`)
	sysctlName = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.*/-]*$`)
	ownerName  = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]*\$?$`)
)

// Validate checks the fields the action's type needs.
func (a Action) Validate() error {
	need := func(field, v string) error {
		if v == "" {
			return fmt.Errorf("%s needs %s", a.Type, field)
		}
		return nil
	}
	oneLine := func(field, v string) error {
		if strings.ContainsAny(v, "\n\r\x00") {
			return fmt.Errorf("%s: %s must be one line without NUL", a.Type, field)
		}
		return nil
	}
	if a.IsFile() {
		if err := need("path", a.Path); err != nil {
			return err
		}
		if !strings.HasPrefix(a.Path, "/") || strings.ContainsAny(a.Path, "\x00\n") {
			return fmt.Errorf("%s: path %q must be absolute", a.Type, a.Path)
		}
	}
	if a.Mode != "" {
		if _, err := ParseMode(a.Mode); err != nil {
			return fmt.Errorf("%s: %w", a.Type, err)
		}
	}
	for field, v := range map[string]string{"owner": a.Owner, "group": a.Group} {
		if v != "" && !ownerName.MatchString(v) {
			return fmt.Errorf("%s: %s %q is not a user or group name or number", a.Type, field, v)
		}
	}
	switch a.Type {
	case FileMode:
		return need("mode", a.Mode)
	case FileOwner:
		if a.Owner == "" && a.Group == "" {
			return fmt.Errorf("%s needs owner or group", a.Type)
		}
	case FileAbsent:
	case FileContent:
		if a.Content == nil {
			return fmt.Errorf("%s needs content", a.Type)
		}
		if len(*a.Content) > maxContent {
			return fmt.Errorf("%s: content is %d bytes, more than %d", a.Type, len(*a.Content), maxContent)
		}
		if strings.ContainsRune(*a.Content, 0) {
			return fmt.Errorf("%s: content contains NUL", a.Type)
		}
	case ConfigSet:
		if err := need("key", a.Key); err != nil {
			return err
		}
		if a.Value == nil {
			return fmt.Errorf("%s needs value", a.Type)
		}
		if strings.ContainsAny(a.Key, " \t=") {
			return fmt.Errorf("%s: key %q must not contain blanks or '='", a.Type, a.Key)
		}
		for field, v := range map[string]string{"key": a.Key, "value": *a.Value} {
			if err := oneLine(field, v); err != nil {
				return err
			}
		}
		switch a.Format {
		case "sshd":
			if a.Separator != nil {
				return fmt.Errorf("%s: format sshd takes no separator", a.Type)
			}
		case "keyvalue":
			if a.Separator != nil {
				if err := oneLine("separator", *a.Separator); err != nil {
					return err
				}
			}
		default:
			return fmt.Errorf("%s: format %q is not sshd or keyvalue", a.Type, a.Format)
		}
	case ConfigLine:
		if err := need("line", a.Line); err != nil && a.Match == "" {
			return err
		}
		if err := oneLine("line", a.Line); err != nil {
			return err
		}
		if a.State != "present" && a.State != "absent" {
			return fmt.Errorf("%s: state %q is not present or absent", a.Type, a.State)
		}
		if a.State == "present" && a.Line == "" {
			return fmt.Errorf("%s: state present needs line", a.Type)
		}
		if a.Match != "" {
			if _, err := regexp.Compile(a.Match); err != nil {
				return fmt.Errorf("%s: match: %w", a.Type, err)
			}
		}
	case PackageRemove, PackageInstall:
		if !pkgName.MatchString(a.Name) {
			return fmt.Errorf("%s: name %q is not a package name", a.Type, a.Name)
		}
	case ServiceDisable, ServiceMask:
		if !unitName.MatchString(a.Unit) {
			return fmt.Errorf("%s: unit %q is not a systemd unit name", a.Type, a.Unit)
		}
	case SysctlApply:
		if !sysctlName.MatchString(a.Key) {
			return fmt.Errorf("%s: key %q is not a sysctl name", a.Type, a.Key)
		}
		if a.Value == nil {
			return fmt.Errorf("%s needs value", a.Type)
		}
		if err := oneLine("value", *a.Value); err != nil {
			return err
		}
	default:
		return fmt.Errorf("unknown action type %q", a.Type)
	}
	return nil
}

// ParseMode parses an octal mode string such as "0600" or "644".
func ParseMode(s string) (uint32, error) {
	if len(s) < 3 || len(s) > 5 {
		return 0, fmt.Errorf("mode %q is not an octal mode like \"0600\"", s)
	}
	m, err := strconv.ParseUint(s, 8, 32)
	if err != nil || m > 0o7777 {
		return 0, fmt.Errorf("mode %q is not an octal mode like \"0600\"", s)
	}
	return uint32(m), nil
}

// FormatMode formats mode bits the way the facts and actions do: "0644".
func FormatMode(m uint32) string { return fmt.Sprintf("%04o", m&0o7777) }

// Describe is a one-line summary of the action for plans and reports.
func (a Action) Describe() string {
	switch a.Type {
	case FileMode:
		return "chmod " + a.Mode + " " + a.Path
	case FileOwner:
		who := a.Owner
		if a.Group != "" {
			who += ":" + a.Group
		}
		return "chown " + who + " " + a.Path
	case FileAbsent:
		return "remove " + a.Path
	case FileContent:
		return "write " + a.Path
	case ConfigSet:
		return fmt.Sprintf("set %s %s in %s", a.Key, *a.Value, a.Path)
	case ConfigLine:
		if a.State == "absent" {
			what := a.Line
			if a.Match != "" {
				what = "/" + a.Match + "/"
			}
			return fmt.Sprintf("remove lines %s from %s", what, a.Path)
		}
		return fmt.Sprintf("ensure line %q in %s", a.Line, a.Path)
	}
	return a.Type + " " + a.Target()
}
