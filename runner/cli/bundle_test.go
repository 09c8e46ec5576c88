package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gcrun/gcrun/report"
	"github.com/gcrun/gcrun/runner"
	"github.com/google/go-cmp/cmp"
	"github.com/sirupsen/logrus"
)

const testPack = "../testdata/bundle/pack"

// runBundle runs gcrun with the bundle command registered (as Main runs
// it), whether or not cli.go registers it yet.
func runBundle(t *testing.T, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	a := &app{io: IO{Stdout: &out, Stderr: &errb, Environ: func(string) (string, bool) { return "", false }},
		version: "v0.0.0-test", log: logrus.New()}
	a.log.SetOutput(&errb)
	root := a.rootCommand()
	if c, _, err := root.Find([]string{"bundle"}); err != nil || c == root {
		root.AddCommand(a.bundleCommand())
	}
	root.SetArgs(args)
	root.SetOut(&out)
	root.SetErr(&errb)
	code := ExitCompliant
	if err := root.ExecuteContext(context.Background()); err != nil {
		var ee *exitError
		if errors.As(err, &ee) {
			code = ee.code
			errb.WriteString("gcrun: " + ee.err.Error() + "\n")
		} else {
			code = ExitUsage
			errb.WriteString("gcrun: " + err.Error() + "\n")
		}
	}
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

// keyFiles writes an ed25519 key pair as gcrun keygen does and returns
// the paths and the key id.
func keyFiles(t *testing.T) (priv, pub, id string) {
	t.Helper()
	pk, sk, err := report.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	skPEM, err := report.MarshalPrivateKeyPEM(sk)
	if err != nil {
		t.Fatal(err)
	}
	pkPEM, err := report.MarshalPublicKeyPEM(pk)
	if err != nil {
		t.Fatal(err)
	}
	priv, pub = filepath.Join(dir, "bundle.key"), filepath.Join(dir, "bundle.pub")
	if err := os.WriteFile(priv, skPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pub, pkPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	return priv, pub, report.KeyID(pk)
}

func TestBundleBuildVerify(t *testing.T) {
	priv, pub, id := keyFiles(t)
	_, otherPub, otherID := keyFiles(t)
	out := filepath.Join(t.TempDir(), "bundled.tar.gz")

	r := runBundle(t, "bundle", "build", testPack, "-o", out, "--signing-key", priv)
	r.want(t, ExitCompliant)
	if want := "wrote " + out + ": pack bundled 1.2.0, 4 Rego files, signed by key " + id + "\n"; r.stdout != want {
		t.Errorf("build stdout %q, want %q", r.stdout, want)
	}
	if r.stderr != "" {
		t.Errorf("build stderr: %q", r.stderr)
	}

	r = runBundle(t, "bundle", "verify", out, "--verification-key", pub)
	r.want(t, ExitCompliant)
	lines := strings.Split(r.stdout, "\n")
	if lines[0] != out+": verified: signed by key "+id || lines[1] != "pack:     bundled 1.2.0" ||
		!strings.Contains(r.stdout, "\n  rules/root_login.rego\n") {
		t.Errorf("verify output:\n%s", r.stdout)
	}

	r = runBundle(t, "bundle", "verify", out, "--verification-key", pub, "--format", "json")
	r.want(t, ExitCompliant)
	var got runner.BundleInfo
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("verify --format json: %v\n%s", err, r.stdout)
	}
	want, _, err := runner.ReadBundle(out, runner.BundleOptions{VerificationKey: mustRead(t, pub)})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(*want, got); d != "" {
		t.Errorf("verify --format json (-want +got):\n%s", d)
	}

	// Another key, a changed byte: exit 2 with the reason.
	runBundle(t, "bundle", "verify", out, "--verification-key", otherPub).
		want(t, ExitUsage, "signed by key "+id+", not by the verification key "+otherID)
	data := mustRead(t, out)
	tampered := filepath.Join(t.TempDir(), "tampered.tar.gz")
	if err := os.WriteFile(tampered, append(data[:len(data)-8:len(data)-8], 0, 0, 0, 0, 0, 0, 0, 0), 0o644); err != nil {
		t.Fatal(err)
	}
	runBundle(t, "bundle", "verify", tampered, "--verification-key", pub).
		want(t, ExitUsage, "bundle "+tampered+": corrupt gzip stream: gzip: invalid checksum")

	// Unsigned: built with a warning, refused by verify.
	unsigned := filepath.Join(t.TempDir(), "unsigned.tar.gz")
	r = runBundle(t, "bundle", "build", testPack, "-o", unsigned)
	r.want(t, ExitCompliant, unsigned+" is not signed")
	if !strings.HasSuffix(r.stdout, ", unsigned\n") {
		t.Errorf("unsigned build stdout %q", r.stdout)
	}
	runBundle(t, "bundle", "verify", unsigned, "--verification-key", pub).want(t, ExitUsage, "not signed (no .signatures.json)")
}

func TestBundleCommandErrors(t *testing.T) {
	priv, pub, _ := keyFiles(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "x.tar.gz")
	pathDep := filepath.Join(dir, "pathdep")
	if err := os.MkdirAll(pathDep, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(pathDep, "pack.yaml"), []byte("name: acme\nversion: 1.0.0\ndepends:\n  - name: base\n    path: ../base\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(pathDep, "a.rego"), []byte("package acme.a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"bundle"}, "bundle needs a subcommand"},
		{[]string{"bundle", "build", testPack}, "--output (-o) is required"},
		{[]string{"bundle", "build", testPack, "-o", out, "--signing-key", pub}, "--signing-key " + pub + ": "},
		{[]string{"bundle", "build", testPack, "-o", out, "--signing-key", filepath.Join(dir, "none")}, "--signing-key: open "},
		{[]string{"bundle", "build", pathDep, "-o", out}, pathDep + `/pack.yaml:5: dependency "base" is a path dependency`},
		{[]string{"bundle", "build", filepath.Join(dir, "nothing"), "-o", out}, "no such file or directory"},
		{[]string{"bundle", "build", testPack, "-o", filepath.Join(dir, "no/such/dir/x.tar.gz"), "--signing-key", priv}, "--output: "},
		{[]string{"bundle", "verify", out}, "--verification-key is required"},
		{[]string{"bundle", "verify", out, "--verification-key", priv}, "--verification-key " + priv + ": "},
		{[]string{"bundle", "verify", out, "--verification-key", pub, "--format", "yaml"}, `--format: "yaml" is not text or json`},
		{[]string{"bundle", "verify", out, "--verification-key", pub}, "bundle " + out + ": no such file"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := runBundle(t, tc.args...)
			r.want(t, ExitUsage, tc.want)
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s was written despite the error", out)
			}
		})
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
