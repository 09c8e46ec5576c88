package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gcrun/gcrun/engine/result"
	"github.com/gcrun/gcrun/report"
	"github.com/google/go-cmp/cmp"
)

var (
	linux10 = report.Baseline{Name: "linux", Version: "1.0.0", Digest: "sha256:" + strings.Repeat("a", 64)}
	linux11 = report.Baseline{Name: "linux", Version: "1.1.0", Digest: "sha256:" + strings.Repeat("b", 64)}
	extra   = report.Baseline{Name: "extra", Version: "0.1.0", Digest: "sha256:" + strings.Repeat("c", 64)}
)

func TestRebind(t *testing.T) {
	pg, lite := postgresDialect, sqliteDialect
	q := `SELECT a FROM t WHERE b = ? AND c IN (?, ?)`
	if got, want := pg.rebind(q), `SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)`; got != want {
		t.Errorf("postgres rebind = %q, want %q", got, want)
	}
	if got := lite.rebind(q); got != q {
		t.Errorf("sqlite rebind = %q, want it unchanged", got)
	}
}

func TestMigrationsParse(t *testing.T) {
	for _, d := range []dialect{sqliteDialect, postgresDialect} {
		ms, err := loadMigrations(&d)
		if err != nil {
			t.Fatalf("%s: %v", d.name, err)
		}
		for _, m := range ms {
			for _, st := range m.statements {
				if strings.Contains(st, "{{") || !strings.HasSuffix(st, ";") {
					t.Errorf("%s: %04d: bad statement %q", d.name, m.version, st)
				}
			}
		}
	}
	d := sqliteDialect
	_, err := splitStatements("x.sql", "CREATE TABLE t (\n  a {{nope}}\n);\n", &d)
	if err == nil || !strings.Contains(err.Error(), "x.sql:2: unknown placeholder {{nope}}") {
		t.Errorf("unknown placeholder: err = %v", err)
	}
	_, err = splitStatements("y.sql", "-- c\nCREATE TABLE t (a TEXT);\nCREATE INDEX i\n  ON t (a)\n", &d)
	if err == nil || !strings.Contains(err.Error(), "y.sql:3: statement not terminated") {
		t.Errorf("unterminated statement: err = %v", err)
	}
}

func TestOpenRefusesOddSQLitePaths(t *testing.T) {
	for _, p := range []string{"", ":memory:", "file:x.db", "/tmp/x.db?mode=ro"} {
		if s, err := OpenSQLite(context.Background(), p); err == nil {
			_ = s.Close()
			t.Errorf("OpenSQLite(%q) succeeded", p)
		}
	}
}

// TestSQLitePragmas checks that the DSN's pragmas reach the connections
// the store actually uses (pragmas other than journal_mode are per
// connection).
func TestSQLitePragmas(t *testing.T) {
	s := internal(t, openDB(t, newSQLiteDB(t)))
	ctx := context.Background()
	want := map[string]string{"journal_mode": "wal", "synchronous": "2", "busy_timeout": "5000", "foreign_keys": "1",
		"query_only": "0"}
	for name, v := range want {
		var got string
		if err := s.w.QueryRowContext(ctx, "PRAGMA "+name).Scan(&got); err != nil {
			t.Fatalf("writer PRAGMA %s: %v", name, err)
		}
		if got != v {
			t.Errorf("writer PRAGMA %s = %s, want %s", name, got, v)
		}
	}
	want["query_only"] = "1"
	delete(want, "synchronous")
	for name, v := range want {
		var got string
		if err := s.r.QueryRowContext(ctx, "PRAGMA "+name).Scan(&got); err != nil {
			t.Fatalf("reader PRAGMA %s: %v", name, err)
		}
		if got != v {
			t.Errorf("reader PRAGMA %s = %s, want %s", name, got, v)
		}
	}
	if _, err := s.r.ExecContext(ctx, "DELETE FROM hosts"); err == nil {
		t.Error("a write through the read pool succeeded")
	}
	if st := s.w.Stats(); st.MaxOpenConnections != 1 {
		t.Errorf("writer pool allows %d connections, want 1", st.MaxOpenConnections)
	}
}

