package checks

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/afero"
)

// Users reads the local account databases: /etc/passwd, /etc/shadow,
// /etc/group, /etc/gshadow, plus /etc/shells and UID_MIN from
// /etc/login.defs, and stats every home directory.
//
// Password hashes never reach the facts: only what can be derived from a
// password field without revealing it (whether it is empty, locked, which
// algorithm hashed it). Error messages never quote a field either.
type Users struct{}

// UsersFacts are the facts of the users collector (docs/facts/users.md).
type UsersFacts struct {
	// Files says which of the files read exist, by path.
	Files map[string]FileExists `json:"files"`
	// UIDMin is the lowest UID of regular users: UID_MIN of
	// /etc/login.defs (last assignment, as shadow-utils reads it), 1000
	// when unset.
	UIDMin UIDMin `json:"uid_min"`
	// Shells are the entries of /etc/shells in file order.
	Shells []string `json:"shells"`
	// Users are the entries of /etc/passwd in file order.
	Users []UserEntry `json:"users"`
	// Groups are the entries of /etc/group in file order.
	Groups []GroupEntry `json:"groups"`
	// Duplicates lists only what is duplicated.
	Duplicates Duplicates `json:"duplicates"`
	// UID0 are the names of the users with UID 0, in file order.
	UID0 []string `json:"uid0"`
	// MissingGroups are the users whose primary GID no group of
	// /etc/group has.
	MissingGroups []MissingGroup `json:"missing_groups"`
	// NISEntries are the NIS compat lines ("+", "+name", "-@netgroup")
	// of passwd, shadow, group and gshadow, in that order; they are not
	// users or groups themselves.
	NISEntries []NISEntry `json:"nis_entries"`
}

// FileExists is whether a file exists.
type FileExists struct {
	Exists bool `json:"exists"`
}

// UIDMin is the UID_MIN in effect.
type UIDMin struct {
	Value uint64 `json:"value"`
	// File and Line locate the setting; File is "" for the default.
	File string `json:"file"`
	Line int    `json:"line"`
}

// UserEntry is one /etc/passwd entry with what belongs to it.
type UserEntry struct {
	Name  string `json:"name"`
	UID   uint64 `json:"uid"`
	GID   uint64 `json:"gid"`
	GECOS string `json:"gecos"`
	Home  string `json:"home"`
	Shell string `json:"shell"`
	// Line is the line in /etc/passwd.
	Line int `json:"line"`
	// PasswordField says what the password field of /etc/passwd holds:
	// "shadowed" ("x": the password is in /etc/shadow), "empty" (no
	// password), "locked" (starts with "*" or "!"), "hash" (anything else:
	// a password hash in the world-readable passwd file).
	PasswordField string `json:"password_field"`
	// ShellIsLogin is false when the shell cannot give a session: its base
	// name is nologin, false, true, sync, shutdown or halt. An empty shell
	// is /bin/sh (passwd(5)), a login shell. Any other program counts as a
	// login shell, listed in /etc/shells or not: login and sshd do not
	// consult /etc/shells.
	ShellIsLogin bool `json:"shell_is_login"`
	// ShellListed is true when the shell (or /bin/sh for an empty one) is
	// listed in /etc/shells.
	ShellListed bool `json:"shell_listed"`
	// System is true for UIDs below UIDMin.
	System bool `json:"system"`
	// Shadow is the user's /etc/shadow entry (the first with the name).
	Shadow ShadowInfo `json:"shadow"`
	// HomeDir is the lstat of the home directory.
	HomeDir HomeDir `json:"home_dir"`
}

