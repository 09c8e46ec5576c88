package runner

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/gcrun/gcrun/checks"
	"github.com/gcrun/gcrun/engine"
)

// SSHDEffectiveConfig is the name of the Rego built-in that computes the
// sshd configuration for one connection:
//
//	cfg := gcrun.sshd.effective_config(input.sshd, {"user": "alice", "addr": "10.1.2.3", "groups": ["staff"]})
//	cfg.config.passwordauthentication == "no"
//
// The connection has the keys of `sshd -T -C` (user, host, addr, laddr,
// lport, rdomain) and the user's groups; the result has config (as
// `sshd -T -C` prints it), sources and matched (the indexes of the Match
// blocks that apply). A "Match Group" that decides the result while
// groups is missing is an error, not a guess.
const SSHDEffectiveConfig = "gcrun.sshd.effective_config"

// Functions returns the built-ins gcrun gives rules.
func Functions() []engine.Function {
	return []engine.Function{{
		Name:        SSHDEffectiveConfig,
		Description: "the sshd configuration that applies to a connection, as sshd -T -C computes it",
		Args:        2,
		Impl:        sshdEffectiveConfig,
	}, VersionCompareFunction()}
}

func sshdEffectiveConfig(_ context.Context, args []any) (any, error) {
	var facts checks.SSHDFacts
	if err := remarshal(args[0], &facts); err != nil {
		return nil, fmt.Errorf("first argument must be input.sshd: %w", err)
	}
	conn, err := connectionOf(args[1])
	if err != nil {
		return nil, err
	}
	return facts.Effective(conn)
}

// connectionOf reads a connection object, rejecting unknown keys so that a
// typo ("adress") cannot silently leave a criterion unmatched.
func connectionOf(v any) (checks.SSHDConnection, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return checks.SSHDConnection{}, fmt.Errorf("second argument must be an object, got %T", v)
	}
	known := map[string]bool{"user": true, "host": true, "addr": true, "laddr": true, "lport": true, "rdomain": true, "groups": true}
	for k := range m {
		if !known[k] {
			return checks.SSHDConnection{}, fmt.Errorf("connection: unknown key %q (known: user, host, addr, laddr, lport, rdomain, groups)", k)
		}
	}
	var conn checks.SSHDConnection
	if err := remarshal(m, &conn); err != nil {
		return conn, fmt.Errorf("connection: %w", err)
	}
	return conn, nil
}

func remarshal(in, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}

// SSHDConnection parses an `sshd -T -C` connection specification and
// looks the user's groups up in the scanned root, as sshd looks them up
// in the system's databases.
func SSHDConnection(target checks.Target, spec string) (checks.SSHDConnection, error) {
	conn, err := checks.ParseSSHDConnection(spec)
	if err != nil {
		return conn, err
	}
	if conn.User != "" {
		groups, known, err := checks.SSHDUserGroups(target.Fs, conn.User)
		if err != nil {
			return conn, err
		}
		if !known {
			groups = []string{}
		}
		conn.Groups = groups
	}
	return conn, nil
}
