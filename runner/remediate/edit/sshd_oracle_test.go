package edit

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gcrun/gcrun/internal/oracle"
)

// The oracle suite holds SetSSHD against the real sshd: for each case the
// main file is edited, then
//   - `sshd -t -f FILE` must accept it;
//   - `sshd -T -f FILE` must print the value set for the keyword, and every
//     other line exactly as before the edit (nothing else changed);
//   - for each connection, `sshd -T -f FILE -C SPEC` must print the
//     keyword's value the case expects (a Match block's own value where a
//     block sets it, untouched) and every other line as before.
//
// As in checks/sshd_oracle_test.go, files are written to a temporary
// directory, "@DIR@" in them becoming that directory (absolute Includes;
// relative ones resolve against /etc/ssh, which the test must not touch),
// sshd runs in "/", and a fresh host key comes from ssh-keygen. The key is
// given with -h rather than a HostKey line, so the files are exactly what
// SetSSHD edits (a Match on the first line stays on the first line).

// sshdOracleEnv returns the sshd binary and a host key, or skips (fails in
// CI) when sshd or ssh-keygen is missing.
func sshdOracleEnv(t *testing.T) (sshd, hostKey string) {
	t.Helper()
	sshd = oracle.Require(t, "sshd")
	keygen := oracle.Require(t, "ssh-keygen")
	if os.Geteuid() == 0 {
		// sshd -T as root insists on its privilege separation directory.
		if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
			oracle.Missing(t, "cannot create /run/sshd: "+err.Error())
		}
	}
	hostKey = filepath.Join(t.TempDir(), "hostkey")
	out, err := exec.Command(keygen, "-q", "-t", "ed25519", "-N", "", "-f", hostKey).CombinedOutput()
	if err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	return sshd, hostKey
}

// sshdOracleRun runs sshd with args in "/" and returns its stdout, or an
// error carrying its stderr.
func sshdOracleRun(t *testing.T, sshd string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, sshd, args...)
	cmd.Dir = "/"
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", errors.New(err.Error() + ": " + strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// sshdOracleSplit separates sshd -T output into the lines of keyword
// (lowercase, as -T prints it) and all the others.
func sshdOracleSplit(out, keyword string) (kw, others []string) {
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if strings.HasPrefix(l, keyword+" ") {
			kw = append(kw, l)
		} else {
			others = append(others, l)
		}
	}
	return kw, others
}

// sshdOracleCase is one configuration the oracle edits.
type sshdOracleCase struct {
	name string
	// files maps paths relative to the case directory to their content;
	// "sshd_config" is the file SetSSHD edits.
	files          map[string]string
	keyword, value string
	// printed is how sshd -T prints the keyword once it is set (sshd
	// lowercases the keyword and normalises some values).
	printed []string
	// conns maps -C specifications to the keyword's lines sshd -T -C must
	// print after the edit.
	conns map[string][]string
}

// sshdOracleConn builds a full -C specification for user.
func sshdOracleConn(user string) string {
	return "user=" + user + ",host=client.example.com,addr=192.0.2.10"
}