func TestMigrate(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		s := openDB(t, db)
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("second Migrate: %v", err)
		}
		enroll(t, s, "h-1", newKey(t))
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		s = openDB(t, db) // migrates again at open
		if got := counts(t, s); got != [3]int64{1, 0, 0} {
			t.Errorf("counts after reopen = %v, want one host", got)
		}
		got := query(t, s, `SELECT version, name FROM schema_migrations ORDER BY version`)
		if diff := cmp.Diff([][]string{{"1", "init"}}, got); diff != "" {
			t.Errorf("schema_migrations (-want +got):\n%s", diff)
		}
		// A database from a newer gcrun is refused, not written to.
		ss := internal(t, s)
		if _, err := ss.w.ExecContext(ctx, ss.d.rebind(`INSERT INTO schema_migrations (version, name, applied_at)
VALUES (?, ?, ?)`), 999, "future", "x"); err != nil {
			t.Fatal(err)
		}
		if err := s.Migrate(ctx); err == nil || !strings.Contains(err.Error(), "schema version 999 is newer") {
			t.Errorf("Migrate of a newer database: err = %v", err)
		}
		_ = s.Close()
		if s2, err := Open(ctx, db); err == nil {
			_ = s2.Close()
			t.Error("Open of a newer database succeeded")
		}
	})
}

func TestEnroll(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := openDB(t, b.newDB(t))
		k1, k2 := newKey(t), newKey(t)
		in := Host{ID: "h-1", PublicKey: k1.pub, KeyID: k1.id, Hostname: "one", MachineID: "m1",
			EnrolledAt: t0.In(time.FixedZone("X", 3600))}
		got, err := s.EnrollHost(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		want := Host{ID: "h-1", PublicKey: k1.pub, KeyID: k1.id, Hostname: "one", MachineID: "m1",
			EnrolledAt: t0.Truncate(time.Microsecond)}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("EnrollHost (-want +got):\n%s", diff)
		}
		// Same key again, whatever else it says: the same host, unchanged.
		again, err := s.EnrollHost(ctx, Host{ID: "h-other", PublicKey: k1.pub, KeyID: k1.id, Hostname: "renamed",
			EnrolledAt: t0.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, again); diff != "" {
			t.Errorf("EnrollHost again (-want +got):\n%s", diff)
		}
		stored, err := s.Host(ctx, "h-1")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, stored); diff != "" {
			t.Errorf("Host (-want +got):\n%s", diff)
		}
		h0 := enroll(t, s, "h-0", k2)
		hosts, err := s.Hosts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]Host{h0, want}, hosts); diff != "" {
			t.Errorf("Hosts (-want +got):\n%s", diff)
		}
		if _, err := s.Host(ctx, "h-nope"); !errors.Is(err, ErrNotFound) {
			t.Errorf("Host of an unknown id: err = %v, want ErrNotFound", err)
		}
		// Keys are checked against their ids.
		bad := Host{ID: "h-2", PublicKey: k1.pub, KeyID: k2.id, EnrolledAt: t0}
		if _, err := s.EnrollHost(ctx, bad); err == nil || !strings.Contains(err.Error(), "is not the public key's") {
			t.Errorf("EnrollHost with a wrong key id: err = %v", err)
		}
		bad = Host{ID: "h-2", PublicKey: []byte("short"), KeyID: "x", EnrolledAt: t0}
		if _, err := s.EnrollHost(ctx, bad); err == nil {
			t.Error("EnrollHost with a 5-byte key succeeded")
		}
		if got := counts(t, s); got != [3]int64{2, 0, 0} {
			t.Errorf("counts = %v, want 2 hosts", got)
		}
	})
}

func TestKeyInUse(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := openDB(t, b.newDB(t))
		k1, k2, k3 := newKey(t), newKey(t), newKey(t)
		enroll(t, s, "h-1", k1)
		enroll(t, s, "h-2", k2)
		// Another key under a taken id.
		_, err := s.EnrollHost(ctx, Host{ID: "h-1", PublicKey: k3.pub, KeyID: k3.id, EnrolledAt: t0})
		if !errors.Is(err, ErrKeyInUse) {
			t.Errorf("EnrollHost of a taken id: err = %v, want ErrKeyInUse", err)
		}
		// Rotating to another host's key.
		if err := s.RotateKey(ctx, "h-2", k1.pub, k1.id); !errors.Is(err, ErrKeyInUse) {
			t.Errorf("RotateKey to h-1's key: err = %v, want ErrKeyInUse", err)
		}
		h2, err := s.Host(ctx, "h-2")
		if err != nil {
			t.Fatal(err)
		}
		if h2.KeyID != k2.id {
			t.Errorf("h-2's key changed to %s after a refused rotation", h2.KeyID)
		}
		if got := counts(t, s); got != [3]int64{2, 0, 0} {
			t.Errorf("counts = %v, want 2 hosts", got)
		}
	})
}

