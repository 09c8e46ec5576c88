package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gcrun/gcrun/report"
	"github.com/gcrun/gcrun/runner"
	"github.com/spf13/cobra"
)

func (a *app) bundleCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bundle",
		Short: "Build and verify signed OPA bundles of baseline packs",
		Long: `A bundle is a baseline pack as an OPA bundle (.tar.gz): its Rego files, a
.manifest carrying the pack's pack.yaml, and a .signatures.json with an
EdDSA (ed25519) signature over every file, as OPA signs bundles. Keys are
those of 'gcrun keygen'. 'gcrun evaluate --bundle FILE --verification-key KEY'
evaluates one; see docs/bundles.md.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usageErr(errors.New("bundle needs a subcommand: build or verify (see gcrun bundle --help)"))
		},
	}
	cmd.AddCommand(a.bundleBuildCommand(), a.bundleVerifyCommand())
	return cmd
}

func (a *app) bundleBuildCommand() *cobra.Command {
	var output, signingKey string
	cmd := &cobra.Command{
		Use:   "build PACK -o FILE [--signing-key KEY]",
		Short: "Write the pack in directory PACK as a signed OPA bundle",
		Long: `Write the pack in directory PACK as an OPA bundle: pack.yaml (which must
name the pack and its version) travels in the manifest, and every .rego file
of the pack goes in, Rego tests included; fixtures/ and other files do not.
A dependency on a builtin pack is kept in pack.yaml; a path dependency is
refused, as a bundle carries one pack.

With --signing-key (an ed25519 private key from 'gcrun keygen') the bundle
is signed; without it, it is not, and loading it needs --insecure-skip-verify.
The same pack and key always give the same bytes.`,
		Example: `  gcrun keygen --private-key bundle.key --public-key bundle.pub
  gcrun bundle build examples/packs/acme -o acme.tar.gz --signing-key bundle.key
  gcrun bundle verify acme.tar.gz --verification-key bundle.pub`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if output == "" {
				return usageErr(errors.New("--output (-o) is required: the bundle file to write"))
			}
			var opts runner.BuildBundleOptions
			if signingKey != "" {
				key, err := os.ReadFile(signingKey)
				if err != nil {
					return usageErr(fmt.Errorf("--signing-key: %w", err))
				}
				if _, err := report.ParsePrivateKeyPEM(key); err != nil {
					return usageErr(fmt.Errorf("--signing-key %s: %w", signingKey, err))
				}
				opts.SigningKey = key
			}
			var buf bytes.Buffer
			info, err := runner.BuildBundle(&buf, args[0], opts)
			if err != nil {
				return usageErr(err)
			}
			if err := writeFileAtomic(output, buf.Bytes(), 0o644); err != nil {
				return usageErr(fmt.Errorf("--output: %w", err))
			}
			signer := "unsigned"
			if info.KeyID != "" {
				signer = "signed by key " + info.KeyID
			} else {
				a.log.Warnf("%s is not signed: gcrun evaluate refuses it without --insecure-skip-verify; sign it with --signing-key", output)
			}
			fmt.Fprintf(a.io.Stdout, "wrote %s: pack %s %s, %d Rego files, %s\n", output, info.Name, info.Version, len(info.Files), signer)
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "bundle file to write (.tar.gz)")
	cmd.Flags().StringVar(&signingKey, "signing-key", "", "ed25519 private key (PKCS#8 PEM, from gcrun keygen) to sign the bundle with")
	return cmd
}

func (a *app) bundleVerifyCommand() *cobra.Command {
	var key, format string
	cmd := &cobra.Command{
		Use:   "verify FILE --verification-key KEY",
		Short: "Verify a bundle's signature and print its manifest",
		Long: `Verify that FILE is a gcrun bundle signed by --verification-key with every
file intact, and that its pack loads, then print what it holds. Exit 0 only
then; exit 2 with the reason otherwise (unsigned, another key, another
algorithm, a changed, missing or extra file, a file no gcrun bundle has).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageErr(fmt.Errorf("--format: %q is not text or json", format))
			}
			if key == "" {
				return usageErr(errors.New("--verification-key is required: the public key the bundle must be signed with"))
			}
			pub, err := os.ReadFile(key)
			if err != nil {
				return usageErr(fmt.Errorf("--verification-key: %w", err))
			}
			if _, err := report.ParsePublicKeyPEM(pub); err != nil {
				return usageErr(fmt.Errorf("--verification-key %s: %w", key, err))
			}
			info, _, err := runner.ReadBundle(args[0], runner.BundleOptions{VerificationKey: pub, Logger: a.log})
			if err != nil {
				return usageErr(err)
			}
			if format == "json" {
				out, err := json.MarshalIndent(info, "", "  ")
				if err != nil {
					return err
				}
				_, err = fmt.Fprintf(a.io.Stdout, "%s\n", out)
				return err
			}
			return writeBundleInfo(a.io.Stdout, args[0], info)
		},
	}
	cmd.Flags().StringVar(&key, "verification-key", "", "ed25519 public key (SPKI PEM, from gcrun keygen) the bundle must be signed with")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// writeBundleInfo prints a verified bundle's description.
func writeBundleInfo(w io.Writer, file string, info *runner.BundleInfo) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: verified: signed by key %s\n", file, info.KeyID)
	fmt.Fprintf(&b, "pack:     %s %s\n", info.Name, info.Version)
	fmt.Fprintf(&b, "revision: %s\n", info.Revision)
	fmt.Fprintf(&b, "digest:   %s\n", info.Digest)
	fmt.Fprintf(&b, "roots:    %s\n", strings.Join(info.Roots, " "))
	fmt.Fprintf(&b, "files:    %d Rego files\n", len(info.Files))
	for _, f := range info.Files {
		fmt.Fprintf(&b, "  %s\n", f)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
