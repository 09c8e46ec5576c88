package store

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gcrun/gcrun/engine/result"
	"github.com/gcrun/gcrun/internal/oracle"
	"github.com/gcrun/gcrun/report"
)

// EnvPostgres is the DSN of a PostgreSQL database the tests may create
// schemas in (e.g. postgres://gcrun:gcrun@127.0.0.1:55432/gcrun?sslmode=disable).
// Unset, the PostgreSQL tests skip, or fail when GCRUN_REQUIRE_ORACLES=1.
const EnvPostgres = "GCRUN_TEST_POSTGRES"

// backend makes fresh, empty databases of one kind; each is a name Open
// accepts.
type backend struct {
	name  string
	newDB func(t testing.TB) string
}

var backends = []backend{
	{"sqlite", newSQLiteDB},
	{"postgres", newPostgresDB},
}

func newSQLiteDB(t testing.TB) string {
	return filepath.Join(t.TempDir(), "gcrun.db")
}

// newPostgresDB creates a schema of its own for the test (dropped at the
// end) and returns the DSN with search_path set to it, so that tests are
// independent of each other and of earlier runs.
func newPostgresDB(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		oracle.Missing(t, EnvPostgres+" (a PostgreSQL DSN) is not set")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", EnvPostgres, err)
	}
	t.Cleanup(func() { _ = admin.Close() })
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	schema := "gcrun_test_" + hex.EncodeToString(b[:])
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	if !strings.HasPrefix(base, "postgres://") && !strings.HasPrefix(base, "postgresql://") {
		t.Fatalf("%s must be a postgres:// URL, got a key=value DSN", EnvPostgres)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// openDB opens db (closed at the end of the test).
func openDB(t testing.TB, db string) Store {
	t.Helper()
	s, err := Open(context.Background(), db)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// forEachBackend runs fn against a fresh database of every backend.
func forEachBackend(t *testing.T, fn func(t *testing.T, b backend)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { fn(t, b) })
	}
}

// key is a host key as the store sees it.
type key struct {
	pub   []byte
	id    string
	priv  ed25519.PrivateKey
	pubed ed25519.PublicKey
}

func newKey(t testing.TB) key {
	t.Helper()
	pub, priv, err := report.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return key{pub: []byte(pub), id: report.KeyID(pub), priv: priv, pubed: pub}
}

var t0 = time.Date(2025, 3, 4, 5, 6, 7, 123456789, time.UTC)

func enroll(t testing.TB, s Store, id string, k key) Host {
	t.Helper()
	h, err := s.EnrollHost(context.Background(), Host{ID: id, PublicKey: k.pub, KeyID: k.id,
		Hostname: id + ".example", MachineID: "m-" + id, EnrolledAt: t0})
	if err != nil {
		t.Fatalf("EnrollHost %s: %v", id, err)
	}
	return h
}

// rule builds a rule result of baseline with the given status.
func rule(id, baseline string, status result.Status, reasons ...result.Reason) report.RuleResult {
	return report.RuleResult{ID: id, Title: "title of " + id, Description: "why " + id,
		Severity: result.SeverityHigh, Remediation: "fix " + id, Baseline: baseline, Status: status,
		Reasons: append([]result.Reason{}, reasons...)}
}

// newReport builds a report of host as gcrun agent would send it; the
// envelope is the report's JSON (the store does not look inside).
func newReport(t testing.TB, host, id string, seq int64, end time.Time, baselines []report.Baseline, rules ...report.RuleResult) Report {
	t.Helper()
	rep := &report.Report{
		SchemaVersion: report.SchemaVersion,
		Tool:          report.Tool{Name: "gcrun", Version: "test"},
		Host:          report.Host{Hostname: host},
		Root:          "/",
		Baselines:     baselines,
		StartTime:     end.Add(-time.Minute),
		EndTime:       end,
		Rules:         rules,
		Collectors:    []report.Collector{{Name: "host", Status: report.CollectorOK}},
		Agent:         &report.Agent{HostID: host, ReportID: id, Sequence: seq, Assignment: "linux", Mode: "audit"},
	}
	rep.Summary.Total = len(rules)
	for _, r := range rules {
		switch r.Status {
		case result.StatusPass:
			rep.Summary.Pass++
		case result.StatusFail:
			rep.Summary.Fail++
		case result.StatusNotApplicable:
			rep.Summary.NotApplicable++
		case result.StatusWaived:
			rep.Summary.Waived++
		default:
			rep.Summary.Error++
		}
	}
	rep.ComplianceStatus = report.Compliant
	if rep.Summary.Fail+rep.Summary.Error > 0 {
		rep.ComplianceStatus = report.NonCompliant
	}
	env, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	return Report{ID: id, HostID: host, Sequence: seq, Envelope: env, Report: rep, ReceivedAt: end.Add(time.Second)}
}

func digestOf(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// internal returns the implementation behind s, for queries the
// interface does not offer.
func internal(t testing.TB, s Store) *sqlStore {
	t.Helper()
	ss, ok := s.(*sqlStore)
	if !ok {
		t.Fatalf("store is a %T", s)
	}
	return ss
}

// query runs q (with ? placeholders) on the store's read connections and
// returns every row as strings.
func query(t testing.TB, s Store, q string, args ...any) [][]string {
	t.Helper()
	ss := internal(t, s)
	rows, err := ss.r.QueryContext(context.Background(), ss.d.rebind(q), args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = v.String
			if !v.Valid {
				row[i] = "NULL"
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}

func counts(t testing.TB, s Store) [3]int64 {
	t.Helper()
	h, r, res, err := s.Counts(context.Background())
	if err != nil {
		t.Fatalf("Counts: %v", err)
	}
	return [3]int64{h, r, res}
}
