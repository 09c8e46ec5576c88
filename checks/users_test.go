package checks

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gcrun/gcrun/checks/rootfs"
	"github.com/gcrun/gcrun/internal/oracle"
)

// The password hashes of testdata/users/debian12 (made with libcrypt for
// the password "correct horse"), their salts and hash parts: none may
// reach the facts.
const (
	usersRootHash   = "$y$j9T$Qm3fN6ZkX1cVb8Pq2sRt0.$oSky6axo54dqZkzUWLN1605Mur6LfsiQgjUckxm.HdB"
	usersRootSalt   = "Qm3fN6ZkX1cVb8Pq2sRt0."
	usersRootDigest = "oSky6axo54dqZkzUWLN1605Mur6LfsiQgjUckxm.HdB"
	usersDebianHash = "$6$Kp4zW9xQe2LmN7aB$V683IkqAsVXkHJNRN7y/WH07knTr.tQYN57Ku8IDCK6ubLth.LkwnnVoQQ/AQzdAPVhKLD0tZ7fFWSHU9EOnu/"
	usersDebianSalt = "Kp4zW9xQe2LmN7aB"
	usersDebianDgst = "V683IkqAsVXkHJNRN7y/WH07knTr.tQYN57Ku8IDCK6ubLth.LkwnnVoQQ/AQzdAPVhKLD0tZ7fFWSHU9EOnu/"
)

// usersDebian12 is the account files of testdata/users/debian12 with the
// home directories of a stock server: /root and /home/debian 0700 (the
// bookworm adduser default), /run/sshd, and no /nonexistent.
func usersDebian12(t *testing.T) []fileSpec {
	t.Helper()
	specs := []fileSpec{
		{path: "/root", dir: true, mode: 0o700},
		{path: "/home", dir: true, mode: 0o755},
		{path: "/home/debian", dir: true, mode: 0o700, uid: 1000, gid: 1000},
		{path: "/usr/sbin", dir: true, mode: 0o755},
		{path: "/bin", dir: true, mode: 0o755},
		{path: "/dev", dir: true, mode: 0o755},
		{path: "/run/sshd", dir: true, mode: 0o755},
		{path: "/var/www", dir: true, mode: 0o755},
	}
	for name, mode := range map[string]os.FileMode{"passwd": 0o644, "group": 0o644, "shadow": 0o640, "gshadow": 0o640, "shells": 0o644, "login.defs": 0o644} {
		specs = append(specs, fileSpec{path: "/etc/" + name, content: pkgTestdata(t, "users/debian12/"+name), mode: mode})
	}
	return specs
}

func usersCollect(t testing.TB, fsys *rootfs.Fs) (*UsersFacts, error) {
	t.Helper()
	got, err := Users{}.Collect(context.Background(), Target{Fs: fsys, Root: "/"})
	if err != nil {
		return nil, err
	}
	return got.(*UsersFacts), nil
}

func usersI64(n int64) *int64 { return &n }

// usersAging is the aging of an account made by the Debian installer.
func usersAging(s ShadowInfo) ShadowInfo {
	s.LastChange, s.MinDays, s.MaxDays, s.WarnDays = usersI64(19700), usersI64(0), usersI64(99999), usersI64(7)
	return s
}

func usersByName(f *UsersFacts) map[string]UserEntry {
	m := map[string]UserEntry{}
	for _, u := range f.Users {
		m[u.Name] = u
	}
	return m
}

