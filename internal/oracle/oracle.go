// Package oracle lets tests use real tools (sshd, dpkg-query, openssl, stat)
// as the source of truth.
//
// A test that needs a tool calls Require. Locally the test is skipped when
// the tool is missing; in CI, where .ci/run sets GCRUN_REQUIRE_ORACLES=1 and
// installs the tools, a missing tool fails the test instead, so an oracle
// test can never silently stop running.
package oracle

import (
	"os"
	"os/exec"
	"testing"
)

// EnvRequire is the environment variable that makes oracles mandatory.
const EnvRequire = "GCRUN_REQUIRE_ORACLES"

// Required reports whether oracles are mandatory in this run.
func Required() bool { return os.Getenv(EnvRequire) == "1" }

// Require returns the path of the named tool, searching PATH and then the
// sbin directories (sshd lives in /usr/sbin, outside a normal user's PATH).
func Require(t testing.TB, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, dir := range []string{"/usr/sbin", "/sbin", "/usr/local/sbin"} {
		p := dir + "/" + name
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	Missing(t, name+" not found")
	return ""
}

// Missing skips the test, or fails it when oracles are required.
func Missing(t testing.TB, why string) {
	t.Helper()
	if Required() {
		t.Fatalf("oracle required (%s=1) but unavailable: %s", EnvRequire, why)
	}
	t.Skipf("oracle unavailable: %s (set %s=1 to make this a failure)", why, EnvRequire)
}