func TestRevoke(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := openDB(t, b.newDB(t))
		k1, k2 := newKey(t), newKey(t)
		enroll(t, s, "h-1", k1)
		put(t, s, newReport(t, "h-1", "r-1", 1, t0, []report.Baseline{linux10}, rule("A-1", "linux", result.StatusPass)))
		revokedAt := t0.Add(time.Hour)
		if err := s.RevokeHost(ctx, "h-1", revokedAt); err != nil {
			t.Fatal(err)
		}
		if err := s.RevokeHost(ctx, "h-1", revokedAt.Add(time.Hour)); err != nil {
			t.Fatalf("second RevokeHost: %v", err)
		}
		h, err := s.Host(ctx, "h-1")
		if err != nil {
			t.Fatal(err)
		}
		if want := revokedAt.Truncate(time.Microsecond); h.RevokedAt == nil || !h.RevokedAt.Equal(want) {
			t.Errorf("RevokedAt = %v, want the first revocation's %v", h.RevokedAt, want)
		}
		if _, err := s.EnrollHost(ctx, Host{ID: "h-1", PublicKey: k1.pub, KeyID: k1.id, EnrolledAt: t0}); !errors.Is(err, ErrRevoked) {
			t.Errorf("EnrollHost of the revoked key: err = %v, want ErrRevoked", err)
		}
		if _, err := s.EnrollHost(ctx, Host{ID: "h-9", PublicKey: k1.pub, KeyID: k1.id, EnrolledAt: t0}); !errors.Is(err, ErrRevoked) {
			t.Errorf("EnrollHost of the revoked key under a new id: err = %v, want ErrRevoked", err)
		}
		_, _, err = s.PutReport(ctx, newReport(t, "h-1", "r-2", 2, t0.Add(time.Minute), []report.Baseline{linux10},
			rule("A-1", "linux", result.StatusFail)))
		if !errors.Is(err, ErrRevoked) {
			t.Errorf("PutReport of a revoked host: err = %v, want ErrRevoked", err)
		}
		// Even a duplicate of a stored report is refused now.
		_, _, err = s.PutReport(ctx, newReport(t, "h-1", "r-1", 1, t0, []report.Baseline{linux10},
			rule("A-1", "linux", result.StatusPass)))
		if !errors.Is(err, ErrRevoked) {
			t.Errorf("PutReport of a revoked host's duplicate: err = %v, want ErrRevoked", err)
		}
		if err := s.RotateKey(ctx, "h-1", k2.pub, k2.id); !errors.Is(err, ErrRevoked) {
			t.Errorf("RotateKey of a revoked host: err = %v, want ErrRevoked", err)
		}
		if err := s.RevokeHost(ctx, "h-nope", t0); !errors.Is(err, ErrNotFound) {
			t.Errorf("RevokeHost of an unknown host: err = %v, want ErrNotFound", err)
		}
		if got := counts(t, s); got != [3]int64{1, 1, 1} {
			t.Errorf("counts = %v, want 1 host, 1 report, 1 result", got)
		}
	})
}

func TestRotate(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := openDB(t, b.newDB(t))
		k1, k2, k3 := newKey(t), newKey(t), newKey(t)
		before := enroll(t, s, "h-1", k1)
		if err := s.RotateKey(ctx, "h-1", k2.pub, k2.id); err != nil {
			t.Fatal(err)
		}
		if err := s.RotateKey(ctx, "h-1", k2.pub, k2.id); err != nil {
			t.Fatalf("RotateKey to the current key: %v", err)
		}
		h, err := s.Host(ctx, "h-1")
		if err != nil {
			t.Fatal(err)
		}
		want := before
		want.PublicKey, want.KeyID = k2.pub, k2.id
		if diff := cmp.Diff(want, h); diff != "" {
			t.Errorf("Host after rotation (-want +got):\n%s", diff)
		}
		// Enrolling with the new key finds the host; the old key no
		// longer opens its id.
		got, err := s.EnrollHost(ctx, Host{ID: "h-x", PublicKey: k2.pub, KeyID: k2.id, EnrolledAt: t0})
		if err != nil || got.ID != "h-1" {
			t.Errorf("EnrollHost with the new key = %s, %v; want h-1", got.ID, err)
		}
		_, err = s.EnrollHost(ctx, Host{ID: "h-1", PublicKey: k1.pub, KeyID: k1.id, EnrolledAt: t0})
		if !errors.Is(err, ErrKeyInUse) {
			t.Errorf("EnrollHost of h-1 with its old key: err = %v, want ErrKeyInUse", err)
		}
		if err := s.RotateKey(ctx, "h-nope", k3.pub, k3.id); !errors.Is(err, ErrNotFound) {
			t.Errorf("RotateKey of an unknown host: err = %v, want ErrNotFound", err)
		}
		if err := s.RotateKey(ctx, "h-1", k3.pub, k1.id); err == nil {
			t.Error("RotateKey with a mismatched key id succeeded")
		}
	})
}