func sshdOracleCases(t *testing.T) []sshdOracleCase {
	t.Helper()
	debian, err := os.ReadFile(filepath.Join("testdata", "sshd", "debian12.conf"))
	if err != nil {
		t.Fatal(err)
	}
	debianConf := strings.ReplaceAll(string(debian), "Include /etc/ssh/sshd_config.d/*.conf", "Include @DIR@/sshd_config.d/*.conf")
	if debianConf == string(debian) {
		t.Fatal("testdata/sshd/debian12.conf has no Include line to redirect")
	}
	alice, bob, dave := sshdOracleConn("alice"), sshdOracleConn("bob"), sshdOracleConn("dave")
	return []sshdOracleCase{
		{name: "debian 12 default with a drop-in that does not set it",
			files: map[string]string{
				"sshd_config":                debianConf,
				"sshd_config.d/50-site.conf": "ClientAliveInterval 300\nMaxAuthTries 4\n",
			},
			keyword: "PermitRootLogin", value: "no", printed: []string{"permitrootlogin no"},
			conns: map[string][]string{alice: {"permitrootlogin no"}}},
		{name: "debian 12 default, KbdInteractiveAuthentication already set",
			files:   map[string]string{"sshd_config": debianConf, "sshd_config.d/empty.conf": "# nothing\n"},
			keyword: "KbdInteractiveAuthentication", value: "no", printed: []string{"kbdinteractiveauthentication no"}},
		{name: "debian 12 default, X11Forwarding changed in place",
			files:   map[string]string{"sshd_config": debianConf},
			keyword: "X11Forwarding", value: "no", printed: []string{"x11forwarding no"}},
		{name: "Match blocks at the end, keyword only in them",
			files:   map[string]string{"sshd_config": "Port 22\nUsePAM yes\n\n# alice may use passwords\nMatch User alice\n\tPasswordAuthentication yes\nMatch User bob\n\tX11Forwarding yes\n"},
			keyword: "PasswordAuthentication", value: "no", printed: []string{"passwordauthentication no"},
			conns: map[string][]string{alice: {"passwordauthentication yes"}, bob: {"passwordauthentication no"}}},
		{name: "duplicate global keywords, the first wins",
			files:   map[string]string{"sshd_config": "PermitRootLogin yes\nMaxAuthTries 6\nPermitRootLogin forced-commands-only\nMatch User alice\n\tPermitRootLogin yes\n"},
			keyword: "PermitRootLogin", value: "prohibit-password", printed: []string{"permitrootlogin without-password"},
			conns: map[string][]string{alice: {"permitrootlogin yes"}, bob: {"permitrootlogin without-password"}}},
		{name: "Keyword=value, lowercase",
			files:   map[string]string{"sshd_config": "port=22\npermitrootlogin=yes\nloglevel = INFO\n"},
			keyword: "LogLevel", value: "VERBOSE", printed: []string{"loglevel VERBOSE"}},
		{name: "Match on the first line",
			files:   map[string]string{"sshd_config": "Match User alice\n\tMaxAuthTries 2\n"},
			keyword: "MaxAuthTries", value: "3", printed: []string{"maxauthtries 3"},
			conns: map[string][]string{alice: {"maxauthtries 2"}, bob: {"maxauthtries 3"}}},
		{name: "Match all with the same value, Match User block with another",
			files:   map[string]string{"sshd_config": "MaxSessions 10\nMatch User alice\n\tMaxSessions 1\nMatch all\n\tMaxSessions 5\n"},
			keyword: "MaxSessions", value: "5", printed: []string{"maxsessions 5"},
			conns: map[string][]string{alice: {"maxsessions 1"}, bob: {"maxsessions 5"}}},
		{name: "Include of a drop-in with its own Match block",
			files: map[string]string{
				"sshd_config": "Include @DIR@/drop.conf\nPort 22\n",
				"drop.conf":   "X11Forwarding no\nMatch User alice\n\tX11Forwarding yes\n\tPermitTTY no\n",
			},
			keyword: "LoginGraceTime", value: "60", printed: []string{"logingracetime 60"},
			conns: map[string][]string{alice: {"logingracetime 60"}}},
		{name: "CRLF file with a Match block",
			files:   map[string]string{"sshd_config": "Port 22\r\nClientAliveInterval 0\r\nMatch User alice\r\n\tClientAliveInterval 60\r\n"},
			keyword: "ClientAliveInterval", value: "300", printed: []string{"clientaliveinterval 300"},
			conns: map[string][]string{alice: {"clientaliveinterval 60"}, bob: {"clientaliveinterval 300"}}},
		{name: "no trailing newline, Match at the end",
			files:   map[string]string{"sshd_config": "X11Forwarding yes\nMatch User alice\n\tX11Forwarding yes"},
			keyword: "X11Forwarding", value: "no", printed: []string{"x11forwarding no"},
			conns: map[string][]string{alice: {"x11forwarding yes"}, bob: {"x11forwarding no"}}},
		{name: "no trailing newline, appended",
			files:   map[string]string{"sshd_config": "UsePAM yes"},
			keyword: "MaxAuthTries", value: "4", printed: []string{"maxauthtries 4"}},
		{name: "empty file",
			files:   map[string]string{"sshd_config": ""},
			keyword: "PermitRootLogin", value: "no", printed: []string{"permitrootlogin no"}},
		{name: "commented setting and commented Match",
			files:   map[string]string{"sshd_config": "#PermitEmptyPasswords yes\n#Match User alice\n#\tPermitEmptyPasswords yes\n"},
			keyword: "PermitEmptyPasswords", value: "no", printed: []string{"permitemptypasswords no"}},
		{name: "value with spaces, Match block list untouched",
			files:   map[string]string{"sshd_config": "AllowUsers carol\nMatch User dave\n\tAllowUsers dave\n"},
			keyword: "AllowUsers", value: "alice bob", printed: []string{"allowusers alice", "allowusers bob"},
			conns: map[string][]string{dave: {"allowusers dave"}, alice: {"allowusers alice", "allowusers bob"}}},
		{name: "alias line replaced",
			files:   map[string]string{"sshd_config": "ChallengeResponseAuthentication yes\nKbdInteractiveAuthentication no\n"},
			keyword: "KbdInteractiveAuthentication", value: "no", printed: []string{"kbdinteractiveauthentication no"}},
		{name: "trailing comment and quoted keyword",
			files:   map[string]string{"sshd_config": "\"MaxSessions\" 10 # installer default\n"},
			keyword: "MaxSessions", value: "4", printed: []string{"maxsessions 4"}},
	}
}

