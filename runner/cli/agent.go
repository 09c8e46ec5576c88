package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/gcrun/gcrun/runner/agent"
	"github.com/gcrun/gcrun/runner/agent/config"
	"github.com/gcrun/gcrun/runner/agent/spool"
	"github.com/spf13/cobra"
)

const defaultAgentConfig = "/etc/gcrun/agent.yaml"

func (a *app) agentCommand() *cobra.Command {
	var (
		cfgPath    string
		once       bool
		deliverFor time.Duration
	)
	cmd := &cobra.Command{
		Use:   "agent",
		Short: "Run the guest-configuration agent: pull signed bundles, evaluate on a schedule, deliver signed reports",
		Long: `Run the agent configured in --config (see examples/agent/agent.yaml):
every 5 minutes (±10%) it checks the assignments' bundles (HTTPS with
If-None-Match, verified against verification_key; the last good bundle stays
in use while a source is down), every 15 minutes (±10%), on start and when a
bundle changes it evaluates each assignment in its mode (audit, apply or
autocorrect) within its timeout, signs the report with the host's key,
spools it under state_dir/spool and delivers it to the receiver over HTTPS,
removing it only when the receiver acknowledges its id. The agent listens on
no port. SIGTERM flushes the spool within delivery.shutdown_grace.

--once runs one fetch-evaluate-deliver cycle and exits (for cron and tests):
exit 0 when every report was delivered, 1 when some stay spooled or a step
failed, 2 for a bad configuration.`,
		Example: `  gcrun agent enroll --config /etc/gcrun/agent.yaml
  gcrun agent --config /etc/gcrun/agent.yaml
  gcrun agent --once
  gcrun agent status`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ag, err := a.openAgent(cfgPath)
			if err != nil {
				return err
			}
			defer ag.Close()
			if ag.HostID() == "" {
				if err := a.autoEnroll(cmd, ag, cfgPath); err != nil {
					return err
				}
			}
			if once {
				res, err := ag.RunOnce(cmd.Context(), deliverFor)
				a.log.WithFields(map[string]any{"evaluated": res.Evaluated, "delivered": res.Delivered, "pending": res.Pending}).Info("cycle done")
				if err != nil {
					return &exitError{code: 1, err: err}
				}
				if res.Pending > 0 {
					return &exitError{code: 1, err: fmt.Errorf("%d report(s) stay spooled for the next run", res.Pending)}
				}
				return nil
			}
			return ag.Run(cmd.Context())
		},
	}
	cmd.PersistentFlags().StringVar(&cfgPath, "config", defaultAgentConfig, "agent configuration file")
	cmd.Flags().BoolVar(&once, "once", false, "run one fetch-evaluate-deliver cycle, then exit")
	cmd.Flags().DurationVar(&deliverFor, "deliver-for", 2*time.Minute, "with --once: how long delivery may keep retrying before the reports are left spooled")
	cmd.AddCommand(a.agentEnrollCommand(&cfgPath), a.agentStatusCommand(&cfgPath), a.agentRotateCommand(&cfgPath))
	return cmd
}

func (a *app) openAgent(cfgPath string) (*agent.Agent, error) {
	cfg, err := config.LoadConfig(cfgPath)
	if err != nil {
		return nil, usageErr(err)
	}
	ag, err := agent.New(agent.Options{Config: cfg, ToolVersion: a.version, Logger: a.log})
	if err != nil {
		return nil, usageErr(err)
	}
	return ag, nil
}

func (a *app) autoEnroll(cmd *cobra.Command, ag *agent.Agent, cfgPath string) error {
	cfg, err := config.LoadConfig(cfgPath)
	if err != nil {
		return usageErr(err)
	}
	if cfg.EnrollmentSecretFile == "" {
		return usageErr(fmt.Errorf("this host is not enrolled: run gcrun agent enroll (or set enrollment_secret_file)"))
	}
	secret, err := readSecret(cfg.EnrollmentSecretFile)
	if err != nil {
		return usageErr(err)
	}
	return ag.Enroll(cmd.Context(), secret)
}

func readSecret(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("enrolment secret: %w", err)
	}
	s := strings.TrimSpace(string(data))
	if s == "" {
		return "", fmt.Errorf("enrolment secret %s is empty", path)
	}
	return s, nil
}