func TestUsersDebian12(t *testing.T) {
	f, err := usersCollect(t, memRoot(t, usersDebian12(t)))
	if err != nil {
		t.Fatal(err)
	}
	users := usersByName(f)
	dir := func(p string, mode string, uid int, owner string, gid int, group string, owned bool) HomeDir {
		return HomeDir{Path: p, Exists: true, HomeStat: &HomeStat{Type: "directory", UID: uid, GID: gid, Owner: owner, Group: group, Mode: mode, OwnedByUser: owned}}
	}
	want := map[string]UserEntry{
		"root": {
			Name: "root", UID: 0, GID: 0, GECOS: "root", Home: "/root", Shell: "/bin/bash", Line: 1,
			PasswordField: "shadowed", ShellIsLogin: true, ShellListed: true, System: true,
			Shadow:  usersAging(ShadowInfo{Exists: true, Line: 1, Status: "hashed", Algorithm: "yescrypt"}),
			HomeDir: dir("/root", "0700", 0, "root", 0, "root", true),
		},
		"daemon": {
			Name: "daemon", UID: 1, GID: 1, GECOS: "daemon", Home: "/usr/sbin", Shell: "/usr/sbin/nologin", Line: 2,
			PasswordField: "shadowed", ShellIsLogin: false, ShellListed: false, System: true,
			Shadow:  usersAging(ShadowInfo{Exists: true, Line: 2, Status: "no_password", Locked: true, Algorithm: "none"}),
			HomeDir: dir("/usr/sbin", "0755", 0, "root", 0, "root", false),
		},
		"sync": {
			Name: "sync", UID: 4, GID: 65534, GECOS: "sync", Home: "/bin", Shell: "/bin/sync", Line: 5,
			PasswordField: "shadowed", ShellIsLogin: false, ShellListed: false, System: true,
			Shadow:  usersAging(ShadowInfo{Exists: true, Line: 5, Status: "no_password", Locked: true, Algorithm: "none"}),
			HomeDir: dir("/bin", "0755", 0, "root", 0, "root", false),
		},
		"nobody": {
			Name: "nobody", UID: 65534, GID: 65534, GECOS: "nobody", Home: "/nonexistent", Shell: "/usr/sbin/nologin", Line: 18,
			PasswordField: "shadowed", ShellIsLogin: false, System: false,
			Shadow:  usersAging(ShadowInfo{Exists: true, Line: 18, Status: "no_password", Locked: true, Algorithm: "none"}),
			HomeDir: HomeDir{Path: "/nonexistent"},
		},
		"systemd-network": {
			Name: "systemd-network", UID: 998, GID: 998, GECOS: "systemd Network Management", Home: "/", Shell: "/usr/sbin/nologin", Line: 19,
			PasswordField: "shadowed", System: true,
			Shadow:  ShadowInfo{Exists: true, Line: 19, Status: "no_password", Locked: true, Algorithm: "none", LastChange: usersI64(19700)},
			HomeDir: dir("/", "0755", 0, "root", 0, "root", false),
		},
		"sshd": {
			Name: "sshd", UID: 101, GID: 65534, Home: "/run/sshd", Shell: "/usr/sbin/nologin", Line: 22,
			PasswordField: "shadowed", System: true,
			Shadow:  ShadowInfo{Exists: true, Line: 22, Status: "no_password", Locked: true, Algorithm: "none", LastChange: usersI64(19700)},
			HomeDir: dir("/run/sshd", "0755", 0, "root", 0, "root", false),
		},
		"debian": {
			Name: "debian", UID: 1000, GID: 1000, GECOS: "Debian,,,", Home: "/home/debian", Shell: "/bin/bash", Line: 23,
			PasswordField: "shadowed", ShellIsLogin: true, ShellListed: true, System: false,
			Shadow:  usersAging(ShadowInfo{Exists: true, Line: 23, Status: "hashed", Algorithm: "sha512"}),
			HomeDir: dir("/home/debian", "0700", 1000, "debian", 1000, "debian", true),
		},
	}
	for name, w := range want {
		if diff := cmp.Diff(w, users[name]); diff != "" {
			t.Errorf("user %s (-want +got):\n%s", name, diff)
		}
	}
	if len(f.Users) != 23 || f.Users[0].Name != "root" || f.Users[22].Name != "debian" {
		t.Errorf("users not in file order: %d users", len(f.Users))
	}
	top := struct {
		Files         map[string]FileExists
		UIDMin        UIDMin
		Shells        []string
		Duplicates    Duplicates
		UID0          []string
		MissingGroups []MissingGroup
		NISEntries    []NISEntry
	}{f.Files, f.UIDMin, f.Shells, f.Duplicates, f.UID0, f.MissingGroups, f.NISEntries}
	wantTop := top
	wantTop.Files = map[string]FileExists{"/etc/passwd": {true}, "/etc/shadow": {true}, "/etc/group": {true}, "/etc/gshadow": {true}, "/etc/shells": {true}, "/etc/login.defs": {true}}
	wantTop.UIDMin = UIDMin{Value: 1000, File: "/etc/login.defs", Line: 172}
	wantTop.Shells = []string{"/bin/sh", "/usr/bin/sh", "/bin/bash", "/usr/bin/bash", "/bin/rbash", "/usr/bin/rbash", "/bin/dash", "/usr/bin/dash"}
	wantTop.Duplicates = Duplicates{UIDs: map[string][]string{}, GIDs: map[string][]string{}, UserNames: []string{}, GroupNames: []string{}}
	wantTop.UID0 = []string{"root"}
	wantTop.MissingGroups = []MissingGroup{}
	wantTop.NISEntries = []NISEntry{}
	if diff := cmp.Diff(wantTop, top); diff != "" {
		t.Errorf("derived facts (-want +got):\n%s", diff)
	}

	groups := map[string]GroupEntry{}
	for _, g := range f.Groups {
		groups[g.Name] = g
	}
	wantGroups := map[string]GroupEntry{
		"sudo":            {Name: "sudo", GID: 27, Members: []string{"debian"}, Line: 21, GShadow: GShadowInfo{Exists: true, Line: 21, Status: "no_password", Admins: []string{}, Members: []string{"debian"}}},
		"shadow":          {Name: "shadow", GID: 42, Members: []string{}, Line: 30, GShadow: GShadowInfo{Exists: true, Line: 30, Status: "no_password", Admins: []string{}, Members: []string{}}},
		"systemd-journal": {Name: "systemd-journal", GID: 999, Members: []string{}, Line: 39, GShadow: GShadowInfo{Exists: true, Line: 39, Status: "no_password", Admins: []string{}, Members: []string{}}},
		"debian":          {Name: "debian", GID: 1000, Members: []string{}, Line: 45, GShadow: GShadowInfo{Exists: true, Line: 45, Status: "no_password", Admins: []string{}, Members: []string{}}},
	}
	for name, w := range wantGroups {
		if diff := cmp.Diff(w, groups[name]); diff != "" {
			t.Errorf("group %s (-want +got):\n%s", name, diff)
		}
	}
	if len(f.Groups) != 45 {
		t.Errorf("%d groups, want 45", len(f.Groups))
	}
}