func put(t testing.TB, s Store, r Report) StoredReport {
	t.Helper()
	got, dup, err := s.PutReport(context.Background(), r)
	if err != nil {
		t.Fatalf("PutReport %s: %v", r.ID, err)
	}
	if dup {
		t.Fatalf("PutReport %s: duplicate", r.ID)
	}
	return got
}

func TestPutReport(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := openDB(t, b.newDB(t))
		enroll(t, s, "h-1", newKey(t))
		enroll(t, s, "h-2", newKey(t))
		reason := result.Reason{Code: "too_high", Phrase: "x is 9, expected <= 5", Expected: 5.0, Actual: 9.0,
			Evidence: map[string]any{"file": "/etc/x", "line": 3.0}}
		r1 := newReport(t, "h-1", "r-1", 7, t0, []report.Baseline{linux10, extra},
			rule("A-1", "linux", result.StatusPass),
			rule("A-2", "linux", result.StatusFail, reason),
			rule("A-3", "linux", result.StatusNotApplicable),
			rule("X-1", "extra", result.StatusError))
		r1.ReceivedAt = t0.Add(time.Hour).In(time.FixedZone("Y", -7200))
		got := put(t, s, r1)
		want := StoredReport{Seq: got.Seq, ID: "r-1", HostID: "h-1", Sequence: 7, Assignment: "linux",
			Digest: digestOf(r1.Envelope), Compliance: report.NonCompliant,
			Summary: report.Summary{Total: 4, Pass: 1, Fail: 1, NotApplicable: 1, Error: 1},
			EndTime: t0.Truncate(time.Microsecond), ReceivedAt: t0.Add(time.Hour).Truncate(time.Microsecond)}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("PutReport (-want +got):\n%s", diff)
		}
		list, err := s.HostReports(ctx, "h-1", 10)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]StoredReport{want}, list); diff != "" {
			t.Errorf("HostReports (-want +got):\n%s", diff)
		}
		h, err := s.Host(ctx, "h-1")
		if err != nil {
			t.Fatal(err)
		}
		if h.LastSequence != 7 || !h.LastSeen.Equal(want.ReceivedAt) {
			t.Errorf("host last sequence, seen = %d, %v; want 7, %v", h.LastSequence, h.LastSeen, want.ReceivedAt)
		}
		gotResults := query(t, s, `SELECT r.rule_id, p.name, r.status, r.reasons_json FROM results r
JOIN packs p ON p.id = r.pack_id WHERE r.report_seq = ? ORDER BY r.rule_id`, got.Seq)
		wantResults := [][]string{
			{"A-1", "linux", "pass", "[]"},
			{"A-2", "linux", "fail", `[{"code":"too_high","phrase":"x is 9, expected <= 5","expected":5,"actual":9,"evidence":{"file":"/etc/x","line":3}}]`},
			{"A-3", "linux", "not_applicable", "[]"},
			{"X-1", "extra", "error", "[]"},
		}
		if diff := cmp.Diff(wantResults, gotResults); diff != "" {
			t.Errorf("results (-want +got):\n%s", diff)
		}
		packsQ := `SELECT p.name, p.version, p.digest, r.rule_id, r.title, r.severity, r.description, r.remediation
FROM rules r JOIN packs p ON p.id = r.pack_id ORDER BY p.name, p.version, r.rule_id`
		wantRules := [][]string{
			{"extra", "0.1.0", extra.Digest, "X-1", "title of X-1", "high", "why X-1", "fix X-1"},
			{"linux", "1.0.0", linux10.Digest, "A-1", "title of A-1", "high", "why A-1", "fix A-1"},
			{"linux", "1.0.0", linux10.Digest, "A-2", "title of A-2", "high", "why A-2", "fix A-2"},
			{"linux", "1.0.0", linux10.Digest, "A-3", "title of A-3", "high", "why A-3", "fix A-3"},
		}
		if diff := cmp.Diff(wantRules, query(t, s, packsQ)); diff != "" {
			t.Errorf("rules after the first report (-want +got):\n%s", diff)
		}

		// The same pack version again (another host, changed titles):
		// its metadata is not written again; a rule the first report did
		// not have (a tailored pack) is added.
		a1 := rule("A-1", "linux", result.StatusFail)
		a1.Title = "changed"
		r2 := newReport(t, "h-2", "r-1", 1, t0, []report.Baseline{linux10}, a1, rule("A-4", "linux", result.StatusPass))
		r2.Digest = digestOf(r2.Envelope)
		put(t, s, r2)
		wantRules = append(wantRules, []string{"linux", "1.0.0", linux10.Digest, "A-4", "title of A-4", "high", "why A-4", "fix A-4"})
		if diff := cmp.Diff(wantRules, query(t, s, packsQ)); diff != "" {
			t.Errorf("rules after the second report (-want +got):\n%s", diff)
		}
		if n := query(t, s, `SELECT COUNT(*) FROM packs`); n[0][0] != "2" {
			t.Errorf("%s packs, want 2", n[0][0])
		}
		// A new version is a new pack.
		put(t, s, newReport(t, "h-2", "r-2", 2, t0, []report.Baseline{linux11}, rule("A-1", "linux", result.StatusPass)))
		if n := query(t, s, `SELECT COUNT(*) FROM rules r JOIN packs p ON p.id = r.pack_id WHERE p.version = '1.1.0'`); n[0][0] != "1" {
			t.Errorf("%s rules of linux 1.1.0, want 1", n[0][0])
		}
		if got := counts(t, s); got != [3]int64{2, 3, 7} {
			t.Errorf("counts = %v, want 2 hosts, 3 reports, 7 results", got)
		}

		// Refused before anything is written.
		bad := newReport(t, "h-1", "r-9", 9, t0, nil, rule("A-1", "linux", result.StatusPass))
		bad.Digest = "sha256:00"
		if _, _, err := s.PutReport(ctx, bad); err == nil || !strings.Contains(err.Error(), "is not the envelope's") {
			t.Errorf("PutReport with a wrong digest: err = %v", err)
		}
		bad = newReport(t, "h-1", "r-9", 9, t0, nil, rule("A-1", "linux", result.StatusPass))
		bad.Report.Agent.Sequence = 10
		if _, _, err := s.PutReport(ctx, bad); err == nil || !strings.Contains(err.Error(), "disagrees") {
			t.Errorf("PutReport with a mismatched agent section: err = %v", err)
		}
		bad = newReport(t, "h-1", "r-9", 9, t0, nil, rule("A-1", "linux", result.StatusPass),
			rule("A-1", "linux", result.StatusFail))
		if _, _, err := s.PutReport(ctx, bad); err == nil || !strings.Contains(err.Error(), "appears twice") {
			t.Errorf("PutReport with a rule twice: err = %v", err)
		}
		_, _, err = s.PutReport(ctx, newReport(t, "h-nope", "r-1", 1, t0, nil, rule("A-1", "linux", result.StatusPass)))
		if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "store: put report r-1") {
			t.Errorf("PutReport of an unknown host: err = %v, want ErrNotFound", err)
		}
		if got := counts(t, s); got != [3]int64{2, 3, 7} {
			t.Errorf("counts after refusals = %v, want them unchanged", got)
		}
	})
}