func (a *app) agentEnrollCommand(cfgPath *string) *cobra.Command {
	var secretFile string
	cmd := &cobra.Command{
		Use:   "enroll",
		Short: "Trade the enrolment secret for a host id bound to this host's key",
		Long: `Create the host key if needed (state_dir/host.key, mode 0600) and enrol it with
the receiver: the receiver registers the public key under a host id, and
from then on accepts only reports signed with that key.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ag, err := a.openAgent(*cfgPath)
			if err != nil {
				return err
			}
			defer ag.Close()
			cfg, err := config.LoadConfig(*cfgPath)
			if err != nil {
				return usageErr(err)
			}
			if secretFile == "" {
				secretFile = cfg.EnrollmentSecretFile
			}
			if secretFile == "" {
				return usageErr(fmt.Errorf("--secret-file (or enrollment_secret_file in the configuration) is required"))
			}
			secret, err := readSecret(secretFile)
			if err != nil {
				return usageErr(err)
			}
			if err := ag.Enroll(cmd.Context(), secret); err != nil {
				return &exitError{code: 1, err: err}
			}
			fmt.Fprintf(a.io.Stdout, "enrolled as %s\n", ag.HostID())
			return nil
		},
	}
	cmd.Flags().StringVar(&secretFile, "secret-file", "", "file holding the enrolment secret (default: enrollment_secret_file)")
	return cmd
}

func (a *app) agentStatusCommand(cfgPath *string) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the agent's last run, last delivery, spool depth and evictions, bundles",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "text" && format != "json" {
				return usageErr(fmt.Errorf("--format: %q is not text or json", format))
			}
			ag, err := a.openAgent(*cfgPath)
			if err != nil {
				return err
			}
			defer ag.Close()
			st := ag.Status()
			if format == "json" {
				out, _ := json.MarshalIndent(st, "", "  ")
				_, err := a.io.Stdout.Write(append(out, '\n'))
				return err
			}
			var b strings.Builder
			when := func(t time.Time) string {
				if t.IsZero() {
					return "never"
				}
				return t.UTC().Format(time.RFC3339)
			}
			host := st.HostID
			if host == "" {
				host = "(not enrolled)"
			}
			fmt.Fprintf(&b, "host id:              %s\n", host)
			fmt.Fprintf(&b, "last run:             %s\n", when(st.LastRun))
			for _, e := range st.LastRunErrors {
				fmt.Fprintf(&b, "  error:              %s\n", e)
			}
			fmt.Fprintf(&b, "last delivery:        %s\n", when(st.LastDelivery))
			fmt.Fprintf(&b, "consecutive failures: %d\n", st.ConsecutiveFailures)
			fmt.Fprintf(&b, "spool:                %d report(s), %d bytes; %d evicted, %d refused, %d unreadable\n", st.Spool.Depth, st.Spool.Bytes, st.Spool.Evicted, st.Spool.Rejected, st.Spool.Corrupt)
			fmt.Fprintf(&b, "report sequence:      %d\n", st.Sequence)
			for name, bs := range st.Bundles {
				stale := ""
				for _, s := range st.Stale {
					if s == name {
						stale = " (STALE: older than bundle_ttl)"
					}
				}
				fmt.Fprintf(&b, "bundle %-13s %s fetched %s%s\n", name+":", bs.Revision, when(bs.FetchedAt), stale)
				if bs.LastError != "" {
					fmt.Fprintf(&b, "  last fetch failed:  %s\n", bs.LastError)
				}
			}
			_, err = a.io.Stdout.Write([]byte(b.String()))
			return err
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "text or json")
	return cmd
}

func (a *app) agentRotateCommand(cfgPath *string) *cobra.Command {
	return &cobra.Command{
		Use:   "rotate-key",
		Short: "Replace the host key: the receiver accepts the new key on a request signed with the old one",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ag, err := a.openAgent(*cfgPath)
			if err != nil {
				return err
			}
			defer ag.Close()
			if err := ag.RotateKey(cmd.Context()); err != nil {
				return &exitError{code: 1, err: err}
			}
			fmt.Fprintln(a.io.Stdout, "host key rotated")
			return nil
		},
	}
}

func (a *app) spoolCommand() *cobra.Command {
	var cfgPath, output string
	cmd := &cobra.Command{
		Use:   "spool",
		Short: "Work with the agent's report spool",
	}
	export := &cobra.Command{
		Use:   "export -o FILE",
		Short: "Write every pending report into one fsync'd file, for hosts without connectivity (gcrun serve import reads it)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if output == "" {
				return usageErr(fmt.Errorf("-o FILE is required"))
			}
			cfg, err := config.LoadConfig(cfgPath)
			if err != nil {
				return usageErr(err)
			}
			sp, err := spool.OpenSpool(spoolDir(cfg), spool.SpoolLimits{MaxBytes: cfg.Spool.MaxBytes, MaxReports: cfg.Spool.MaxReports, MaxAge: cfg.Spool.MaxAge}, time.Now)
			if err != nil {
				return usageErr(err)
			}
			defer sp.Close()
			pending, err := sp.Pending()
			if err != nil {
				return err
			}
			if err := sp.ExportFile(output); err != nil {
				return err
			}
			n := len(pending)
			fmt.Fprintf(a.io.Stdout, "%d report(s) exported to %s; they stay spooled until the receiver acknowledges them\n", n, output)
			return nil
		},
	}
	export.Flags().StringVarP(&output, "output", "o", "", "file to write")
	cmd.PersistentFlags().StringVar(&cfgPath, "config", defaultAgentConfig, "agent configuration file")
	cmd.AddCommand(export)
	return cmd
}

func spoolDir(cfg *config.Config) string { return cfg.StateDir + "/spool" }
