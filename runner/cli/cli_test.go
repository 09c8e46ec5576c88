package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gcrun/gcrun/internal/fixture"
	"github.com/gcrun/gcrun/internal/oracle"
	"github.com/gcrun/gcrun/report"
	"github.com/google/go-cmp/cmp"
)

type result struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, IO{
		Stdout: &out, Stderr: &errb,
		Environ: func(k string) (string, bool) { v, ok := env[k]; return v, ok },
	}, "v0.0.0-test")
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

func (r result) want(t *testing.T, code int, stderrHas ...string) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, code, r.stdout, r.stderr)
	}
	for _, s := range stderrHas {
		if !strings.Contains(r.stderr, s) {
			t.Fatalf("stderr does not contain %q:\n%s", s, r.stderr)
		}
	}
}

var (
	compliant    = "../../testdata/hosts/compliant"
	noncompliant = "../../testdata/hosts/noncompliant"
)

func TestEvaluateExitCodes(t *testing.T) {
	good := fixture.Materialize(t, compliant)
	bad := fixture.Materialize(t, noncompliant)
	run(t, nil, "evaluate", "--root", good).want(t, ExitCompliant)
	run(t, nil, "evaluate", "--root", bad).want(t, ExitNonCompliant)

	broken := fixture.Materialize(t, compliant)
	if err := os.WriteFile(filepath.Join(broken, "etc/ssh/sshd_config"), []byte("Port\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := run(t, nil, "evaluate", "--root", broken, "--format", "json")
	r.want(t, ExitRuleError)
	var rep report.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Summary.Error == 0 {
		t.Fatalf("summary %+v has no errors", rep.Summary)
	}

	// Collectors that overrun their time turn their rules into errors.
	r = run(t, nil, "evaluate", "--root", good, "--collector-timeout", "1ns")
	r.want(t, ExitRuleError)
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	for _, c := range rep.Collectors {
		if c.Status != report.CollectorError || !strings.Contains(c.Error, "timed out after 1ns") {
			t.Errorf("collector %s: %s %q, want a timeout error", c.Name, c.Status, c.Error)
		}
	}
	if rep.Summary.Pass != 0 || rep.Summary.Error == 0 {
		t.Errorf("summary %+v: want every rule in error", rep.Summary)
	}
}

func TestEvaluateOutputs(t *testing.T) {
	root := fixture.Materialize(t, noncompliant)
	r := run(t, nil, "evaluate", "--root", root)
	r.want(t, ExitNonCompliant)
	if err := report.Validate([]byte(r.stdout)); err != nil {
		t.Fatalf("stdout is not a valid report: %v", err)
	}
	if r.stderr != "" {
		t.Errorf("stderr is not empty at the default log level: %q", r.stderr)
	}

	r = run(t, map[string]string{"NO_COLOR": "1"}, "evaluate", "--root", root, "--format", "text")
	r.want(t, ExitNonCompliant)
	if strings.Contains(r.stdout, "\x1b[") {
		t.Error("text output has ANSI colour when NO_COLOR is set / not a terminal")
	}
	if !strings.Contains(r.stdout, "NonCompliant") {
		t.Errorf("text output has no summary line:\n%s", r.stdout)
	}

	out := filepath.Join(t.TempDir(), "report.json")
	r = run(t, nil, "evaluate", "--root", root, "--output", out)
	r.want(t, ExitNonCompliant)
	if r.stdout != "" {
		t.Errorf("stdout not empty with --output: %q", r.stdout)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := report.Validate(data); err != nil {
		t.Fatal(err)
	}
}

func TestLogsAreJSONOnStderr(t *testing.T) {
	root := fixture.Materialize(t, compliant)
	r := run(t, nil, "evaluate", "--root", root, "--log-level", "debug", "--log-format", "json")
	r.want(t, ExitCompliant)
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if len(lines) < 2 {
		t.Fatalf("expected debug logs, got %q", r.stderr)
	}
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil || m["level"] == nil || m["msg"] == nil {
			t.Fatalf("log line is not logrus JSON: %q", l)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	brokenBaseline := filepath.Join(dir, "pack")
	if err := os.MkdirAll(brokenBaseline, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(brokenBaseline, "r.rego"), []byte("package r\n\ndeny contains x if {\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	garbageKey := filepath.Join(dir, "garbage.pem")
	if err := os.WriteFile(garbageKey, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"evaluate", "--format", "yaml"}, `--format: unknown report format "yaml" (known: `},
		{[]string{"evaluate", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"evaluate", "--root", filepath.Join(dir, "missing")}, "--root: root"},
		{[]string{"evaluate", "--baseline", brokenBaseline}, "r.rego:4: unexpected eof token"},
		{[]string{"evaluate", "--baseline", filepath.Join(dir, "nope")}, "no such file or directory"},
		{[]string{"evaluate", "--sign-key", garbageKey, "--root", dir}, "--sign-key " + garbageKey},
		{[]string{"evaluate", "--sign-key", garbageKey, "--format", "text"}, "cannot be used with --format text"},
		{[]string{"evaluate", "--log-level", "loud"}, "--log-level"},
		{[]string{"evaluate", "--param", "novalue"}, `--param "novalue": want NAME=VALUE`},
		{[]string{"evaluate", "--param", "no_such_param=1"}, "parameter no_such_param: not declared"},
		{[]string{"facts", "nosuch"}, `unknown collector "nosuch"`},
		{[]string{"verify", filepath.Join(dir, "x")}, "--key is required"},
		{[]string{"verify", "--key", garbageKey, filepath.Join(dir, "x")}, "--key " + garbageKey},
		{[]string{"nosuchcommand"}, "unknown command"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			run(t, nil, tc.args...).want(t, ExitUsage, tc.want)
		})
	}
}

func TestSignAndVerify(t *testing.T) {
	root := fixture.Materialize(t, compliant)
	dir := t.TempDir()
	priv, pub := filepath.Join(dir, "k.key"), filepath.Join(dir, "k.pub")
	run(t, nil, "keygen", "--private-key", priv, "--public-key", pub).want(t, 0)
	if fi, err := os.Stat(priv); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("private key mode = %v, %v; want 0600", fi.Mode(), err)
	}
	run(t, nil, "keygen", "--private-key", priv, "--public-key", pub).want(t, ExitUsage, "exists; use --force")

	signed := filepath.Join(dir, "report.dsse.json")
	run(t, nil, "evaluate", "--root", root, "--sign-key", priv, "--output", signed).want(t, ExitCompliant)
	r := run(t, nil, "verify", "--key", pub, signed)
	r.want(t, 0)
	if !strings.Contains(r.stdout, "verified") || !strings.Contains(r.stdout, "compliant-host") {
		t.Errorf("verify output: %q", r.stdout)
	}

	otherPriv, otherPub := filepath.Join(dir, "o.key"), filepath.Join(dir, "o.pub")
	run(t, nil, "keygen", "--private-key", otherPriv, "--public-key", otherPub).want(t, 0)
	run(t, nil, "verify", "--key", otherPub, signed).want(t, ExitUsage, "verification failed")

	data, err := os.ReadFile(signed)
	if err != nil {
		t.Fatal(err)
	}
	var env map[string]any
	if err := json.Unmarshal(data, &env); err != nil {
		t.Fatal(err)
	}
	payload := env["payload"].(string)
	// Change one byte of the payload (keeping valid base64).
	i := len(payload) / 2
	swap := byte('A')
	if payload[i] == 'A' {
		swap = 'B'
	}
	env["payload"] = payload[:i] + string(swap) + payload[i+1:]
	tampered, _ := json.Marshal(env)
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	run(t, nil, "verify", "--key", pub, write("tampered.json", tampered)).want(t, ExitUsage, "verification failed")
	env["payload"] = payload
	env["signatures"] = []any{}
	unsigned, _ := json.Marshal(env)
	run(t, nil, "verify", "--key", pub, write("unsigned.json", unsigned)).want(t, ExitUsage, "verification failed")
	run(t, nil, "verify", "--key", pub, write("garbage.json", []byte("\x00\x01garbage"))).want(t, ExitUsage, "verification failed")
	plain := run(t, nil, "evaluate", "--root", root)
	run(t, nil, "verify", "--key", pub, write("plain.json", []byte(plain.stdout))).want(t, ExitUsage, "verification failed")
	// A private key where a public one belongs is a clear error.
	run(t, nil, "verify", "--key", priv, signed).want(t, ExitUsage, "--key "+priv)
}

// TestOpenSSLKeysWork: keys made by openssl sign reports gcrun verifies.
func TestOpenSSLKeysWork(t *testing.T) {
	openssl := oracle.Require(t, "openssl")
	root := fixture.Materialize(t, compliant)
	dir := t.TempDir()
	priv, pub := filepath.Join(dir, "o.key"), filepath.Join(dir, "o.pub")
	if out, err := exec.Command(openssl, "genpkey", "-algorithm", "ed25519", "-out", priv).CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if out, err := exec.Command(openssl, "pkey", "-in", priv, "-pubout", "-out", pub).CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	signed := filepath.Join(dir, "r.json")
	run(t, nil, "evaluate", "--root", root, "--sign-key", priv, "-o", signed).want(t, ExitCompliant)
	run(t, nil, "verify", "--key", pub, signed).want(t, 0)
}

func TestFactsCommand(t *testing.T) {
	root := fixture.Materialize(t, compliant)
	r := run(t, nil, "facts", "--root", root, "host", "packages")
	r.want(t, 0)
	var facts map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.stdout), &facts); err != nil {
		t.Fatal(err)
	}
	if len(facts) != 2 || facts["host"] == nil || facts["packages"] == nil {
		t.Fatalf("facts keys = %v, want host and packages", keys(facts))
	}
	r = run(t, nil, "facts", "--root", root, "files", "--path", "/etc/hostname")
	r.want(t, 0)
	if !strings.Contains(r.stdout, `"/etc/hostname"`) || !strings.Contains(r.stdout, `"/etc/shadow"`) {
		t.Errorf("files facts lack --path or the baseline's declared files:\n%s", r.stdout)
	}
}