func TestDuplicateAndReplay(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := openDB(t, b.newDB(t))
		enroll(t, s, "h-1", newKey(t))
		bl := []report.Baseline{linux10}
		r5 := newReport(t, "h-1", "r-5", 5, t0, bl, rule("A-1", "linux", result.StatusFail))
		first := put(t, s, r5)
		hostBefore, _ := s.Host(ctx, "h-1")
		before := counts(t, s)

		again := r5
		again.ReceivedAt = t0.Add(24 * time.Hour)
		got, dup, err := s.PutReport(ctx, again)
		if err != nil || !dup {
			t.Fatalf("PutReport of a duplicate = %v, %v; want duplicate", dup, err)
		}
		if diff := cmp.Diff(first, got); diff != "" {
			t.Errorf("duplicate's stored row (-want +got):\n%s", diff)
		}
		hostAfter, _ := s.Host(ctx, "h-1")
		if diff := cmp.Diff(hostBefore, hostAfter); diff != "" {
			t.Errorf("a duplicate changed the host (-before +after):\n%s", diff)
		}
		if after := counts(t, s); after != before {
			t.Errorf("counts after a duplicate = %v, want %v", after, before)
		}

		for _, seq := range []int64{5, 3} {
			_, _, err = s.PutReport(ctx, newReport(t, "h-1", fmt.Sprintf("new-%d", seq), seq, t0.Add(time.Hour), bl,
				rule("A-1", "linux", result.StatusPass)))
			if !errors.Is(err, ErrReplay) {
				t.Errorf("PutReport of a new id with sequence %d: err = %v, want ErrReplay", seq, err)
			}
		}
		if after := counts(t, s); after != before {
			t.Errorf("counts after replays = %v, want %v", after, before)
		}
		put(t, s, newReport(t, "h-1", "r-6", 6, t0.Add(time.Hour), bl, rule("A-1", "linux", result.StatusPass)))
		// An old report is still a duplicate (an acknowledgement that got
		// lost), not a replay.
		if _, dup, err := s.PutReport(ctx, r5); err != nil || !dup {
			t.Errorf("PutReport of an older stored report = %v, %v; want duplicate", dup, err)
		}
	})
}