// TestUsersNoSecrets encodes the facts as the engine does and looks for
// every hash, salt and digest of the fixtures, in passwd and shadow alike.
func TestUsersNoSecrets(t *testing.T) {
	specs := usersDebian12(t)
	// Also a hash kept in /etc/passwd itself and in gshadow, and a locked
	// hash.
	for i := range specs {
		switch specs[i].path {
		case "/etc/passwd":
			specs[i].content += "legacy:" + usersDebianHash + ":1001:1000::/home/legacy:/bin/sh\nlocked:x:1002:1000::/home/locked:/bin/sh\n+@admins:" + usersRootHash + ":::::\n"
		case "/etc/shadow":
			specs[i].content += "locked:!" + usersRootHash + ":19700:1:90:7:30::\n"
		case "/etc/gshadow":
			specs[i].content = strings.Replace(specs[i].content, "sudo:*::debian", "sudo:"+usersDebianHash+":debian:debian", 1)
		}
	}
	f, err := usersCollect(t, memRoot(t, specs))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{usersRootHash, usersRootSalt, usersRootDigest, usersDebianHash, usersDebianSalt, usersDebianDgst, usersRootDigest[:12], usersDebianDgst[:12]} {
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("facts contain %q", secret)
		}
	}
	users := usersByName(f)
	if got := users["legacy"].PasswordField; got != "hash" {
		t.Errorf("legacy password_field = %q, want hash", got)
	}
	if got := users["locked"].Shadow; got.Status != "locked" || !got.Locked || got.Algorithm != "yescrypt" {
		t.Errorf("locked shadow = %+v, want locked yescrypt", got)
	}
	// Only the first field of a NIS line is reported.
	if diff := cmp.Diff([]NISEntry{{File: "/etc/passwd", Line: 26, Entry: "+@admins"}}, f.NISEntries); diff != "" {
		t.Errorf("nis_entries (-want +got):\n%s", diff)
	}
}