func TestSetSSHDOracle(t *testing.T) {
	sshd, hostKey := sshdOracleEnv(t)
	for _, c := range sshdOracleCases(t) {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for name, content := range c.files {
				p := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(strings.ReplaceAll(content, "@DIR@", dir)), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			config := filepath.Join(dir, "sshd_config")
			tArgs := func(spec string) []string {
				args := []string{"-T", "-f", config, "-h", hostKey}
				if spec != "" {
					args = append(args, "-C", spec)
				}
				return args
			}
			kw := strings.ToLower(c.keyword)
			// What sshd makes of the file before the edit.
			before := map[string][]string{}
			for _, spec := range append([]string{""}, slices.Sorted(maps.Keys(c.conns))...) {
				out, err := sshdOracleRun(t, sshd, tArgs(spec)...)
				if err != nil {
					t.Fatalf("sshd -T -C %q rejects the case before the edit: %v", spec, err)
				}
				_, before[spec] = sshdOracleSplit(out, kw)
			}

			content, err := os.ReadFile(config)
			if err != nil {
				t.Fatal(err)
			}
			edited, changed, err := SetSSHD(content, c.keyword, c.value)
			if err != nil {
				t.Fatalf("SetSSHD: %v", err)
			}
			if again, changed2, err := SetSSHD(edited, c.keyword, c.value); err != nil || changed2 || !bytes.Equal(again, edited) {
				t.Errorf("second SetSSHD: changed=%v err=%v", changed2, err)
			}
			if err := os.WriteFile(config, edited, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("changed=%v:\n%s", changed, UnifiedDiff("/sshd_config", content, edited))

			if _, err := sshdOracleRun(t, sshd, "-t", "-f", config, "-h", hostKey); err != nil {
				t.Fatalf("sshd -t rejects the edited file: %v", err)
			}
			want := map[string][]string{"": c.printed}
			for spec, lines := range c.conns {
				want[spec] = lines
			}
			for _, spec := range append([]string{""}, slices.Sorted(maps.Keys(c.conns))...) {
				out, err := sshdOracleRun(t, sshd, tArgs(spec)...)
				if err != nil {
					t.Fatalf("sshd -T -C %q rejects the edited file: %v", spec, err)
				}
				gotKW, others := sshdOracleSplit(out, kw)
				if diff := cmp.Diff(want[spec], gotKW); diff != "" {
					t.Errorf("sshd -T -C %q: %s (-want +sshd):\n%s", spec, kw, diff)
				}
				if diff := cmp.Diff(before[spec], others); diff != "" {
					t.Errorf("sshd -T -C %q: other settings changed (-before +after):\n%s", spec, diff)
				}
			}
		})
	}
}

// TestSetSSHDOracleMatchAll shows why SetSSHD refuses a file whose
// "Match all" block sets the keyword to another value: with the global
// line it would have written, sshd -T (and every connection) still gets
// the block's value.
func TestSetSSHDOracleMatchAll(t *testing.T) {
	sshd, hostKey := sshdOracleEnv(t)
	const in = "X11Forwarding no\nMatch all\n\tMaxSessions 2\n"
	if _, _, err := SetSSHD([]byte(in), "MaxSessions", "5"); err == nil || !strings.Contains(err.Error(), "line 3: a \"Match all\" block sets MaxSessions") {
		t.Fatalf("SetSSHD: err = %v, want the Match all refusal naming line 3", err)
	}
	config := filepath.Join(t.TempDir(), "sshd_config")
	if err := os.WriteFile(config, []byte("X11Forwarding no\nMaxSessions 5\nMatch all\n\tMaxSessions 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, spec := range []string{"", sshdOracleConn("bob")} {
		args := []string{"-T", "-f", config, "-h", hostKey}
		if spec != "" {
			args = append(args, "-C", spec)
		}
		out, err := sshdOracleRun(t, sshd, args...)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := sshdOracleSplit(out, "maxsessions")
		if diff := cmp.Diff([]string{"maxsessions 2"}, got); diff != "" {
			t.Errorf("sshd -T -C %q: a global MaxSessions 5 before Match all (-want +sshd):\n%s", spec, diff)
		}
	}
}
