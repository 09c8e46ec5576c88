package cli

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gcrun/gcrun/report"
	"github.com/gcrun/gcrun/runner/serve"
	"github.com/gcrun/gcrun/runner/serve/store"
	"github.com/spf13/cobra"
)

func (a *app) serveCommand() *cobra.Command {
	var (
		db               string
		listen           string
		tlsCert, tlsKey  string
		clientCA         string
		secretFile       string
		tokenFile        string
		bundlesDir       string
		maxBody          int64
		maxInflight      int
		interval, window time.Duration
		retention        time.Duration
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Receive signed reports from gcrun agents into SQLite or PostgreSQL; serve the fleet view and metrics",
		Long: `Run the receiver. Agents enrol with the enrolment secret (--enroll-secret-file),
then deliver reports signed with their host key; each report is verified
against the registered key, checked for replays (a per-host sequence and a
time window), and answered 200 only after the database transaction has
committed (a duplicate is answered with the stored row). Overload is shed
with 429 and Retry-After.

--db is a SQLite file (pure Go, WAL, synchronous FULL) or a PostgreSQL URL
(postgres://user:pass@host/db). TLS is required (--tls-cert, --tls-key);
--client-ca also requires agents to present client certificates.

Endpoints: POST /v1/enroll, /v1/reports, /v1/rotate; GET /v1/bundles/NAME,
/v1/fleet[?format=html], /v1/hosts/ID/reports[?format=html],
/v1/hosts/ID/reports/REPORT, /metrics, /healthz. See docs/agent.md.`,
		Example: `  gcrun serve --tls-cert serve.crt --tls-key serve.key --db /var/lib/gcrun-serve/gcrun.db --enroll-secret-file enroll.secret
  gcrun serve --db postgres://gcrun@db.internal/gcrun ... 
  gcrun serve import --db gcrun.db reports.export
  gcrun serve hosts list --db gcrun.db`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if tlsCert == "" || tlsKey == "" {
				return usageErr(errors.New("--tls-cert and --tls-key are required: agents only talk HTTPS"))
			}
			cert, err := tls.LoadX509KeyPair(tlsCert, tlsKey)
			if err != nil {
				return usageErr(fmt.Errorf("--tls-cert/--tls-key: %w", err))
			}
			tlsConf := &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
			if clientCA != "" {
				pem, err := os.ReadFile(clientCA)
				if err != nil {
					return usageErr(fmt.Errorf("--client-ca: %w", err))
				}
				pool := x509.NewCertPool()
				if !pool.AppendCertsFromPEM(pem) {
					return usageErr(fmt.Errorf("--client-ca %s: no certificate", clientCA))
				}
				tlsConf.ClientCAs, tlsConf.ClientAuth = pool, tls.RequireAndVerifyClientCert
			}
			opts := serve.Options{BundlesDir: bundlesDir, MaxBody: maxBody, MaxInflight: maxInflight, ReplayWindow: window, Interval: interval, Logger: a.log}
			if secretFile != "" {
				if opts.EnrollSecret, err = readSecret(secretFile); err != nil {
					return usageErr(err)
				}
			}
			if tokenFile != "" {
				if opts.ViewToken, err = readSecret(tokenFile); err != nil {
					return usageErr(err)
				}
			}
			st, err := store.Open(cmd.Context(), db)
			if err != nil {
				return usageErr(fmt.Errorf("--db: %w", err))
			}
			defer st.Close()
			opts.Store = st
			srv, err := serve.NewServer(opts)
			if err != nil {
				return usageErr(err)
			}
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return usageErr(fmt.Errorf("--listen: %w", err))
			}
			if a.onListen != nil {
				a.onListen(ln.Addr())
			}
			hs := &http.Server{
				Handler:           srv.Handler(),
				TLSConfig:         tlsConf,
				ReadHeaderTimeout: 10 * time.Second,
				ReadTimeout:       2 * time.Minute,
				WriteTimeout:      2 * time.Minute,
				IdleTimeout:       2 * time.Minute,
				MaxHeaderBytes:    64 << 10,
				ErrorLog:          nil,
			}
			a.log.WithFields(map[string]any{"listen": ln.Addr().String(), "db": dbKind(db)}).Info("serving")
			ctx, stop := context.WithCancel(cmd.Context())
			defer stop()
			if retention > 0 {
				go a.prune(ctx, st, retention)
			}
			errc := make(chan error, 1)
			go func() { errc <- hs.ServeTLS(ln, "", "") }()
			select {
			case err := <-errc:
				return err
			case <-ctx.Done():
			}
			// In-flight requests finish (each answered only after its
			// commit); then the store closes.
			sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			return hs.Shutdown(sctx)
		},
	}
	f := cmd.Flags()
	f.StringVar(&db, "db", "gcrun.db", "SQLite database file, or a PostgreSQL URL (postgres://...)")
	f.StringVar(&listen, "listen", ":8443", "address to listen on (HTTPS)")
	f.StringVar(&tlsCert, "tls-cert", "", "server certificate (PEM)")
	f.StringVar(&tlsKey, "tls-key", "", "server private key (PEM)")
	f.StringVar(&clientCA, "client-ca", "", "require agents' client certificates signed by this CA (PEM)")
	f.StringVar(&secretFile, "enroll-secret-file", "", "file holding the enrolment secret; without it enrolment is off")
	f.StringVar(&tokenFile, "view-token-file", "", "file holding a bearer token that the fleet, history and metrics views require")
	f.StringVar(&bundlesDir, "bundles", "", "directory of signed bundles served at /v1/bundles/NAME (NAME.tar.gz)")
	f.Int64Var(&maxBody, "max-body", serve.DefaultMaxBody, "largest report accepted, compressed and decompressed, in bytes")
	f.IntVar(&maxInflight, "max-inflight", serve.DefaultMaxInflight, "reports ingested at once; more are answered 429 with Retry-After")
	f.DurationVar(&interval, "interval", serve.DefaultInterval, "the agents' evaluation interval: a host is stale after two missed intervals")
	f.DurationVar(&window, "replay-window", serve.DefaultReplayWindow, "reports that ended longer ago are refused as replays")
	f.DurationVar(&retention, "retention", 90*24*time.Hour, "delete reports older than this (each host's latest is kept); 0 keeps everything")
	cmd.AddCommand(a.serveImportCommand(), a.serveHostsCommand())
	return cmd
}