// ShadowInfo is what an /etc/shadow entry says, without the hash.
type ShadowInfo struct {
	Exists bool `json:"exists"`
	Line   int  `json:"line"`
	// Status is "hashed" (a usable password hash), "locked" (a hash made
	// unusable by a leading "!" or "*"), "empty" (no password needed),
	// "no_password" (no password can match: "*", "!", "!!", "!*" or any
	// other value that is not a hash), or "" without an entry.
	Status string `json:"status"`
	// Locked is true when no password can authenticate (status locked
	// or no_password).
	Locked bool `json:"locked"`
	// Empty is true for an empty password field.
	Empty bool `json:"empty"`
	// Algorithm names the hashing method of a hashed or locked hash:
	// yescrypt ($y$), gost-yescrypt ($gy$), scrypt ($7$), bcrypt
	// ($2a$/$2b$/$2x$/$2y$), sha512 ($6$), sha256 ($5$), sha1 ($sha1$),
	// md5 ($1$), nt ($3$), des (13 characters), unknown; "none" without a
	// hash.
	Algorithm string `json:"algorithm"`
	// The aging fields in days; null when the field is empty.
	LastChange *int64 `json:"last_change"`
	MinDays    *int64 `json:"min_days"`
	MaxDays    *int64 `json:"max_days"`
	WarnDays   *int64 `json:"warn_days"`
	Inactive   *int64 `json:"inactive"`
	Expire     *int64 `json:"expire"`
}

// HomeDir describes a home directory without following a final symlink.
type HomeDir struct {
	Path   string `json:"path"`
	Exists bool   `json:"exists"`
	*HomeStat
}

// HomeStat is the lstat of an existing home directory.
type HomeStat struct {
	// Type is as for the files collector: directory, symlink, file, ...
	Type  string `json:"type"`
	UID   int    `json:"uid"`
	GID   int    `json:"gid"`
	Owner string `json:"owner"`
	Group string `json:"group"`
	// Mode is four octal digits ("0750").
	Mode string `json:"mode"`
	// OwnedByUser is true when the owner is the user's UID.
	OwnedByUser bool `json:"owned_by_user"`
}

// GroupEntry is one /etc/group entry.
type GroupEntry struct {
	Name    string   `json:"name"`
	GID     uint64   `json:"gid"`
	Members []string `json:"members"`
	Line    int      `json:"line"`
	// GShadow is the group's /etc/gshadow entry (the first with the name).
	GShadow GShadowInfo `json:"gshadow"`
}

// GShadowInfo is what an /etc/gshadow entry says, without the hash.
type GShadowInfo struct {
	Exists bool `json:"exists"`
	Line   int  `json:"line"`
	// Status is as for ShadowInfo.Status.
	Status  string   `json:"status"`
	Admins  []string `json:"admins"`
	Members []string `json:"members"`
}

// Duplicates are the ids and names used more than once.
type Duplicates struct {
	// UIDs maps a UID (decimal string) to the users that share it.
	UIDs map[string][]string `json:"uids"`
	// GIDs maps a GID to the groups that share it.
	GIDs map[string][]string `json:"gids"`
	// UserNames and GroupNames are the names that appear more than once.
	UserNames  []string `json:"user_names"`
	GroupNames []string `json:"group_names"`
}

// MissingGroup is a user whose primary group does not exist.
type MissingGroup struct {
	Name string `json:"name"`
	GID  uint64 `json:"gid"`
	Line int    `json:"line"`
}

// NISEntry is a NIS compat line ("+", "-name", "+@netgroup").
type NISEntry struct {
	File string `json:"file"`
	Line int    `json:"line"`
	// Entry is the first field of the line.
	Entry string `json:"entry"`
}

const (
	passwdPath  = "/etc/passwd"
	shadowPath  = "/etc/shadow"
	groupPath   = "/etc/group"
	gshadowPath = "/etc/gshadow"
	shellsPath  = "/etc/shells"
	// defaultUIDMin is shadow-utils' default UID_MIN.
	defaultUIDMin = 1000
)

// nonLoginShells are base names of programs that give no session.
var nonLoginShells = map[string]bool{"nologin": true, "false": true, "true": true, "sync": true, "shutdown": true, "halt": true}

