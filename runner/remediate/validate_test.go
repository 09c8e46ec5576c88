package remediate

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gcrun/gcrun/internal/oracle"
)

// TestSSHDValidation uses the real sshd: a change sshd -t rejects must
// leave the file as it was and fail its rule with sshd's message; a change
// it accepts is written. Both for the main file and for a drop-in.
func TestSSHDValidation(t *testing.T) {
	sshd := oracle.Require(t, "sshd")
	keygen := oracle.Require(t, "ssh-keygen")
	if os.Geteuid() == 0 {
		if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
			oracle.Missing(t, "cannot create /run/sshd: "+err.Error())
		}
	}
	key := filepath.Join(t.TempDir(), "hostkey")
	if out, err := exec.Command(keygen, "-q", "-t", "ed25519", "-N", "", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	main := "HostKey " + key + "\nPermitRootLogin yes\n"
	dropin := "# cloud-init\nPasswordAuthentication yes\n"
	v := SSHDValidator{Executor: SystemExecutor{}, Binary: sshd}

	for _, tt := range []struct {
		name, path, key, value string
		wantErr                string
		wantContent            string
	}{
		{"main accepted", "/etc/ssh/sshd_config", "PermitRootLogin", "no", "", "HostKey " + key + "\nPermitRootLogin no\n"},
		{"main rejected", "/etc/ssh/sshd_config", "PermitRootLogin", "maybe", "sshd -t rejects the change, nothing was written", main},
		{"drop-in accepted", "/etc/ssh/sshd_config.d/50-cloud-init.conf", "PasswordAuthentication", "no", "", "# cloud-init\nPasswordAuthentication no\n"},
		{"drop-in rejected", "/etc/ssh/sshd_config.d/50-cloud-init.conf", "MaxAuthTries", "many", "sshd -t rejects the change", dropin},
	} {
		t.Run(tt.name, func(t *testing.T) {
			root, dir := newRoot(t, map[string]file{
				"etc/ssh/sshd_config":                      {content: main},
				"etc/ssh/sshd_config.d/50-cloud-init.conf": {content: dropin},
			})
			plan, err := NewPlan(root, []RuleActions{{Rule: "SSH", Actions: []Action{
				{Type: ConfigSet, Path: tt.path, Format: "sshd", Key: tt.key, Value: str(tt.value)},
			}}}, PlanOptions{Live: true})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Apply(context.Background(), root, plan, ApplyOptions{RunID: "r", Validator: v}); err != nil {
				t.Fatal(err)
			}
			res := plan.Rules[0].Actions[0]
			if tt.wantErr == "" && res.Status != StatusSucceeded {
				t.Errorf("status %s (%s), want succeeded", res.Status, res.Error)
			}
			if tt.wantErr != "" && (res.Status != StatusFailed || !strings.Contains(res.Error, tt.wantErr)) {
				t.Errorf("status %s (%s), want failed with %q", res.Status, res.Error, tt.wantErr)
			}
			if got := readHost(t, filepath.Join(dir, tt.path)); got != tt.wantContent {
				t.Errorf("%s = %q, want %q", tt.path, got, tt.wantContent)
			}
			// No temporary or wrapper file is left behind.
			for _, d := range []string{"etc/ssh", "etc/ssh/sshd_config.d"} {
				entries, _ := os.ReadDir(filepath.Join(dir, d))
				for _, e := range entries {
					if strings.HasPrefix(e.Name(), ".gcrun-") {
						t.Errorf("left behind: %s/%s", d, e.Name())
					}
				}
			}
		})
	}
}
