package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gcrun/gcrun/internal/fixture"
	"github.com/google/go-cmp/cmp"
)

// TestEvaluateBundle: a signed bundle evaluates like the directory it was
// built from; a bundle that is unsigned, signed by another key or
// tampered with is refused (exit 2) unless --insecure-skip-verify is given
// for an unsigned one.
func TestEvaluateBundle(t *testing.T) {
	priv, pub, _ := keyFiles(t)
	_, otherPub, _ := keyFiles(t)
	pack := filepath.Join("..", "testdata", "bundle", "pack")
	dir := t.TempDir()
	signed := filepath.Join(dir, "signed.tar.gz")
	unsigned := filepath.Join(dir, "unsigned.tar.gz")
	run(t, nil, "bundle", "build", pack, "-o", signed, "--signing-key", priv).want(t, 0)
	run(t, nil, "bundle", "build", pack, "-o", unsigned).want(t, 0)

	root := fixture.Materialize(t, noncompliant)
	fromDir := run(t, nil, "evaluate", "--root", root, "--baseline", pack)
	fromBundle := run(t, nil, "evaluate", "--root", root, "--bundle", signed, "--verification-key", pub)
	if fromBundle.code != fromDir.code {
		t.Fatalf("bundle exit %d, directory exit %d\n%s", fromBundle.code, fromDir.code, fromBundle.stderr)
	}
	_, dirStatus := statuses(t, fromDir.stdout)
	_, bundleStatus := statuses(t, fromBundle.stdout)
	if len(dirStatus) == 0 {
		t.Fatal("the test pack has no rules")
	}
	if diff := cmp.Diff(dirStatus, bundleStatus); diff != "" {
		t.Errorf("directory vs bundle (-dir +bundle):\n%s", diff)
	}

	run(t, nil, "evaluate", "--root", root, "--bundle", signed).want(t, ExitUsage, "--bundle")
	run(t, nil, "evaluate", "--root", root, "--bundle", signed, "--verification-key", otherPub).want(t, ExitUsage, "--bundle")
	run(t, nil, "evaluate", "--root", root, "--bundle", unsigned, "--verification-key", pub).want(t, ExitUsage, "--bundle")
	r := run(t, nil, "evaluate", "--root", root, "--bundle", unsigned, "--insecure-skip-verify")
	if r.code == ExitUsage {
		t.Errorf("unsigned bundle with --insecure-skip-verify refused: %s", r.stderr)
	}
	data, err := os.ReadFile(signed)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 0xff
	tampered := filepath.Join(dir, "tampered.tar.gz")
	if err := os.WriteFile(tampered, data, 0o600); err != nil {
		t.Fatal(err)
	}
	run(t, nil, "evaluate", "--root", root, "--bundle", tampered, "--verification-key", pub).want(t, ExitUsage, "--bundle")
	run(t, nil, "evaluate", "--root", root, "--baseline", pack, "--bundle", signed).want(t, ExitUsage, "not both")
	run(t, nil, "evaluate", "--root", root, "--verification-key", pub).want(t, ExitUsage, "apply to --bundle")
}