func TestLatestState(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := openDB(t, b.newDB(t))
		enroll(t, s, "h-1", newKey(t))
		enroll(t, s, "h-2", newKey(t))
		bl := []report.Baseline{linux10}
		t1, t2 := t0.Add(time.Hour), t0.Add(2*time.Hour)
		put(t, s, newReport(t, "h-1", "a", 1, t1, bl, rule("A-1", "linux", result.StatusFail),
			rule("A-2", "linux", result.StatusPass)))
		put(t, s, newReport(t, "h-2", "a", 1, t1, bl, rule("A-1", "linux", result.StatusPass)))
		put(t, s, newReport(t, "h-1", "b", 2, t2, bl, rule("A-1", "linux", result.StatusPass),
			rule("A-2", "linux", result.StatusFail)))
		// Delivered late (higher sequence, older end time): history, not
		// the latest state; except for a rule the state does not have.
		put(t, s, newReport(t, "h-1", "c", 3, t0, bl, rule("A-1", "linux", result.StatusError),
			rule("A-3", "linux", result.StatusNotApplicable)))
		// The same end time is not older: it wins.
		put(t, s, newReport(t, "h-2", "d", 2, t1, bl, rule("A-1", "linux", result.StatusFail)))
		got, err := s.LatestStates(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ls := func(host, id, status, rep string, at time.Time) LatestState {
			return LatestState{HostID: host, RuleID: id, Baseline: "linux", Title: "title of " + id, Severity: "high",
				Status: status, ReportID: rep, UpdatedAt: at.Truncate(time.Microsecond)}
		}
		want := []LatestState{
			ls("h-1", "A-1", "pass", "b", t2),
			ls("h-1", "A-2", "fail", "b", t2),
			ls("h-1", "A-3", "not_applicable", "c", t0),
			ls("h-2", "A-1", "fail", "d", t1),
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("LatestStates (-want +got):\n%s", diff)
		}
	})
}

func TestHostReportsAndEnvelope(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := openDB(t, b.newDB(t))
		k := newKey(t)
		enroll(t, s, "h-1", k)
		enroll(t, s, "h-empty", newKey(t))
		bl := []report.Baseline{linux10}
		// End times out of sequence order: newest first is by end time.
		ends := []time.Duration{3, 1, 5, 2, 4}
		for i, d := range ends {
			put(t, s, newReport(t, "h-1", fmt.Sprintf("r-%d", i+1), int64(i+1), t0.Add(d*time.Hour), bl,
				rule("A-1", "linux", result.StatusPass)))
		}
		ids := func(list []StoredReport) []string {
			var out []string
			for _, r := range list {
				out = append(out, r.ID)
			}
			return out
		}
		for _, c := range []struct {
			limit int
			want  []string
		}{{0, []string{"r-3", "r-5", "r-1", "r-4", "r-2"}}, {2, []string{"r-3", "r-5"}}, {10, []string{"r-3", "r-5", "r-1", "r-4", "r-2"}}} {
			list, err := s.HostReports(ctx, "h-1", c.limit)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, ids(list)); diff != "" {
				t.Errorf("HostReports limit %d (-want +got):\n%s", c.limit, diff)
			}
		}
		// Report finds one row by id, the same as the listing has.
		all, _ := s.HostReports(ctx, "h-1", 0)
		for _, want := range all {
			got, err := s.Report(ctx, "h-1", want.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Report %s (-list +got):\n%s", want.ID, diff)
			}
		}
		if _, err := s.Report(ctx, "h-1", "r-nope"); !errors.Is(err, ErrNotFound) {
			t.Errorf("Report of an unknown id: %v, want ErrNotFound", err)
		}
		if list, err := s.HostReports(ctx, "h-empty", 10); err != nil || len(list) != 0 {
			t.Errorf("HostReports of a host without reports = %v, %v; want none", list, err)
		}
		if _, err := s.HostReports(ctx, "h-nope", 10); !errors.Is(err, ErrNotFound) {
			t.Errorf("HostReports of an unknown host: err = %v, want ErrNotFound", err)
		}

		// A real signed envelope comes back byte for byte and verifies.
		r := newReport(t, "h-1", "signed", 10, t0.Add(6*time.Hour), bl, rule("A-1", "linux", result.StatusPass))
		payload, err := r.Report.JSON()
		if err != nil {
			t.Fatal(err)
		}
		if r.Envelope, err = report.Sign(payload, k.priv); err != nil {
			t.Fatal(err)
		}
		put(t, s, r)
		env, err := s.Envelope(ctx, "h-1", "signed")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(r.Envelope, env); diff != "" {
			t.Errorf("Envelope (-want +got):\n%s", diff)
		}
		if _, _, err := report.Verify(env, k.pubed); err != nil {
			t.Errorf("stored envelope does not verify: %v", err)
		}
		for _, c := range [][2]string{{"h-1", "nope"}, {"h-empty", "signed"}, {"h-nope", "r-1"}} {
			if _, err := s.Envelope(ctx, c[0], c[1]); !errors.Is(err, ErrNotFound) {
				t.Errorf("Envelope(%s, %s): err = %v, want ErrNotFound", c[0], c[1], err)
			}
		}
	})
}