func TestClassifyPassword(t *testing.T) {
	type c struct {
		status    string
		locked    bool
		empty     bool
		algorithm string
	}
	tests := map[string]c{
		"":                                     {"empty", false, true, "none"},
		"*":                                    {"no_password", true, false, "none"},
		"!":                                    {"no_password", true, false, "none"},
		"!*":                                   {"no_password", true, false, "none"},
		"!!":                                   {"no_password", true, false, "none"},
		"*LK*":                                 {"no_password", true, false, "none"},
		"x":                                    {"no_password", true, false, "none"},
		usersRootHash:                          {"hashed", false, false, "yescrypt"},
		"!" + usersRootHash:                    {"locked", true, false, "yescrypt"},
		"*" + usersDebianHash:                  {"locked", true, false, "sha512"},
		"$gy$j9T$abc$def":                      {"hashed", false, false, "gost-yescrypt"},
		"$7$CU..../....abc$def":                {"hashed", false, false, "scrypt"},
		"$2b$12$abcdefghijklmnopqrstuv":        {"hashed", false, false, "bcrypt"},
		"$2y$12$abcdefghijklmnopqrstuv":        {"hashed", false, false, "bcrypt"},
		"$2a$12$abcdefghijklmnopqrstuv":        {"hashed", false, false, "bcrypt"},
		"$5$salt$hash":                         {"hashed", false, false, "sha256"},
		"$1$salt$hash":                         {"hashed", false, false, "md5"},
		"$sha1$40000$salt$hash":                {"hashed", false, false, "sha1"},
		"$3$$8846f7eaee8fb117ad06bdd830b7586c": {"hashed", false, false, "nt"},
		"$9$salt$hash":                         {"hashed", false, false, "unknown"},
		"abhfCpXqd4GrI":                        {"hashed", false, false, "des"},
		"!abhfCpXqd4GrI":                       {"locked", true, false, "des"},
		"abhfCpXqd4Gr#":                        {"no_password", true, false, "none"},
	}
	for in, want := range tests {
		var got c
		got.status, got.locked, got.empty, got.algorithm = classifyPassword(in)
		if got != want {
			t.Errorf("classifyPassword(%q) = %+v, want %+v", in, got, want)
		}
	}
	for in, want := range map[string]string{"x": "shadowed", "": "empty", "*": "locked", "!": "locked", "!x": "locked", usersRootHash: "hash", "NP": "hash"} {
		if got := passwordField(in); got != want {
			t.Errorf("passwordField(%q) = %q, want %q", in, got, want)
		}
	}
}

func usersMem(t *testing.T, files map[string]string) *rootfs.Fs {
	t.Helper()
	var specs []fileSpec
	for p, c := range files {
		specs = append(specs, fileSpec{path: p, content: c, mode: 0o644})
	}
	return memRoot(t, specs)
}