func dbKind(db string) string {
	if strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://") {
		return "postgres"
	}
	return "sqlite:" + db
}

// prune applies the retention every hour.
func (a *app) prune(ctx context.Context, st store.Store, retention time.Duration) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		n, err := st.Prune(ctx, time.Now().Add(-retention))
		if err != nil && ctx.Err() == nil {
			a.log.WithError(err).Warn("retention: prune failed")
		} else if n > 0 {
			a.log.WithField("deleted", n).Info("retention: old reports deleted")
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (a *app) serveImportCommand() *cobra.Command {
	var db string
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Ingest a spool export (gcrun spool export) through the same verified, idempotent path as delivery",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := store.Open(cmd.Context(), db)
			if err != nil {
				return usageErr(fmt.Errorf("--db: %w", err))
			}
			defer st.Close()
			srv, err := serve.NewServer(serve.Options{Store: st, Logger: a.log})
			if err != nil {
				return usageErr(err)
			}
			f, err := os.Open(args[0])
			if err != nil {
				return usageErr(err)
			}
			defer f.Close()
			res, err := srv.Import(cmd.Context(), f)
			if err != nil {
				return usageErr(fmt.Errorf("%s: %w", args[0], err))
			}
			fmt.Fprintf(a.io.Stdout, "%d stored, %d duplicate(s), %d refused\n", res.Stored, res.Duplicates, len(res.Refused))
			for _, r := range res.Refused {
				fmt.Fprintf(a.io.Stdout, "  refused %s: %s: %s\n", r.ID, r.Code, r.Error)
			}
			if len(res.Refused) > 0 {
				return &exitError{code: 1, err: errSilent}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&db, "db", "gcrun.db", "SQLite database file, or a PostgreSQL URL")
	return cmd
}

func (a *app) serveHostsCommand() *cobra.Command {
	var db, format, pubFile string
	open := func(cmd *cobra.Command) (store.Store, error) {
		st, err := store.Open(cmd.Context(), db)
		if err != nil {
			return nil, usageErr(fmt.Errorf("--db: %w", err))
		}
		return st, nil
	}
	hosts := &cobra.Command{Use: "hosts", Short: "List, revoke and re-key enrolled hosts"}
	list := &cobra.Command{
		Use: "list", Short: "List enrolled hosts", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := open(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			hs, err := st.Hosts(cmd.Context())
			if err != nil {
				return err
			}
			if format == "json" {
				out, _ := json.MarshalIndent(hs, "", "  ")
				_, err := a.io.Stdout.Write(append(out, '\n'))
				return err
			}
			tw := tabwriter.NewWriter(a.io.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "HOST\tHOSTNAME\tKEY\tLAST SEEN\tSEQUENCE\tREVOKED")
			for _, h := range hs {
				seen, revoked := "never", ""
				if !h.LastSeen.IsZero() {
					seen = h.LastSeen.UTC().Format(time.RFC3339)
				}
				if h.RevokedAt != nil {
					revoked = h.RevokedAt.UTC().Format(time.RFC3339)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", h.ID, h.Hostname, h.KeyID, seen, h.LastSequence, revoked)
			}
			return tw.Flush()
		},
	}
	list.Flags().StringVarP(&format, "format", "f", "text", "text or json")
	revoke := &cobra.Command{
		Use: "revoke HOST", Short: "Revoke a host: its reports and enrolments are refused from now on", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := open(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := st.RevokeHost(cmd.Context(), args[0], time.Now()); err != nil {
				return usageErr(err)
			}
			fmt.Fprintf(a.io.Stdout, "revoked %s\n", args[0])
			return nil
		},
	}
	rotate := &cobra.Command{
		Use: "rotate HOST --public-key FILE", Short: "Register a new public key for a host (the old one stops working)", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pem, err := os.ReadFile(pubFile)
			if err != nil {
				return usageErr(fmt.Errorf("--public-key: %w", err))
			}
			pub, err := report.ParsePublicKeyPEM(pem)
			if err != nil {
				return usageErr(fmt.Errorf("--public-key: %w", err))
			}
			st, err := open(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := st.RotateKey(cmd.Context(), args[0], pub, report.KeyID(pub)); err != nil {
				return usageErr(err)
			}
			fmt.Fprintf(a.io.Stdout, "host %s now uses key %s\n", args[0], report.KeyID(pub))
			return nil
		},
	}
	rotate.Flags().StringVar(&pubFile, "public-key", "", "the host's new public key (PEM)")
	hosts.PersistentFlags().StringVar(&db, "db", "gcrun.db", "SQLite database file, or a PostgreSQL URL")
	hosts.AddCommand(list, revoke, rotate)
	return hosts
}
