package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/gcrun/gcrun/report"
	"github.com/spf13/cobra"
)

func (a *app) keygenCommand() *cobra.Command {
	var priv, pub string
	var force bool
	cmd := &cobra.Command{
		Use:   "keygen",
		Short: "Generate an ed25519 key pair for signing reports",
		Long: `Write an ed25519 private key (PKCS#8 PEM, mode 0600) and its public key
(SPKI PEM). The files are the same as those openssl writes:

  openssl genpkey -algorithm ed25519 -out gcrun.key
  openssl pkey -in gcrun.key -pubout -out gcrun.pub`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !force {
				for _, p := range []string{priv, pub} {
					if _, err := os.Lstat(p); err == nil {
						return usageErr(fmt.Errorf("%s exists; use --force to overwrite", p))
					} else if !errors.Is(err, fs.ErrNotExist) {
						return usageErr(err)
					}
				}
			}
			pubKey, privKey, err := report.GenerateKey()
			if err != nil {
				return err
			}
			privPEM, err := report.MarshalPrivateKeyPEM(privKey)
			if err != nil {
				return err
			}
			pubPEM, err := report.MarshalPublicKeyPEM(pubKey)
			if err != nil {
				return err
			}
			if err := writeFileAtomic(priv, privPEM, 0o600); err != nil {
				return usageErr(err)
			}
			if err := writeFileAtomic(pub, pubPEM, 0o644); err != nil {
				return usageErr(err)
			}
			fmt.Fprintf(a.io.Stdout, "wrote %s and %s (key id %s)\n", priv, pub, report.KeyID(pubKey))
			return nil
		},
	}
	cmd.Flags().StringVar(&priv, "private-key", "gcrun.key", "where to write the private key")
	cmd.Flags().StringVar(&pub, "public-key", "gcrun.pub", "where to write the public key")
	cmd.Flags().BoolVar(&force, "force", false, "overwrite existing files")
	return cmd
}

func (a *app) verifyCommand() *cobra.Command {
	var key string
	cmd := &cobra.Command{
		Use:   "verify --key PUB.pem REPORT",
		Short: "Verify a signed report",
		Long: `Verify that REPORT is a DSSE envelope holding a gcrun report, signed by the
key --key, and untampered. Exit 0 only then; exit 2 with the reason otherwise
(a changed byte, another key, an unsigned report, garbage).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if key == "" {
				return usageErr(errors.New("--key is required"))
			}
			pemData, err := os.ReadFile(key)
			if err != nil {
				return usageErr(fmt.Errorf("--key: %w", err))
			}
			pub, err := report.ParsePublicKeyPEM(pemData)
			if err != nil {
				return usageErr(fmt.Errorf("--key %s: %w", key, err))
			}
			data, err := os.ReadFile(args[0])
			if err != nil {
				return usageErr(err)
			}
			rep, _, err := report.Verify(data, pub)
			if err != nil {
				return usageErr(fmt.Errorf("%s: verification failed: %w", args[0], err))
			}
			fmt.Fprintf(a.io.Stdout, "%s: verified: signed by key %s; host %q, %s, %s\n",
				args[0], report.KeyID(pub), rep.Host.Hostname, rep.ComplianceStatus, rep.EndTime.Format("2006-01-02T15:04:05Z07:00"))
			return nil
		},
	}
	cmd.Flags().StringVar(&key, "key", "", "ed25519 public key (SPKI PEM) the report must be signed with")
	return cmd
}