func TestUsersDerived(t *testing.T) {
	fsys := usersMem(t, map[string]string{
		"/etc/passwd": strings.Join([]string{
			"root:x:0:0:root:/root:/bin/bash",
			"toor:x:0:0::/root:/bin/sh",
			"# a comment",
			"",
			"alice:x:1000:1000::/home/alice:",
			"bob:x:1000:1001::/home/bob:/bin/zsh",
			"alice:x:1002:1002::/home/alice2:/bin/bash",
			"carol:x:1003:4242::relative:/usr/bin/false",
			"+@netadmins::::::",
			"-mallory",
		}, "\n") + "\n",
		"/etc/group": "root:x:0:\nwheel:x:0:root\nusers:x:1000:\nusers:x:1001:\nalice2:x:1002:\n+:::\n",
		"/etc/shadow": strings.Join([]string{
			"root:*:19700:0:99999:7:::",
			"toor::19700:::::1:",
			"alice:" + usersRootHash + ":19700:1:365:7:45:20000:",
			"alice:" + usersDebianHash + ":::::::",
			"bob:!::::::: ",
		}, "\n") + "\n",
		"/etc/login.defs": "UID_MIN 500\nUID_MIN 0x3e8\n",
	})
	f, err := usersCollect(t, fsys)
	if err != nil {
		t.Fatal(err)
	}
	want := Duplicates{
		UIDs:       map[string][]string{"0": {"root", "toor"}, "1000": {"alice", "bob"}},
		GIDs:       map[string][]string{"0": {"root", "wheel"}},
		UserNames:  []string{"alice"},
		GroupNames: []string{"users"},
	}
	if diff := cmp.Diff(want, f.Duplicates); diff != "" {
		t.Errorf("duplicates (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"root", "toor"}, f.UID0); diff != "" {
		t.Errorf("uid0 (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]MissingGroup{{Name: "carol", GID: 4242, Line: 8}}, f.MissingGroups); diff != "" {
		t.Errorf("missing_groups (-want +got):\n%s", diff)
	}
	wantNIS := []NISEntry{{File: "/etc/passwd", Line: 9, Entry: "+@netadmins"}, {File: "/etc/passwd", Line: 10, Entry: "-mallory"}, {File: "/etc/group", Line: 6, Entry: "+"}}
	if diff := cmp.Diff(wantNIS, f.NISEntries); diff != "" {
		t.Errorf("nis_entries (-want +got):\n%s", diff)
	}
	if f.UIDMin != (UIDMin{Value: 1000, File: "/etc/login.defs", Line: 2}) {
		t.Errorf("uid_min = %+v, want the last assignment, 0x3e8 = 1000", f.UIDMin)
	}
	u := f.Users
	// The first shadow entry of a name wins, as getspnam(3) finds it.
	wantAlice := ShadowInfo{Exists: true, Line: 3, Status: "hashed", Algorithm: "yescrypt", LastChange: usersI64(19700), MinDays: usersI64(1), MaxDays: usersI64(365), WarnDays: usersI64(7), Inactive: usersI64(45), Expire: usersI64(20000)}
	if diff := cmp.Diff(wantAlice, u[2].Shadow); diff != "" {
		t.Errorf("alice's shadow (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(ShadowInfo{Exists: true, Line: 2, Status: "empty", Empty: true, Algorithm: "none", LastChange: usersI64(19700), Expire: usersI64(1)}, u[1].Shadow); diff != "" {
		t.Errorf("toor's shadow (-want +got):\n%s", diff)
	}
	if u[5].Shadow.Exists || u[5].Shadow.Status != "" {
		t.Errorf("carol has no shadow entry, got %+v", u[5].Shadow)
	}
	// An empty shell is /bin/sh; /bin/zsh is a login shell though not in
	// /etc/shells (there is none); false is not.
	for i, want := range []bool{true, true, true, true, true, false} {
		if u[i].ShellIsLogin != want || u[i].ShellListed {
			t.Errorf("%s: shell_is_login %v shell_listed %v, want %v false", u[i].Name, u[i].ShellIsLogin, u[i].ShellListed, want)
		}
	}
	for i, want := range []bool{true, true, false, false, false, false} {
		if u[i].System != want {
			t.Errorf("%s (uid %d): system %v, want %v (UID_MIN 1000)", u[i].Name, u[i].UID, u[i].System, want)
		}
	}
	if diff := cmp.Diff(HomeDir{Path: "relative"}, u[5].HomeDir); diff != "" {
		t.Errorf("relative home (-want +got):\n%s", diff)
	}
}

func TestUsersEmptyRoot(t *testing.T) {
	f, err := usersCollect(t, usersMem(t, map[string]string{"/etc/hostname": "x\n"}))
	if err != nil {
		t.Fatal(err)
	}
	want := &UsersFacts{
		Files:         map[string]FileExists{"/etc/passwd": {}, "/etc/shadow": {}, "/etc/group": {}, "/etc/gshadow": {}, "/etc/shells": {}, "/etc/login.defs": {}},
		UIDMin:        UIDMin{Value: 1000},
		Shells:        []string{},
		Users:         []UserEntry{},
		Groups:        []GroupEntry{},
		Duplicates:    Duplicates{UIDs: map[string][]string{}, GIDs: map[string][]string{}, UserNames: []string{}, GroupNames: []string{}},
		UID0:          []string{},
		MissingGroups: []MissingGroup{},
		NISEntries:    []NISEntry{},
	}
	if diff := cmp.Diff(want, f); diff != "" {
		t.Errorf("facts (-want +got):\n%s", diff)
	}
	b, _ := json.Marshal(f)
	for _, key := range []string{`"users":[]`, `"uid0":[]`, `"uids":{}`} {
		if !bytes.Contains(b, []byte(key)) {
			t.Errorf("JSON lacks %s: %s", key, b)
		}
	}
}

func TestUsersErrors(t *testing.T) {
	ok := map[string]string{
		"/etc/passwd": "root:x:0:0::/root:/bin/sh\n",
		"/etc/shadow": "root:*:1:0:99999:7:::\n",
		"/etc/group":  "root:x:0:\n",
	}
	tests := []struct {
		name, file, content, want string
	}{
		{"passwd fields", "/etc/passwd", "root:x:0:0::/root:/bin/sh\nbad:" + usersRootHash + ":1:1::/\n", "/etc/passwd:2: 6 fields, expected 7"},
		{"passwd uid", "/etc/passwd", "root:x:0:0::/root:/bin/sh\n\nbad:x:" + usersDebianSalt + ":1::/:/bin/sh\n", "/etc/passwd:3: field 3 (UID) is not a number"},
		{"passwd negative uid", "/etc/passwd", "bad:x:-1:1::/:/bin/sh\n", "/etc/passwd:1: field 3 (UID)"},
		{"passwd gid", "/etc/passwd", "bad:x:1:" + usersRootDigest + "::/:/bin/sh\n", "/etc/passwd:1: field 4 (GID)"},
		{"passwd uid too large", "/etc/passwd", "bad:x:4294967295:1::/:/bin/sh\n", "/etc/passwd:1: field 3 (UID)"},
		{"passwd empty name", "/etc/passwd", ":x:1:1::/:/bin/sh\n", "/etc/passwd:1: empty user name"},
		{"shadow fields", "/etc/shadow", "root:" + usersRootHash + ":1:0:99999:7::\n", "/etc/shadow:1: 8 fields, expected 9"},
		{"shadow number", "/etc/shadow", "root:*:1:0:99999:7:::\nalice:" + usersRootHash + ":" + usersRootSalt + ":0:99999:7:::\n", "/etc/shadow:2: field 3 (last change) is not a number"},
		{"shadow max", "/etc/shadow", "root:*:1:0:never:7:::\n", "/etc/shadow:1: field 5 (maximum age) is not a number"},
		{"group fields", "/etc/group", "root:x:0\n", "/etc/group:1: 3 fields, expected 4"},
		{"group gid", "/etc/group", "root:x:zero:\n", "/etc/group:1: field 3 (GID)"},
		{"gshadow fields", "/etc/gshadow", "root:" + usersDebianHash + ":\n", "/etc/gshadow:1: 3 fields, expected 4"},
		{"uid_min", "/etc/login.defs", "UID_MIN\t1000x\n", `/etc/login.defs:1: UID_MIN "1000x" is not a number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range ok {
				files[k] = v
			}
			files[tt.file] = tt.content
			_, err := usersCollect(t, usersMem(t, files))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "users: ") {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			for _, secret := range []string{usersRootSalt, usersRootDigest, usersDebianSalt} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q quotes a secret", err)
				}
			}
		})
	}
}

func TestUsersUnreadable(t *testing.T) {
	// A directory where /etc/shadow should be is not "missing".
	fsys := memRoot(t, []fileSpec{{path: "/etc/passwd", content: "root:x:0:0::/:/bin/sh\n", mode: 0o644}, {path: "/etc/shadow", dir: true, mode: 0o755}})
	_, err := usersCollect(t, fsys)
	if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "/etc/shadow") {
		t.Fatalf("err = %v, want ErrNotRegular naming /etc/shadow", err)
	}
}

// TestUsersHomeOsFs checks home directories on a real file system:
// ownership, modes, and a home that is a symlink is described, not
// followed.
func TestUsersHomeOsFs(t *testing.T) {
	if os.Geteuid() != 0 {
		oracle.Missing(t, "chown needs root")
	}
	dir := t.TempDir()
	mk := func(p string, mode os.FileMode, uid, gid int) {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(full, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(full, uid, gid); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(full, mode); err != nil {
			t.Fatal(err)
		}
	}
	mk("/etc", 0o755, 0, 0)
	mk("/home/alice", 0o750, 1000, 1000)
	mk("/home/bob", os.ModeSetgid|0o775, 0, 1001)
	mk("/srv/carol", 0o700, 1002, 1002)
	if err := os.Symlink("/srv/carol", filepath.Join(dir, "home/carol")); err != nil {
		t.Fatal(err)
	}
	// An absolute link that would escape the root lands inside it.
	if err := os.Symlink("/", filepath.Join(dir, "home/dave")); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"etc/passwd": "alice:x:1000:1000::/home/alice:/bin/bash\nbob:x:1001:1001::/home/bob:/bin/bash\ncarol:x:1002:1002::/home/carol:/bin/bash\ndave:x:1003:1003::/home/dave/:/bin/sh\nerin:x:1004:1004::/home/erin:/bin/sh\n",
		"etc/group":  "alice:x:1000:\nbob:x:1001:\ncarol:x:1002:\n",
	}
	for p, c := range files {
		if err := os.WriteFile(filepath.Join(dir, p), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fsys, err := rootfs.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	f, err := usersCollect(t, fsys)
	if err != nil {
		t.Fatal(err)
	}
	want := []HomeDir{
		{Path: "/home/alice", Exists: true, HomeStat: &HomeStat{Type: "directory", UID: 1000, GID: 1000, Owner: "alice", Group: "alice", Mode: "0750", OwnedByUser: true}},
		{Path: "/home/bob", Exists: true, HomeStat: &HomeStat{Type: "directory", UID: 0, GID: 1001, Owner: "", Group: "bob", Mode: "2775", OwnedByUser: false}},
		{Path: "/home/carol", Exists: true, HomeStat: &HomeStat{Type: "symlink", UID: 0, GID: 0, Mode: "0777", OwnedByUser: false}},
		{Path: "/home/dave/", Exists: true, HomeStat: &HomeStat{Type: "symlink", UID: 0, GID: 0, Mode: "0777", OwnedByUser: false}},
		{Path: "/home/erin"},
	}
	for i, w := range want {
		if diff := cmp.Diff(w, f.Users[i].HomeDir); diff != "" {
			t.Errorf("%s's home (-want +got):\n%s", f.Users[i].Name, diff)
		}
	}
}

func TestUsersCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Users{}.Collect(ctx, Target{Fs: memRoot(t, usersDebian12(t)), Root: "/"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// TestUsersLarge checks that 100,000 users are read in linear time: the
// duplicate detection must not compare every pair.
func TestUsersLarge(t *testing.T) {
	const n = 100000
	var pw, sh, gr strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&pw, "u%d:x:%d:%d::/home/u%d:/bin/bash\n", i, 10000+i, 10000+i%1000, i)
		fmt.Fprintf(&sh, "u%d:$6$salt%d$digest:19700:1:365:7:30::\n", i, i)
	}
	pw.WriteString("dup:x:10005:10005::/:/bin/sh\n")
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&gr, "g%d:x:%d:\n", i, 10000+i)
	}
	fsys := usersMem(t, map[string]string{"/etc/passwd": pw.String(), "/etc/shadow": sh.String(), "/etc/group": gr.String()})
	start := time.Now()
	f, err := usersCollect(t, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Users) != n+1 || f.Users[n-1].Shadow.MaxDays == nil || *f.Users[n-1].Shadow.MaxDays != 365 {
		t.Fatalf("%d users", len(f.Users))
	}
	if diff := cmp.Diff(map[string][]string{"10005": {"u5", "dup"}}, f.Duplicates.UIDs); diff != "" {
		t.Errorf("duplicates (-want +got):\n%s", diff)
	}
	t.Logf("%d users in %v", n, time.Since(start))
}

// TestUsersOracleGetent compares the users read from this machine's
// /etc/passwd with what glibc's files backend returns (getent -s files).
func TestUsersOracleGetent(t *testing.T) {
	getent := oracle.Require(t, "getent")
	out, err := exec.Command(getent, "-s", "files", "passwd").Output()
	if err != nil {
		t.Fatalf("getent: %v", err)
	}
	fsys, err := rootfs.New("/")
	if err != nil {
		t.Fatal(err)
	}
	f, err := usersCollect(t, fsys)
	if err != nil {
		t.Fatal(err)
	}
	var want, got []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		fl := strings.Split(sc.Text(), ":")
		if len(fl) != 7 {
			t.Fatalf("getent line %q", sc.Text())
		}
		fl[1] = "" // the password field is not in the facts
		want = append(want, strings.Join(fl, ":"))
	}
	for _, u := range f.Users {
		got = append(got, strings.Join([]string{u.Name, "", strconv.FormatUint(u.UID, 10), strconv.FormatUint(u.GID, 10), u.GECOS, u.Home, u.Shell}, ":"))
	}
	if len(want) == 0 {
		t.Fatal("getent returned no users")
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("users (-getent +collector):\n%s", diff)
	}
}