func TestPrune(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := openDB(t, b.newDB(t))
		enroll(t, s, "h-1", newKey(t))
		enroll(t, s, "h-2", newKey(t))
		bl := []report.Baseline{linux10}
		seq := map[string]int64{}
		add := func(host, id, assignment string, hours int) {
			seq[host]++
			r := newReport(t, host, id, seq[host], t0.Add(time.Duration(hours)*time.Hour), bl,
				rule("A-1", "linux", result.StatusPass), rule("A-2", "linux", result.StatusFail))
			r.Report.Agent.Assignment = assignment
			put(t, s, r)
		}
		add("h-1", "1-lin-old", "linux", 1)
		add("h-1", "1-lin-mid", "linux", 2)
		add("h-1", "1-lin-new", "linux", 30) // after the cut
		add("h-1", "1-ssh-old", "ssh", 1)
		add("h-1", "1-ssh-last", "ssh", 3) // old, but its assignment's latest
		add("h-2", "2-lin-only", "linux", 1)
		add("h-2", "2-lin-tie-a", "linux", 5) // same end time: store order decides
		add("h-2", "2-lin-tie-b", "linux", 5)
		statesBefore, err := s.LatestStates(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n, err := s.Prune(ctx, t0.Add(10*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if n != 5 {
			t.Errorf("Prune deleted %d reports, want 5", n)
		}
		got := query(t, s, `SELECT host_id, report_id FROM reports ORDER BY host_id, seq`)
		want := [][]string{{"h-1", "1-lin-new"}, {"h-1", "1-ssh-last"}, {"h-2", "2-lin-tie-b"}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("reports after Prune (-want +got):\n%s", diff)
		}
		if got := counts(t, s); got != [3]int64{2, 3, 6} {
			t.Errorf("counts after Prune = %v, want 2 hosts, 3 reports, 6 results (cascaded)", got)
		}
		statesAfter, err := s.LatestStates(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(statesBefore, statesAfter); diff != "" {
			t.Errorf("Prune changed the latest states (-before +after):\n%s", diff)
		}
		if n, err := s.Prune(ctx, t0.Add(100*time.Hour)); err != nil || n != 0 {
			t.Errorf("second Prune = %d, %v; want 0 (only latest reports left)", n, err)
		}
	})
}

// TestConcurrentPut: 50 goroutines, 10 per host, each delivering the
// host's reports 1..20 in order (so every report arrives 10 times at once)
// and, after each, a replay (a new id with a sequence already used). Every
// report must be stored exactly once, every other delivery be its
// duplicate with the same stored row, and every replay refused.
func TestConcurrentPut(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := openDB(t, b.newDB(t))
		const hosts, perHost, reports, rules = 5, 10, 20, 20
		for h := range hosts {
			enroll(t, s, fmt.Sprintf("h-%d", h), newKey(t))
		}
		mk := func(h, n int, id string) Report {
			bl := linux10
			if n > reports/2 {
				bl = linux11 // created concurrently by every host's goroutines
			}
			var rs []report.RuleResult
			for i := range rules {
				st := result.StatusPass
				if (i+n)%3 == 0 {
					st = result.StatusFail
				}
				rs = append(rs, rule(fmt.Sprintf("R-%03d", i), "linux", st))
			}
			return newReport(t, fmt.Sprintf("h-%d", h), id, int64(n), t0.Add(time.Duration(n)*time.Minute),
				[]report.Baseline{bl}, rs...)
		}
		type key struct{ h, n int }
		var (
			mu      sync.Mutex
			stored  = map[key]int{}
			seqs    = map[key]map[int64]bool{}
			errs    []string
			wg      sync.WaitGroup
			replays int
		)
		for g := range hosts * perHost {
			wg.Add(1)
			go func() {
				defer wg.Done()
				h := g % hosts
				for n := 1; n <= reports; n++ {
					r, dup, err := s.PutReport(ctx, mk(h, n, fmt.Sprintf("r-%d", n)))
					_, _, rerr := s.PutReport(ctx, mk(h, n, fmt.Sprintf("replay-%d-%d", g, n)))
					mu.Lock()
					if err != nil {
						errs = append(errs, fmt.Sprintf("h-%d r-%d: %v", h, n, err))
					} else {
						k := key{h, n}
						if !dup {
							stored[k]++
						}
						if seqs[k] == nil {
							seqs[k] = map[int64]bool{}
						}
						seqs[k][r.Seq] = true
					}
					if errors.Is(rerr, ErrReplay) {
						replays++
					} else {
						errs = append(errs, fmt.Sprintf("h-%d replay %d: err = %v, want ErrReplay", h, n, rerr))
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		for _, e := range errs {
			t.Error(e)
		}
		for h := range hosts {
			for n := 1; n <= reports; n++ {
				k := key{h, n}
				if stored[k] != 1 || len(seqs[k]) != 1 {
					t.Errorf("h-%d r-%d: stored %d times, %d distinct rows returned; want 1, 1", h, n, stored[k], len(seqs[k]))
				}
			}
		}
		if replays != hosts*perHost*reports {
			t.Errorf("%d replays refused, want %d", replays, hosts*perHost*reports)
		}
		if got, want := counts(t, s), [3]int64{hosts, hosts * reports, hosts * reports * rules}; got != want {
			t.Errorf("counts = %v, want %v", got, want)
		}

		// Race distinct reports with the same sequence (released at once):
		// one per host and round is stored, the others are replays. Only
		// the host lock (or BEGIN IMMEDIATE) makes the sequence check and
		// the insert one step.
		const rounds = 5
		var won, lost int
		for round := range rounds {
			start := make(chan struct{})
			for g := range hosts * perHost {
				wg.Add(1)
				go func() {
					defer wg.Done()
					n := reports + 1 + round
					r := mk(g%hosts, n, fmt.Sprintf("race-%d-%d", round, g))
					<-start
					_, dup, err := s.PutReport(ctx, r)
					mu.Lock()
					defer mu.Unlock()
					switch {
					case err == nil && !dup:
						won++
					case errors.Is(err, ErrReplay):
						lost++
					default:
						errs = append(errs, fmt.Sprintf("race %d: dup %v, err %v", round, dup, err))
					}
				}()
			}
			close(start)
			wg.Wait()
		}
		for _, e := range errs {
			t.Error(e)
		}
		if won != hosts*rounds || lost != hosts*(perHost-1)*rounds {
			t.Errorf("same-sequence race: %d stored, %d refused; want %d, %d", won, lost, hosts*rounds, hosts*(perHost-1)*rounds)
		}
		if got, want := counts(t, s), [3]int64{hosts, hosts * (reports + rounds), hosts * (reports + rounds) * rules}; got != want {
			t.Errorf("counts = %v, want %v", got, want)
		}
		if got := query(t, s, `SELECT COUNT(*), COUNT(DISTINCT pack_id) FROM rules`); got[0][0] != "40" || got[0][1] != "2" {
			t.Errorf("rules, packs = %v, want 40 rules in 2 packs", got)
		}
		for _, h := range query(t, s, `SELECT id, last_sequence FROM hosts`) {
			if h[1] != fmt.Sprint(reports+rounds) {
				t.Errorf("host %s last sequence %s, want %d", h[0], h[1], reports+rounds)
			}
		}
		states, err := s.LatestStates(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(states) != hosts*rules {
			t.Errorf("%d latest states, want %d", len(states), hosts*rules)
		}
		for _, st := range states {
			if !strings.HasPrefix(st.ReportID, fmt.Sprintf("race-%d-", rounds-1)) {
				t.Errorf("latest state of %s %s from %s, want the last race's report", st.HostID, st.RuleID, st.ReportID)
			}
		}
	})
}

// TestConcurrentEnroll: the same key enrolled from many goroutines at once
// (an agent retrying, several receivers) makes one host, and every caller
// gets it.
func TestConcurrentEnroll(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := openDB(t, b.newDB(t))
		for round := range 5 {
			k := newKey(t)
			id := fmt.Sprintf("h-%d", round)
			start := make(chan struct{})
			got := make([]Host, 10)
			errs := make([]error, 10)
			var wg sync.WaitGroup
			for i := range got {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					got[i], errs[i] = s.EnrollHost(ctx, Host{ID: id, PublicKey: k.pub, KeyID: k.id,
						Hostname: fmt.Sprint(i), EnrolledAt: t0})
				}()
			}
			close(start)
			wg.Wait()
			stored, err := s.Host(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			for i := range got {
				if errs[i] != nil {
					t.Errorf("round %d: EnrollHost %d: %v", round, i, errs[i])
				} else if diff := cmp.Diff(stored, got[i]); diff != "" {
					t.Errorf("round %d: EnrollHost %d (-stored +got):\n%s", round, i, diff)
				}
			}
		}
		if got := counts(t, s); got != [3]int64{5, 0, 0} {
			t.Errorf("counts = %v, want 5 hosts", got)
		}
	})
}