// Name implements Collector.
func (Users) Name() string { return "users" }

// Collect implements Collector.
func (Users) Collect(ctx context.Context, t Target) (any, error) {
	facts := &UsersFacts{
		Files:         map[string]FileExists{},
		Shells:        []string{},
		Users:         []UserEntry{},
		Groups:        []GroupEntry{},
		Duplicates:    Duplicates{UIDs: map[string][]string{}, GIDs: map[string][]string{}, UserNames: []string{}, GroupNames: []string{}},
		UID0:          []string{},
		MissingGroups: []MissingGroup{},
		NISEntries:    []NISEntry{},
	}
	// The databases of a directory server replica can hold 100,000 users
	// and more than MaxConfigSize.
	read := func(p string, limit int64) ([]string, error) {
		b, err := ReadFile(t.Fs, p, limit)
		if err != nil {
			if hostMissing(err) {
				facts.Files[p] = FileExists{}
				return nil, nil
			}
			return nil, fmt.Errorf("users: %w", err)
		}
		facts.Files[p] = FileExists{Exists: true}
		return loginSplitLines(b), nil
	}

	defs, err := readLoginDefs(t.Fs, "users")
	if err != nil {
		return nil, err
	}
	facts.Files[loginDefsPath] = FileExists{Exists: defs.Exists}
	facts.UIDMin = UIDMin{Value: defaultUIDMin}
	if n, s, ok, err := loginDefsUint(defs, "UID_MIN"); err != nil {
		return nil, fmt.Errorf("users: %w", err)
	} else if ok {
		facts.UIDMin = UIDMin{Value: n, File: s.File, Line: s.Line}
	}

	shellLines, err := read(shellsPath, MaxConfigSize)
	if err != nil {
		return nil, err
	}
	shells := map[string]bool{}
	for _, l := range shellLines {
		l = strings.TrimSpace(l)
		if l == "" || l[0] == '#' {
			continue
		}
		facts.Shells = append(facts.Shells, l)
		shells[l] = true
	}

	lines := map[string][]string{}
	for _, p := range []string{passwdPath, shadowPath, groupPath, gshadowPath} {
		if lines[p], err = read(p, MaxDatabaseSize); err != nil {
			return nil, err
		}
	}

	shadow, err := facts.parseShadow(ctx, lines[shadowPath])
	if err != nil {
		return nil, err
	}
	gshadow, err := facts.parseGShadow(ctx, lines[gshadowPath])
	if err != nil {
		return nil, err
	}
	if err := facts.parseGroups(ctx, lines[groupPath], gshadow); err != nil {
		return nil, err
	}
	if err := facts.parsePasswd(ctx, lines[passwdPath], shadow, shells); err != nil {
		return nil, err
	}
	facts.derive()
	rank := map[string]int{passwdPath: 0, shadowPath: 1, groupPath: 2, gshadowPath: 3}
	sort.SliceStable(facts.NISEntries, func(i, j int) bool {
		return rank[facts.NISEntries[i].File] < rank[facts.NISEntries[j].File]
	})
	if err := facts.statHomes(ctx, t.Fs); err != nil {
		return nil, err
	}
	return facts, nil
}

// usersDBLine is a non-blank, non-comment line of an account database split
// into fields; nis is set for NIS compat lines.
type usersDBLine struct {
	n      int
	fields []string
}

// usersDBLines returns the lines of a database to parse, reporting NIS lines.
// Blank lines and lines starting with "#" are skipped, as glibc's files
// backend skips them.
func (f *UsersFacts) usersDBLines(ctx context.Context, file string, lines []string) ([]usersDBLine, error) {
	out := make([]usersDBLine, 0, len(lines))
	for i, l := range lines {
		if i%loginCtxInterval == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		s := strings.TrimLeft(l, " \t")
		if s == "" || s[0] == '#' {
			continue
		}
		if s[0] == '+' || s[0] == '-' {
			name, _, _ := strings.Cut(s, ":")
			f.NISEntries = append(f.NISEntries, NISEntry{File: file, Line: i + 1, Entry: name})
			continue
		}
		out = append(out, usersDBLine{n: i + 1, fields: strings.Split(l, ":")})
	}
	return out, nil
}