func keys(m map[string]json.RawMessage) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestHelpAndVersion(t *testing.T) {
	for _, cmd := range []string{"evaluate", "facts", "keygen", "verify", "version"} {
		r := run(t, nil, cmd, "--help")
		r.want(t, 0)
		if !strings.Contains(r.stdout, "Usage:") {
			t.Errorf("%s --help: %q", cmd, r.stdout)
		}
	}
	r := run(t, nil, "version")
	r.want(t, 0)
	if r.stdout != "gcrun v0.0.0-test\n" {
		t.Errorf("version: %q", r.stdout)
	}
}

// TestFactsSSHDTMatchesSSHD compares `gcrun facts sshd --format sshd-t`
// with the real `sshd -T` on this host's own configuration, globally and
// for connections.
func TestFactsSSHDTMatchesSSHD(t *testing.T) {
	sshd := oracle.Require(t, "sshd")
	if _, err := os.Stat("/etc/ssh/sshd_config"); err != nil {
		oracle.Missing(t, "this host has no /etc/ssh/sshd_config")
	}
	if _, err := os.Stat("/run/sshd"); err != nil {
		oracle.Missing(t, "sshd -T needs /run/sshd")
	}
	for _, spec := range []string{"", "user=root,host=client.example,addr=10.0.0.5,laddr=10.0.0.1,lport=22", "user=nobody,host=h,addr=192.0.2.7,laddr=192.0.2.1,lport=2222"} {
		args := []string{"-T"}
		gargs := []string{"facts", "sshd", "--format", "sshd-t"}
		if spec != "" {
			args = append(args, "-C", spec)
			gargs = append(gargs, "--sshd-connection", spec)
		}
		want, err := exec.Command(sshd, args...).CombinedOutput()
		if err != nil {
			oracle.Missing(t, fmt.Sprintf("sshd %v: %v: %s", args, err, want))
		}
		r := run(t, nil, gargs...)
		r.want(t, 0)
		if diff := cmp.Diff(string(want), r.stdout); diff != "" {
			t.Errorf("gcrun %v differs from sshd %v (-sshd +gcrun):\n%s", gargs, args, diff)
		}
	}
}

