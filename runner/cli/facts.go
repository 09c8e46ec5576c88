package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/gcrun/gcrun/checks"
	"github.com/gcrun/gcrun/runner"
	"github.com/spf13/cobra"
)

func (a *app) factsCommand() *cobra.Command {
	var (
		root      string
		baselines []string
		paths     []string
		output    string
		format    string
		conn      string
		timeout   time.Duration
		imageTar  string
		sweep     sweepFlags
	)
	cmd := &cobra.Command{
		Use:   "facts [COLLECTOR...]",
		Short: "Print the facts gcrun collects, as the JSON input document rules see",
		Long: fmt.Sprintf(`Print the facts of this host (or --root) as JSON: the input document that
Rego rules read. Without arguments every collector runs.

Collectors: %s.

The files collector stats the paths that the baselines' rules declare
(custom.files) plus any --path.`, strings.Join(runner.CollectorNames(), ", ")),
		Example: `  gcrun facts sshd
  gcrun facts --root /mnt/image files --path '/etc/cron.d/*'
  gcrun facts sshd --format sshd-t | diff - <(sshd -T)
  gcrun facts sshd --format sshd-t --sshd-connection user=alice,host=h,addr=10.0.0.5,laddr=10.0.0.1,lport=22`,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch format {
			case "json":
			case "sshd-t":
				if len(args) != 1 || args[0] != "sshd" {
					return usageErr(fmt.Errorf("--format sshd-t prints the sshd collector alone: gcrun facts sshd --format sshd-t"))
				}
			default:
				return usageErr(fmt.Errorf("--format: %q is not json or sshd-t", format))
			}
			if conn != "" && (len(args) != 1 || args[0] != "sshd") {
				return usageErr(fmt.Errorf("--sshd-connection applies to the sshd collector alone: gcrun facts sshd --sshd-connection ..."))
			}
			known := map[string]bool{}
			for _, n := range runner.CollectorNames() {
				known[n] = true
			}
			for _, n := range args {
				if !known[n] {
					return usageErr(fmt.Errorf("unknown collector %q (collectors: %s)", n, strings.Join(runner.CollectorNames(), ", ")))
				}
			}
			if len(args) == 0 {
				args = []string{"*"}
			}
			eng, err := a.engine(cmd, baselines)
			if err != nil {
				return err
			}
			target, _, err := a.target(cmd, root, imageTar)
			if err != nil {
				return err
			}
			facts, err := runner.CollectWith(cmd.Context(), target, args, append(eng.Files(), paths...),
				runner.CollectOptions{CollectOptions: checks.CollectOptions{Timeout: timeout}, Sweep: sweep.config()})
			if err != nil {
				return err
			}
			if format == "sshd-t" || conn != "" {
				return a.sshdFacts(facts, target, conn, format, output)
			}
			out, err := json.MarshalIndent(facts.Input(), "", "  ")
			if err != nil {
				return err
			}
			if err := a.emit(output, append(out, '\n')); err != nil {
				return err
			}
			errs := facts.Errors()
			if len(errs) == 0 {
				return nil
			}
			names := make([]string, 0, len(errs))
			for n := range errs {
				names = append(names, n)
			}
			sort.Strings(names)
			msgs := make([]string, len(names))
			for i, n := range names {
				msgs[i] = errs[n]
			}
			return usageErr(fmt.Errorf("%s", strings.Join(msgs, "\n")))
		},
	}
	f := cmd.Flags()
	f.StringVar(&root, "root", "/", "root directory to scan")
	f.StringArrayVar(&baselines, "baseline", nil, "baseline directory whose declared files to stat (repeatable); default: the embedded baseline")
	f.StringArrayVar(&paths, "path", nil, "extra path or glob for the files collector (repeatable)")
	f.StringVarP(&output, "output", "o", "", "write the facts to this file instead of stdout")
	f.StringVarP(&format, "format", "f", "json", "output format: json, or sshd-t (the sshd collector as `sshd -T` prints it)")
	f.StringVar(&conn, "sshd-connection", "", "with the sshd collector: the configuration for one connection, as `sshd -T -C` (user=U,host=H,addr=A,laddr=L,lport=P[,rdomain=R])")
	f.DurationVar(&timeout, "collector-timeout", checks.DefaultTimeout, "longest time one collector may take")
	f.StringVar(&imageTar, "image-tar", "", "read the facts of a container image or rootfs tarball instead of --root")
	sweep.register(f)
	return cmd
}

// sshdFacts prints the sshd configuration, globally or for one connection,
// as sshd -T (format sshd-t) or as JSON.
func (a *app) sshdFacts(facts *checks.Facts, target checks.Target, spec, format, output string) error {
	o := facts.Outcomes["sshd"]
	if o.Err != nil {
		return usageErr(o.Err)
	}
	sshd, ok := o.Facts.(*checks.SSHDFacts)
	if !ok || !sshd.Exists {
		return usageErr(fmt.Errorf("sshd: %s does not exist in %s", checks.SSHDConfigPath, target.Root))
	}
	var doc any = facts.Input()
	// Without a connection this is still Effective: it refuses what
	// `sshd -T` without -C refuses (a Match LocalPort) and otherwise
	// equals the global configuration.
	var conn checks.SSHDConnection
	if spec != "" {
		var err error
		if conn, err = runner.SSHDConnection(target, spec); err != nil {
			return usageErr(fmt.Errorf("--sshd-connection: %w", err))
		}
	}
	eff, err := sshd.Effective(conn)
	if err != nil {
		return usageErr(err)
	}
	config := eff.Config
	if spec != "" {
		doc = eff
	}
	var buf bytes.Buffer
	if format == "sshd-t" {
		if err := config.WriteSSHDT(&buf); err != nil {
			return err
		}
	} else {
		out, err := json.MarshalIndent(doc, "", "  ")
		if err != nil {
			return err
		}
		buf.Write(append(out, '\n'))
	}
	return a.emit(output, buf.Bytes())
}