// usersDBError is an error about a line that quotes none of its fields: any of
// them may be a password hash.
func usersDBError(file string, line int, format string, args ...any) error {
	return fmt.Errorf("users: %s:%d: %s", file, line, fmt.Sprintf(format, args...))
}

// usersParseID parses a UID or GID: decimal, at most 2^32-2 (-1 is "no id").
func usersParseID(s string) (uint64, bool) {
	if s == "" || s[0] == '+' {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 10, 32)
	return n, err == nil && n != 1<<32-1
}

func (f *UsersFacts) parsePasswd(ctx context.Context, lines []string, shadow map[string]ShadowInfo, shells map[string]bool) error {
	ls, err := f.usersDBLines(ctx, passwdPath, lines)
	if err != nil {
		return err
	}
	for _, l := range ls {
		if len(l.fields) != 7 {
			return usersDBError(passwdPath, l.n, "%d fields, expected 7 (name:password:UID:GID:GECOS:home:shell)", len(l.fields))
		}
		fl := l.fields
		if fl[0] == "" {
			return usersDBError(passwdPath, l.n, "empty user name")
		}
		uid, ok := usersParseID(fl[2])
		if !ok {
			return usersDBError(passwdPath, l.n, "field 3 (UID) is not a number from 0 to 4294967294")
		}
		gid, ok := usersParseID(fl[3])
		if !ok {
			return usersDBError(passwdPath, l.n, "field 4 (GID) is not a number from 0 to 4294967294")
		}
		u := UserEntry{
			Name: fl[0], UID: uid, GID: gid, GECOS: fl[4], Home: fl[5], Shell: fl[6], Line: l.n,
			PasswordField: passwordField(fl[1]),
			System:        uid < f.UIDMin.Value,
		}
		shell := u.Shell
		if shell == "" {
			shell = "/bin/sh"
		}
		u.ShellListed = shells[shell]
		u.ShellIsLogin = !nonLoginShells[path.Base(shell)]
		if s, ok := shadow[u.Name]; ok {
			u.Shadow = s
		} else {
			u.Shadow = ShadowInfo{}
		}
		f.Users = append(f.Users, u)
	}
	return nil
}

// passwordField classifies the password field of /etc/passwd.
func passwordField(p string) string {
	switch {
	case p == "x":
		return "shadowed"
	case p == "":
		return "empty"
	case p[0] == '*' || p[0] == '!':
		return "locked"
	}
	return "hash"
}

// parseShadow returns the first entry of each name.
func (f *UsersFacts) parseShadow(ctx context.Context, lines []string) (map[string]ShadowInfo, error) {
	out := map[string]ShadowInfo{}
	ls, err := f.usersDBLines(ctx, shadowPath, lines)
	if err != nil {
		return nil, err
	}
	names := []string{"last change", "minimum age", "maximum age", "warning period", "inactivity period", "expiration date"}
	for _, l := range ls {
		if len(l.fields) != 9 {
			return nil, usersDBError(shadowPath, l.n, "%d fields, expected 9", len(l.fields))
		}
		fl := l.fields
		if fl[0] == "" {
			return nil, usersDBError(shadowPath, l.n, "empty user name")
		}
		s := ShadowInfo{Exists: true, Line: l.n}
		s.Status, s.Locked, s.Empty, s.Algorithm = classifyPassword(fl[1])
		ptrs := []**int64{&s.LastChange, &s.MinDays, &s.MaxDays, &s.WarnDays, &s.Inactive, &s.Expire}
		for i, p := range ptrs {
			v := fl[2+i]
			if v == "" {
				continue
			}
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil, usersDBError(shadowPath, l.n, "field %d (%s) is not a number", 3+i, names[i])
			}
			*p = &n
		}
		if _, dup := out[fl[0]]; !dup {
			out[fl[0]] = s
		}
	}
	return out, nil
}

