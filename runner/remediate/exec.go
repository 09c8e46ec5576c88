package remediate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Executor runs the commands of package, service and sysctl actions (and
// validators such as sshd -t). Tests use a fake; SystemExecutor runs them.
type Executor interface {
	// Run runs argv with env added to the environment and returns its
	// combined output. A non-zero exit is an error.
	Run(ctx context.Context, env, argv []string) ([]byte, error)
}

// SystemExecutor runs commands on this host: stdin is /dev/null (nothing
// may wait for input), each command has a timeout, and output is bounded.
type SystemExecutor struct {
	// Timeout bounds each command; 0 means 10 minutes.
	Timeout time.Duration
}

// maxOutput bounds the output kept from a command.
const maxOutput = 64 << 10

// Run implements Executor.
func (x SystemExecutor) Run(ctx context.Context, env, argv []string) ([]byte, error) {
	if len(argv) == 0 {
		return nil, errors.New("empty command")
	}
	timeout := x.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = nil
	out := &limitedBuffer{max: maxOutput}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	if ctx.Err() == context.DeadlineExceeded {
		return out.Bytes(), fmt.Errorf("%s: timed out after %s", strings.Join(argv, " "), timeout)
	}
	if err != nil {
		return out.Bytes(), fmt.Errorf("%s: %w: %s", strings.Join(argv, " "), err, lastLines(out.Bytes(), 5))
	}
	return out.Bytes(), nil
}

// limitedBuffer keeps the first max bytes written to it.
type limitedBuffer struct {
	bytes.Buffer
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// lastLines is the end of a command's output, for error messages.
func lastLines(out []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}

// Validator checks a candidate file before it replaces the old one.
type Validator interface {
	// Validate checks the complete candidate content of change, written
	// at the host path candidate. An error keeps the old file.
	Validate(ctx context.Context, root *Root, change *FileChange, candidate string) error
}

// SSHDValidator validates sshd configuration files with `sshd -t -f`, the
// daemon's own parser: a file sshd would refuse must never replace one it
// accepts (a remote host would lose its SSH access).
type SSHDValidator struct {
	Executor Executor
	// Binary is sshd's path; "" looks up "sshd" in PATH and /usr/sbin.
	Binary string
}

// Validate implements Validator. Files other than sshd's are accepted.
func (v SSHDValidator) Validate(ctx context.Context, root *Root, c *FileChange, candidate string) error {
	if !c.SSHD {
		return nil
	}
	bin := v.Binary
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("sshd"); err != nil {
			if _, serr := os.Stat("/usr/sbin/sshd"); serr != nil {
				return fmt.Errorf("%s: cannot validate: sshd not found", c.Path)
			}
			bin = "/usr/sbin/sshd"
		}
	}
	config := candidate
	if c.Path != "/etc/ssh/sshd_config" {
		// A drop-in is only meaningful inside the main configuration:
		// validate a wrapper that includes the candidate first (the
		// first value wins, as the change intends) and then the main
		// file.
		main, err := root.HostPath("/etc/ssh/sshd_config")
		if err != nil {
			return err
		}
		w, err := os.CreateTemp(filepath.Dir(candidate), ".gcrun-sshd-validate-*")
		if err != nil {
			return fmt.Errorf("%s: validate: %w", c.Path, err)
		}
		defer os.Remove(w.Name())
		_, err = fmt.Fprintf(w, "Include %s\nInclude %s\n", candidate, main)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("%s: validate: %w", c.Path, err)
		}
		config = w.Name()
	}
	if _, err := v.Executor.Run(ctx, nil, []string{bin, "-t", "-f", config}); err != nil {
		return fmt.Errorf("%s: sshd -t rejects the change, nothing was written: %w", c.Path, err)
	}
	return nil
}
