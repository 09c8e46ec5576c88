package cli

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/gcrun/gcrun/runner"
	"github.com/spf13/cobra"
)

func (a *app) factsCommand() *cobra.Command {
	var (
		root      string
		baselines []string
		paths     []string
		output    string
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
  gcrun facts --root /mnt/image files --path '/etc/cron.d/*'`,
		RunE: func(cmd *cobra.Command, args []string) error {
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
			target, err := runner.NewTarget(root)
			if err != nil {
				return usageErr(fmt.Errorf("--root: %w", err))
			}
			facts, err := runner.Collect(cmd.Context(), target, args, append(eng.Files(), paths...))
			if err != nil {
				return err
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
	return cmd
}