// classifyPassword derives facts from a shadow or gshadow password field
// without keeping any of it.
func classifyPassword(p string) (status string, locked, empty bool, algorithm string) {
	if p == "" {
		return "empty", false, true, "none"
	}
	h := strings.TrimLeft(p, "!*")
	if algo := hashAlgorithm(h); algo != "" {
		if h != p {
			return "locked", true, false, algo
		}
		return "hashed", false, false, algo
	}
	return "no_password", true, false, "none"
}

// hashAlgorithm names the crypt(5) method of h, "unknown" for another
// "$id$" hash, "" when h is not a hash at all.
func hashAlgorithm(h string) string {
	prefixes := []struct{ prefix, name string }{
		{"$y$", "yescrypt"}, {"$gy$", "gost-yescrypt"}, {"$7$", "scrypt"},
		{"$2a$", "bcrypt"}, {"$2b$", "bcrypt"}, {"$2x$", "bcrypt"}, {"$2y$", "bcrypt"},
		{"$6$", "sha512"}, {"$5$", "sha256"}, {"$sha1$", "sha1"}, {"$1$", "md5"}, {"$3$", "nt"},
	}
	for _, p := range prefixes {
		if strings.HasPrefix(h, p.prefix) {
			return p.name
		}
	}
	if strings.HasPrefix(h, "$") && len(h) > 1 {
		return "unknown"
	}
	if len(h) == 13 && strings.Trim(h, "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") == "" {
		return "des"
	}
	return ""
}

func (f *UsersFacts) parseGShadow(ctx context.Context, lines []string) (map[string]GShadowInfo, error) {
	out := map[string]GShadowInfo{}
	ls, err := f.usersDBLines(ctx, gshadowPath, lines)
	if err != nil {
		return nil, err
	}
	for _, l := range ls {
		if len(l.fields) != 4 {
			return nil, usersDBError(gshadowPath, l.n, "%d fields, expected 4", len(l.fields))
		}
		fl := l.fields
		if fl[0] == "" {
			return nil, usersDBError(gshadowPath, l.n, "empty group name")
		}
		g := GShadowInfo{Exists: true, Line: l.n, Admins: usersSplitMembers(fl[2]), Members: usersSplitMembers(fl[3])}
		g.Status, _, _, _ = classifyPassword(fl[1])
		if _, dup := out[fl[0]]; !dup {
			out[fl[0]] = g
		}
	}
	return out, nil
}

// usersSplitMembers splits a comma-separated member list, dropping empty names
// as glibc does.
func usersSplitMembers(s string) []string {
	out := []string{}
	for _, m := range strings.Split(s, ",") {
		if m = strings.TrimSpace(m); m != "" {
			out = append(out, m)
		}
	}
	return out
}

func (f *UsersFacts) parseGroups(ctx context.Context, lines []string, gshadow map[string]GShadowInfo) error {
	ls, err := f.usersDBLines(ctx, groupPath, lines)
	if err != nil {
		return err
	}
	for _, l := range ls {
		if len(l.fields) != 4 {
			return usersDBError(groupPath, l.n, "%d fields, expected 4 (name:password:GID:members)", len(l.fields))
		}
		fl := l.fields
		if fl[0] == "" {
			return usersDBError(groupPath, l.n, "empty group name")
		}
		gid, ok := usersParseID(fl[2])
		if !ok {
			return usersDBError(groupPath, l.n, "field 3 (GID) is not a number from 0 to 4294967294")
		}
		g := GroupEntry{Name: fl[0], GID: gid, Members: usersSplitMembers(fl[3]), Line: l.n}
		if gs, ok := gshadow[g.Name]; ok {
			g.GShadow = gs
		} else {
			g.GShadow = GShadowInfo{Admins: []string{}, Members: []string{}}
		}
		f.Groups = append(f.Groups, g)
	}
	return nil
}