func TestFactsSSHDTErrors(t *testing.T) {
	root := fixture.Materialize(t, compliant)
	if err := os.WriteFile(filepath.Join(root, "etc/ssh/sshd_config"), []byte("Port 22\nPermitRootLogin maybe\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	run(t, nil, "facts", "--root", root, "sshd", "--format", "sshd-t").want(t, ExitUsage, "/etc/ssh/sshd_config:2")
	run(t, nil, "facts", "sshd", "host", "--format", "sshd-t").want(t, ExitUsage, "prints the sshd collector alone")
	run(t, nil, "facts", "sshd", "--format", "yaml").want(t, ExitUsage, `"yaml" is not json or sshd-t`)
	good := fixture.Materialize(t, compliant)
	run(t, nil, "facts", "--root", good, "sshd", "--format", "sshd-t", "--sshd-connection", "user=alice,bogus=1").want(t, ExitUsage, "--sshd-connection")

	r := run(t, nil, "facts", "--root", good, "sshd", "--sshd-connection", "user=alice,host=h,addr=10.9.9.9,laddr=10.0.0.1,lport=22")
	r.want(t, 0)
	var eff struct {
		Config  map[string]any `json:"config"`
		Matched []int          `json:"matched"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &eff); err != nil {
		t.Fatal(err)
	}
	if eff.Config["forcecommand"] != "internal-sftp" || len(eff.Matched) != 1 {
		t.Errorf("alice from 10.9.9.9: forcecommand %v, matched %v; want internal-sftp from the one Match block", eff.Config["forcecommand"], eff.Matched)
	}
}
