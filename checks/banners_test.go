package checks

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unicode/utf8"

	"github.com/gcrun/gcrun/internal/oracle"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/spf13/afero"
)

// bannerStat is the FileStat of a regular file in the banner tests.
func bannerStat(mode uint32, uid, gid int, owner, group string, size int64) *FileStat {
	return stat("", "", mode, uid, gid, owner, group, size).FileStat
}

var ignoreBannerStat = cmp.Options{
	ignoreMtime,
	cmpopts.IgnoreFields(FileStat{}, "Mode", "Permissions"),
}

func TestBannersMemMapFs(t *testing.T) {
	issue := "Debian GNU/Linux 12 \\n \\l\n\n"
	net := "Authorized uses only. All activity may be monitored and reported.\n"
	fsys := memRoot(t, []fileSpec{
		{path: "/etc/passwd", content: "toor:x:0:0::/root:/bin/sh\nbin:x:2:2::/:/bin/false\n", mode: 0o644},
		{path: "/etc/group", content: "wheelz:x:0:\nadm:x:4:\n", mode: 0o644},
		{path: "/etc/issue", content: issue, mode: 0o644},
		{path: "/etc/issue.net", content: net, mode: 0o664, uid: 2, gid: 4},
		{path: "/etc/update-motd.d", dir: true, mode: 0o755},
		{path: "/etc/update-motd.d/10-uname", content: "#!/bin/sh\nuname -snrvm\n", mode: 0o755},
		{path: "/etc/update-motd.d/README", content: "not run\n", mode: 0o644},
		{path: "/etc/update-motd.d/sub", dir: true, mode: 0o755},
	})
	got, err := Banners{}.Collect(context.Background(), Target{Fs: fsys, Root: "/"})
	if err != nil {
		t.Fatal(err)
	}
	want := &BannersFacts{
		Files: map[string]*BannerFile{
			"/etc/issue": {Path: "/etc/issue", Exists: true, FileStat: bannerStat(0o644, 0, 0, "toor", "wheelz", int64(len(issue))),
				BannerText: &BannerText{Content: issue, Escapes: []BannerEscape{{Escape: `\n`, Line: 1}, {Escape: `\l`, Line: 1}}}},
			"/etc/issue.net": {Path: "/etc/issue.net", Exists: true, FileStat: bannerStat(0o664, 2, 4, "bin", "adm", int64(len(net))),
				BannerText: &BannerText{Content: net, Escapes: []BannerEscape{}}},
			"/etc/motd": {Path: "/etc/motd"},
		},
		UpdateMotd: BannerUpdateMotd{Path: "/etc/update-motd.d", Exists: true, Scripts: []BannerScript{
			{Name: "10-uname", Executable: true}, {Name: "README"},
		}},
	}
	for _, f := range want.Files {
		if f.FileStat != nil {
			f.FileStat.Mode = ""
		}
	}
	if diff := cmp.Diff(want, got, ignoreBannerStat); diff != "" {
		t.Errorf("facts (-want +got):\n%s", diff)
	}
	if m := got.(*BannersFacts).Files["/etc/issue.net"].Mode; m != "0664" {
		t.Errorf("issue.net mode %q, want 0664", m)
	}
}