// derive computes duplicates, UID 0 users and missing primary groups.
func (f *UsersFacts) derive() {
	uids := map[uint64][]string{}
	var uidOrder []uint64
	names := map[string]int{}
	gidSet := map[uint64]bool{}
	for _, u := range f.Users {
		if len(uids[u.UID]) == 0 {
			uidOrder = append(uidOrder, u.UID)
		}
		uids[u.UID] = append(uids[u.UID], u.Name)
		if names[u.Name]++; names[u.Name] == 2 {
			f.Duplicates.UserNames = append(f.Duplicates.UserNames, u.Name)
		}
		if u.UID == 0 {
			f.UID0 = append(f.UID0, u.Name)
		}
	}
	for _, id := range uidOrder {
		if len(uids[id]) > 1 {
			f.Duplicates.UIDs[strconv.FormatUint(id, 10)] = uids[id]
		}
	}
	gids := map[uint64][]string{}
	var gidOrder []uint64
	gnames := map[string]int{}
	for _, g := range f.Groups {
		gidSet[g.GID] = true
		if len(gids[g.GID]) == 0 {
			gidOrder = append(gidOrder, g.GID)
		}
		gids[g.GID] = append(gids[g.GID], g.Name)
		if gnames[g.Name]++; gnames[g.Name] == 2 {
			f.Duplicates.GroupNames = append(f.Duplicates.GroupNames, g.Name)
		}
	}
	for _, id := range gidOrder {
		if len(gids[id]) > 1 {
			f.Duplicates.GIDs[strconv.FormatUint(id, 10)] = gids[id]
		}
	}
	if f.Files[groupPath].Exists {
		for _, u := range f.Users {
			if !gidSet[u.GID] {
				f.MissingGroups = append(f.MissingGroups, MissingGroup{Name: u.Name, GID: u.GID, Line: u.Line})
			}
		}
	} else {
		for _, u := range f.Users {
			f.MissingGroups = append(f.MissingGroups, MissingGroup{Name: u.Name, GID: u.GID, Line: u.Line})
		}
	}
	sort.Strings(f.Duplicates.UserNames)
	sort.Strings(f.Duplicates.GroupNames)
}

// statHomes lstats every user's home directory inside the root.
func (f *UsersFacts) statHomes(ctx context.Context, fsys afero.Fs) error {
	names := idNames{users: map[int]string{}, groups: map[int]string{}}
	for _, u := range f.Users {
		if _, ok := names.users[int(u.UID)]; !ok {
			names.users[int(u.UID)] = u.Name
		}
	}
	for _, g := range f.Groups {
		if _, ok := names.groups[int(g.GID)]; !ok {
			names.groups[int(g.GID)] = g.Name
		}
	}
	for i := range f.Users {
		if i%loginCtxInterval == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		u := &f.Users[i]
		u.HomeDir = HomeDir{Path: u.Home}
		if !strings.HasPrefix(u.Home, "/") {
			continue // no home directory a login could enter
		}
		p := path.Clean(u.Home)
		fi, err := lstat(fsys, p)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) || hostMissing(err) {
				continue
			}
			return fmt.Errorf("users: home of %s (%s:%d): %w", u.Name, passwdPath, u.Line, err)
		}
		st, err := statOf(fi, names)
		if err != nil {
			return fmt.Errorf("users: home of %s (%s:%d): %s: %w", u.Name, passwdPath, u.Line, p, err)
		}
		u.HomeDir.Exists = true
		u.HomeDir.HomeStat = &HomeStat{
			Type: st.Type, UID: st.UID, GID: st.GID, Owner: st.Owner, Group: st.Group, Mode: st.Mode,
			OwnedByUser: uint64(st.UID) == u.UID,
		}
	}
	return nil
}