func TestBannersEmptyRoot(t *testing.T) {
	got, err := Banners{}.Collect(context.Background(), Target{Fs: memRoot(t, nil), Root: "/"})
	if err != nil {
		t.Fatal(err)
	}
	want := &BannersFacts{
		Files: map[string]*BannerFile{
			"/etc/issue": {Path: "/etc/issue"}, "/etc/issue.net": {Path: "/etc/issue.net"}, "/etc/motd": {Path: "/etc/motd"},
		},
		UpdateMotd: BannerUpdateMotd{Path: "/etc/update-motd.d", Scripts: []BannerScript{}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("facts (-want +got):\n%s", diff)
	}
}

func TestBannerEscapes(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []BannerEscape
	}{
		{"cis letters", `\m \r \s \v`, []BannerEscape{{Escape: `\m`, Line: 1}, {Escape: `\r`, Line: 1}, {Escape: `\s`, Line: 1}, {Escape: `\v`, Line: 1}}},
		{"escaped backslash is literal", `C:\\m and \\\r`, []BannerEscape{{Escape: `\r`, Line: 1}}},
		{"unknown letters print themselves", `\x \z \\ \q`, []BannerEscape{}},
		{"arguments", "\\S{VERSION_ID}\n\\e{red}x\\e\n\\4{eth0} \\6 \\S", []BannerEscape{
			{Escape: `\S`, Argument: "VERSION_ID", Line: 1}, {Escape: `\e`, Argument: "red", Line: 2}, {Escape: `\e`, Line: 2},
			{Escape: `\4`, Argument: "eth0", Line: 3}, {Escape: `\6`, Line: 3}, {Escape: `\S`, Line: 3},
		}},
		{"no argument for letters without one", `\m{x}`, []BannerEscape{{Escape: `\m`, Line: 1}}},
		{"unterminated argument", `\S{PRETTY`, []BannerEscape{{Escape: `\S`, Line: 1}}},
		{"line numbers", "a\n\nb \\v\n\\\nc \\U", []BannerEscape{{Escape: `\v`, Line: 3}, {Escape: `\U`, Line: 5}}},
		{"trailing backslash", `x \`, []BannerEscape{}},
		{"argument spanning lines", "\\S{A\nB} \\n", []BannerEscape{{Escape: `\S`, Argument: "A\nB", Line: 1}, {Escape: `\n`, Line: 2}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, bannerEscapes([]byte(tc.in))); diff != "" {
				t.Errorf("escapes of %q (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestBannerContentLimit(t *testing.T) {
	// "é" is two bytes; placed so that the cut at 4096 falls inside it.
	data := []byte(strings.Repeat("a", BannerContentLimit-1) + "é" + strings.Repeat("b", 100))
	got := bannerParseText(data)
	if !got.Truncated || got.Content != strings.Repeat("a", BannerContentLimit-1) {
		t.Errorf("truncated=%v, content ends %q", got.Truncated, got.Content[len(got.Content)-3:])
	}
	// Exactly the limit: not truncated.
	exact := bannerParseText([]byte(strings.Repeat("x", BannerContentLimit)))
	if exact.Truncated || len(exact.Content) != BannerContentLimit {
		t.Errorf("a file of exactly the limit: truncated=%v len=%d", exact.Truncated, len(exact.Content))
	}
	// Invalid UTF-8 becomes U+FFFD; escapes beyond the limit still count.
	bad := bannerParseText(append([]byte("ok \xff\xfe end\n"), []byte(strings.Repeat("z", 5000)+" \\r")...))
	if !utf8.ValidString(bad.Content) || !strings.HasPrefix(bad.Content, "ok \uFFFD end") {
		t.Errorf("content %q is not the valid UTF-8 rendering", bad.Content[:20])
	}
	if diff := cmp.Diff([]BannerEscape{{Escape: `\r`, Line: 2}}, bad.Escapes); diff != "" {
		t.Errorf("escapes beyond the content limit (-want +got):\n%s", diff)
	}
}

func TestBannersOsFs(t *testing.T) {
	if os.Geteuid() != 0 {
		oracle.Missing(t, "chown needs root")
	}
	dir, fsys := osRoot(t, []fileSpec{
		{path: "/etc/passwd", content: "toor:x:0:0::/root:/bin/sh\n", mode: 0o644},
		{path: "/etc/group", content: "wheelz:x:0:\n", mode: 0o644},
		{path: "/etc/issue", content: "Authorized uses only\n", mode: 0o600, uid: 0, gid: 0},
	})
	// issue.net is a relative link to issue; motd an absolute link that
	// dangles inside the root (it exists on the scanning host: /etc/passwd
	// would be found if the link escaped).
	if err := os.Symlink("issue", filepath.Join(dir, "etc/issue.net")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/run/motd.dynamic", filepath.Join(dir, "etc/motd")); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "etc/update-motd.d"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "etc/update-motd.d/fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Banners{}.Collect(context.Background(), Target{Fs: fsys, Root: dir})
	if err != nil {
		t.Fatal(err)
	}
	facts := got.(*BannersFacts)
	net := facts.Files["/etc/issue.net"]
	if !net.Exists || net.LinkTarget != "issue" || net.Type != "file" || net.Mode != "0600" || net.Owner != "toor" || net.Content != "Authorized uses only\n" {
		t.Errorf("issue.net through a link: %+v %+v", net.FileStat, net.BannerText)
	}
	motd := facts.Files["/etc/motd"]
	if diff := cmp.Diff(&BannerFile{Path: "/etc/motd", LinkTarget: "/run/motd.dynamic"}, motd); diff != "" {
		t.Errorf("dangling motd (-want +got):\n%s", diff)
	}
	if len(facts.UpdateMotd.Scripts) != 0 || !facts.UpdateMotd.Exists {
		t.Errorf("update-motd.d with only a FIFO: %+v", facts.UpdateMotd)
	}

	// stat -L is the oracle for what the facts say about each banner.
	statBin := oracle.Require(t, "stat")
	for _, p := range []string{"/etc/issue", "/etc/issue.net"} {
		out, err := exec.Command(statBin, "-L", "-c", "%a %u %g %s", filepath.Join(dir, p)).Output()
		if err != nil {
			t.Fatal(err)
		}
		f := facts.Files[p]
		mode, _ := strconv.ParseUint(f.Mode, 8, 32)
		mine := strconv.FormatUint(mode, 8) + " " + strconv.Itoa(f.UID) + " " + strconv.Itoa(f.GID) + " " + strconv.FormatInt(f.Size, 10)
		if strings.TrimSpace(string(out)) != mine {
			t.Errorf("%s: stat -L says %q, facts %q", p, strings.TrimSpace(string(out)), mine)
		}
	}
}

func TestBannersNotRegular(t *testing.T) {
	if os.Geteuid() != 0 {
		oracle.Missing(t, "chown needs root")
	}
	dir, fsys := osRoot(t, []fileSpec{{path: "/etc/issue.d", dir: true, mode: 0o755}})
	if err := os.Mkdir(filepath.Join(dir, "etc/motd"), 0o755); err != nil {
		t.Fatal(err)
	}
	// A FIFO must be described, never opened (opening would block).
	if err := syscall.Mkfifo(filepath.Join(dir, "etc/issue"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Banners{}.Collect(context.Background(), Target{Fs: fsys, Root: dir})
	if err != nil {
		t.Fatal(err)
	}
	facts := got.(*BannersFacts)
	for p, typ := range map[string]string{"/etc/motd": "directory", "/etc/issue": "fifo"} {
		f := facts.Files[p]
		if !f.Exists || f.Type != typ || f.BannerText != nil {
			t.Errorf("%s: exists=%v type=%q text=%v, want a %s without text", p, f.Exists, f.Type, f.BannerText, typ)
		}
	}
}

func TestBannersErrors(t *testing.T) {
	big := afero.NewMemMapFs()
	if err := afero.WriteFile(big, "/etc/motd", make([]byte, MaxConfigSize+1), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Banners{}.Collect(context.Background(), Target{Fs: rootfsWrapOwned(big), Root: "/"})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "/etc/motd") {
		t.Errorf("err = %v, want ErrTooLarge naming /etc/motd", err)
	}

	notDir := memRoot(t, []fileSpec{{path: "/etc/update-motd.d", content: "x", mode: 0o644}})
	_, err = Banners{}.Collect(context.Background(), Target{Fs: notDir, Root: "/"})
	if err == nil || !strings.Contains(err.Error(), "/etc/update-motd.d") {
		t.Errorf("err = %v, want an error naming /etc/update-motd.d", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (Banners{}).Collect(ctx, Target{Fs: memRoot(t, nil), Root: "/"}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// rootfsWrapOwned gives every file of fsys owner 0:0.
func rootfsWrapOwned(fsys afero.Fs) afero.Fs {
	return ownedFs{Fs: fsys, owners: map[string][2]int{}}
}
