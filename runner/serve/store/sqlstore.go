package store

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gcrun/gcrun/report"
)

// Open opens the store named by db: a "postgres://" or "postgresql://" URL
// is a PostgreSQL DSN (OpenPostgres), anything else the path of a SQLite
// database file (OpenSQLite).
func Open(ctx context.Context, db string) (Store, error) {
	if strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://") {
		return OpenPostgres(ctx, db)
	}
	return OpenSQLite(ctx, db)
}

// dialect is what differs between the databases. Everything else (the
// schema, every query) is shared.
type dialect struct {
	name string
	// types fills the {{placeholders}} of the migrations.
	types map[string]string
	// dollar: placeholders are $1..$n (PostgreSQL) rather than ?.
	dollar bool
	// forUpdate is appended to the SELECT that locks a host row for the
	// rest of a write transaction. SQLite needs none: BEGIN IMMEDIATE
	// takes the database's write lock at the start.
	forUpdate string
	// txOptions are the options of write transactions.
	txOptions *sql.TxOptions
	// migrationLock is run first in every migration transaction.
	migrationLock string
	// uniqueViolation reports whether err is a unique-constraint violation.
	uniqueViolation func(error) bool
	// timeText: times are stored as fixed-width RFC 3339 text (SQLite)
	// rather than as the database's timestamp type.
	timeText bool
}

// timeLayout is how SQLite stores times: UTC, always nine fraction digits,
// so that comparing the text compares the times.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// normTime is the form every time takes in the store: UTC, truncated to
// the microseconds PostgreSQL keeps, so that both stores return the same
// values.
func normTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// rebind turns the ? placeholders of q into $1..$n for PostgreSQL. The
// store's queries contain no ? in literals or identifiers.
func (d *dialect) rebind(q string) string {
	if !d.dollar {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// t converts a time to a query argument.
func (d *dialect) t(t time.Time) any {
	t = normTime(t)
	if d.timeText {
		return t.Format(timeLayout)
	}
	return t
}

// dbTime scans a time column of either database (text or timestamp; NULL
// leaves Valid false).
type dbTime struct {
	Time  time.Time
	Valid bool
}

func (t *dbTime) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*t = dbTime{}
		return nil
	case time.Time:
		*t = dbTime{Time: normTime(v), Valid: true}
		return nil
	case string:
		return t.parse(v)
	case []byte:
		return t.parse(string(v))
	}
	return fmt.Errorf("time column: unsupported type %T", v)
}

func (t *dbTime) parse(s string) error {
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("time column: %w", err)
	}
	*t = dbTime{Time: normTime(v), Valid: true}
	return nil
}

// sqlStore implements Store on database/sql for both databases.
type sqlStore struct {
	d *dialect
	// w runs every write transaction; r the reads. For SQLite w is one
	// connection (SQLite has one writer at a time anyway, and one
	// connection makes writers queue in Go rather than spin on
	// SQLITE_BUSY) and r a pool of query_only connections that WAL lets
	// read while w writes. For PostgreSQL both are the same pool.
	w, r *sql.DB
}

func (s *sqlStore) Close() error {
	err := s.w.Close()
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	return err
}

// writeTx runs fn in a write transaction and commits it; any error rolls
// it back.
func (s *sqlStore) writeTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, s.d.txOptions)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

const hostColumns = `id, public_key, key_id, hostname, machine_id, enrolled_at, revoked_at, last_sequence, last_seen`

type rowScanner interface{ Scan(...any) error }

func scanHost(row rowScanner) (Host, error) {
	var (
		h                         Host
		enrolled, revoked, seenAt dbTime
	)
	err := row.Scan(&h.ID, &h.PublicKey, &h.KeyID, &h.Hostname, &h.MachineID, &enrolled, &revoked,
		&h.LastSequence, &seenAt)
	if err != nil {
		return Host{}, err
	}
	h.EnrolledAt = enrolled.Time
	if revoked.Valid {
		t := revoked.Time
		h.RevokedAt = &t
	}
	if seenAt.Valid {
		h.LastSeen = seenAt.Time
	}
	return h, nil
}

// checkKey checks that keyID is report.KeyID of pub: a mismatch would let
// a host be found under one key and verified with another.
func checkKey(pub []byte, keyID string) error {
	if len(pub) != ed25519.PublicKeySize {
		return fmt.Errorf("public key is %d bytes, expected an ed25519 key (%d)", len(pub), ed25519.PublicKeySize)
	}
	if want := report.KeyID(ed25519.PublicKey(pub)); keyID != want {
		return fmt.Errorf("key id %q is not the public key's (%s)", keyID, want)
	}
	return nil
}

func (s *sqlStore) EnrollHost(ctx context.Context, h Host) (Host, error) {
	if h.ID == "" {
		return Host{}, errors.New("store: enroll host: empty host id")
	}
	if err := checkKey(h.PublicKey, h.KeyID); err != nil {
		return Host{}, fmt.Errorf("store: enroll host %s: %w", h.ID, err)
	}
	var out Host
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		byKey := s.d.rebind(`SELECT ` + hostColumns + ` FROM hosts WHERE key_id = ?` + s.d.forUpdate)
		existing, err := scanHost(tx.QueryRowContext(ctx, byKey, h.KeyID))
		switch {
		case err == nil:
			if existing.RevokedAt != nil {
				return ErrRevoked
			}
			out = existing
			return nil
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		// The key is new. Inserting decides between concurrent
		// enrolments; a conflict is with the key (someone enrolled it
		// meanwhile: that host is the answer) or with the id (another
		// key has it).
		res, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO hosts
    (id, public_key, key_id, hostname, machine_id, enrolled_at, revoked_at, last_sequence, last_seen)
    VALUES (?, ?, ?, ?, ?, ?, NULL, 0, NULL)
    ON CONFLICT DO NOTHING`),
			h.ID, h.PublicKey, h.KeyID, h.Hostname, h.MachineID, s.d.t(h.EnrolledAt))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			// In READ COMMITTED this statement sees what the
			// conflicting transaction committed.
			existing, err := scanHost(tx.QueryRowContext(ctx, byKey, h.KeyID))
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("host id %s is enrolled with another key: %w", h.ID, ErrKeyInUse)
			} else if err != nil {
				return err
			}
			if existing.RevokedAt != nil {
				return ErrRevoked
			}
			out = existing
			return nil
		}
		out = Host{ID: h.ID, PublicKey: append([]byte(nil), h.PublicKey...), KeyID: h.KeyID,
			Hostname: h.Hostname, MachineID: h.MachineID, EnrolledAt: normTime(h.EnrolledAt)}
		return nil
	})
	if err != nil {
		return Host{}, fmt.Errorf("store: enroll host %s: %w", h.ID, err)
	}
	return out, nil
}

func (s *sqlStore) Host(ctx context.Context, id string) (Host, error) {
	h, err := scanHost(s.r.QueryRowContext(ctx, s.d.rebind(`SELECT `+hostColumns+` FROM hosts WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	if err != nil {
		return Host{}, fmt.Errorf("store: host %s: %w", id, err)
	}
	return h, nil
}

func (s *sqlStore) Hosts(ctx context.Context) ([]Host, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+hostColumns+` FROM hosts`)
	if err != nil {
		return nil, fmt.Errorf("store: hosts: %w", err)
	}
	defer rows.Close()
	var out []Host
	for rows.Next() {
		h, err := scanHost(rows)
		if err != nil {
			return nil, fmt.Errorf("store: hosts: %w", err)
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: hosts: %w", err)
	}
	// Sorted here, byte-wise, rather than by ORDER BY: PostgreSQL would
	// sort by the database's collation, SQLite by bytes.
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// lockHost reads the host's revocation, last sequence and key under the
// host row's lock (held until the transaction ends).
func (s *sqlStore) lockHost(ctx context.Context, tx *sql.Tx, id string) (revoked bool, lastSeq int64, keyID string, err error) {
	var rev dbTime
	q := s.d.rebind(`SELECT revoked_at, last_sequence, key_id FROM hosts WHERE id = ?` + s.d.forUpdate)
	err = tx.QueryRowContext(ctx, q, id).Scan(&rev, &lastSeq, &keyID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, 0, "", ErrNotFound
	}
	return rev.Valid, lastSeq, keyID, err
}

func (s *sqlStore) RevokeHost(ctx context.Context, id string, t time.Time) error {
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		revoked, _, _, err := s.lockHost(ctx, tx, id)
		if err != nil || revoked {
			return err
		}
		_, err = tx.ExecContext(ctx, s.d.rebind(`UPDATE hosts SET revoked_at = ? WHERE id = ?`), s.d.t(t), id)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: revoke host %s: %w", id, err)
	}
	return nil
}

func (s *sqlStore) RotateKey(ctx context.Context, id string, pub []byte, keyID string) error {
	err := checkKey(pub, keyID)
	if err == nil {
		err = s.writeTx(ctx, func(tx *sql.Tx) error {
			revoked, _, current, err := s.lockHost(ctx, tx, id)
			switch {
			case err != nil:
				return err
			case revoked:
				return ErrRevoked
			case current == keyID:
				return nil // already rotated: idempotent
			}
			var other string
			err = tx.QueryRowContext(ctx, s.d.rebind(`SELECT id FROM hosts WHERE key_id = ?`), keyID).Scan(&other)
			switch {
			case err == nil:
				return fmt.Errorf("key %s is host %s's: %w", keyID, other, ErrKeyInUse)
			case !errors.Is(err, sql.ErrNoRows):
				return err
			}
			_, err = tx.ExecContext(ctx, s.d.rebind(`UPDATE hosts SET public_key = ?, key_id = ? WHERE id = ?`),
				pub, keyID, id)
			if err != nil && s.d.uniqueViolation(err) {
				return fmt.Errorf("key %s: %w", keyID, ErrKeyInUse)
			}
			return err
		})
	}
	if err != nil {
		return fmt.Errorf("store: rotate key of host %s: %w", id, err)
	}
	return nil
}

const reportColumns = `seq, report_id, host_id, sequence, assignment, digest, compliance,
    n_total, n_pass, n_fail, n_not_applicable, n_error, n_waived, end_time, received_at`

func scanReport(row rowScanner) (StoredReport, error) {
	var (
		r             StoredReport
		end, received dbTime
	)
	err := row.Scan(&r.Seq, &r.ID, &r.HostID, &r.Sequence, &r.Assignment, &r.Digest, &r.Compliance,
		&r.Summary.Total, &r.Summary.Pass, &r.Summary.Fail, &r.Summary.NotApplicable, &r.Summary.Error,
		&r.Summary.Waived, &end, &received)
	r.EndTime, r.ReceivedAt = end.Time, received.Time
	return r, err
}

// batchRows is how many rows one multi-row INSERT carries (at most 6
// columns: far below both databases' limits on parameters).
const batchRows = 100

// insertRows inserts rows (each len(cols) values) with multi-row INSERTs;
// suffix follows the VALUES list (an ON CONFLICT clause).
func (s *sqlStore) insertRows(ctx context.Context, tx *sql.Tx, table, cols string, ncol int, rows [][]any, suffix string) error {
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", ncol), ", ") + ")"
	for len(rows) > 0 {
		n := min(len(rows), batchRows)
		var q strings.Builder
		q.WriteString("INSERT INTO " + table + " (" + cols + ") VALUES ")
		args := make([]any, 0, n*ncol)
		for i, row := range rows[:n] {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString(tuple)
			args = append(args, row...)
		}
		q.WriteString(suffix)
		if _, err := tx.ExecContext(ctx, s.d.rebind(q.String()), args...); err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
		rows = rows[n:]
	}
	return nil
}

// checkReport checks r for what the store relies on and returns its
// assignment and envelope digest.
func checkReport(r Report) (assignment, digest string, err error) {
	switch {
	case r.ID == "":
		return "", "", errors.New("empty report id")
	case r.HostID == "":
		return "", "", errors.New("empty host id")
	case r.Report == nil:
		return "", "", errors.New("no report")
	case len(r.Envelope) == 0:
		return "", "", errors.New("empty envelope")
	}
	if a := r.Report.Agent; a != nil {
		if a.HostID != r.HostID || a.ReportID != r.ID || a.Sequence != r.Sequence {
			return "", "", fmt.Errorf("the report's agent section (host %q, id %q, sequence %d) disagrees with host %q, id %q, sequence %d",
				a.HostID, a.ReportID, a.Sequence, r.HostID, r.ID, r.Sequence)
		}
		assignment = a.Assignment
	}
	sum := sha256.Sum256(r.Envelope)
	digest = "sha256:" + hex.EncodeToString(sum[:])
	if r.Digest != "" && r.Digest != digest {
		return "", "", fmt.Errorf("digest %s is not the envelope's (%s)", r.Digest, digest)
	}
	seen := make(map[string]bool, len(r.Report.Rules))
	for _, rule := range r.Report.Rules {
		if rule.ID == "" {
			return "", "", errors.New("a rule has an empty id")
		}
		if seen[rule.ID] {
			return "", "", fmt.Errorf("rule %s appears twice", rule.ID)
		}
		seen[rule.ID] = true
	}
	return assignment, digest, nil
}

// reasonsJSON is a rule's reasons as compact JSON ("[]" for none).
func reasonsJSON(rule report.RuleResult) (string, error) {
	if len(rule.Reasons) == 0 {
		return "[]", nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rule.Reasons); err != nil {
		return "", fmt.Errorf("rule %s: encode reasons: %w", rule.ID, err)
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}

func (s *sqlStore) PutReport(ctx context.Context, r Report) (StoredReport, bool, error) {
	assignment, digest, err := checkReport(r)
	if err != nil {
		return StoredReport{}, false, fmt.Errorf("store: put report %s: %w", r.ID, err)
	}
	var (
		stored    StoredReport
		duplicate bool
	)
	err = s.writeTx(ctx, func(tx *sql.Tx) error {
		stored, duplicate = StoredReport{}, false
		revoked, lastSeq, _, err := s.lockHost(ctx, tx, r.HostID)
		switch {
		case err != nil:
			return err
		case revoked:
			return ErrRevoked
		}
		byID := s.d.rebind(`SELECT ` + reportColumns + ` FROM reports WHERE host_id = ? AND report_id = ?`)
		stored, err = scanReport(tx.QueryRowContext(ctx, byID, r.HostID, r.ID))
		switch {
		case err == nil:
			duplicate = true
			return nil
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if r.Sequence <= lastSeq {
			return fmt.Errorf("sequence %d, host's last %d: %w", r.Sequence, lastSeq, ErrReplay)
		}
		rep := r.Report
		stored = StoredReport{ID: r.ID, HostID: r.HostID, Sequence: r.Sequence, Assignment: assignment,
			Digest: digest, Compliance: rep.ComplianceStatus, Summary: rep.Summary,
			EndTime: normTime(rep.EndTime), ReceivedAt: normTime(r.ReceivedAt)}
		err = tx.QueryRowContext(ctx, s.d.rebind(`INSERT INTO reports (report_id, host_id, sequence, assignment,
    digest, compliance, n_total, n_pass, n_fail, n_not_applicable, n_error, n_waived, end_time, received_at, envelope)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (host_id, report_id) DO NOTHING
    RETURNING seq`),
			r.ID, r.HostID, r.Sequence, assignment, digest, rep.ComplianceStatus,
			rep.Summary.Total, rep.Summary.Pass, rep.Summary.Fail, rep.Summary.NotApplicable, rep.Summary.Error,
			rep.Summary.Waived, s.d.t(rep.EndTime), s.d.t(r.ReceivedAt), r.Envelope).Scan(&stored.Seq)
		if errors.Is(err, sql.ErrNoRows) {
			// Stored meanwhile (cannot happen under the host lock, but
			// the constraint, not the lock, is what guarantees it).
			stored, err = scanReport(tx.QueryRowContext(ctx, byID, r.HostID, r.ID))
			duplicate = err == nil
			return err
		} else if err != nil {
			return err
		}
		packs, err := s.putPacks(ctx, tx, rep)
		if err != nil {
			return err
		}
		results := make([][]any, 0, len(rep.Rules))
		latest := make([][]any, 0, len(rep.Rules))
		end := s.d.t(rep.EndTime)
		for _, rule := range rep.Rules {
			reasons, err := reasonsJSON(rule)
			if err != nil {
				return err
			}
			pack := packs[rule.Baseline]
			results = append(results, []any{stored.Seq, rule.ID, pack, string(rule.Status), reasons})
			latest = append(latest, []any{r.HostID, rule.ID, pack, string(rule.Status), r.ID, end})
		}
		err = s.insertRows(ctx, tx, "results", "report_seq, rule_id, pack_id, status, reasons_json", 5, results, "")
		if err != nil {
			return err
		}
		// The latest state moves forward only: a report that ended
		// before the stored state's report (delivered late from a spool)
		// is history, not news.
		err = s.insertRows(ctx, tx, "latest_state", "host_id, rule_id, pack_id, status, report_id, updated_at", 6, latest, `
    ON CONFLICT (host_id, rule_id) DO UPDATE SET pack_id = excluded.pack_id, status = excluded.status,
        report_id = excluded.report_id, updated_at = excluded.updated_at
    WHERE latest_state.updated_at <= excluded.updated_at`)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.d.rebind(`UPDATE hosts SET last_sequence = ?, last_seen = ? WHERE id = ?`),
			r.Sequence, s.d.t(r.ReceivedAt), r.HostID)
		return err
	})
	if err != nil {
		return StoredReport{}, false, fmt.Errorf("store: put report %s: %w", r.ID, err)
	}
	return stored, duplicate, nil
}

// putPacks makes sure every baseline the report's rules name has a packs
// row with the metadata of those rules, and returns the pack ids by
// baseline name. A rule's metadata is written once per pack version (name,
// version, digest); later reports of the version add only rules no earlier
// report had (a tailored pack). A rule naming a baseline the report does
// not list gets a pack with that name and empty version and digest.
func (s *sqlStore) putPacks(ctx context.Context, tx *sql.Tx, rep *report.Report) (map[string]int64, error) {
	byName := make(map[string]report.Baseline, len(rep.Baselines))
	for _, b := range rep.Baselines {
		if _, ok := byName[b.Name]; !ok {
			byName[b.Name] = b
		}
	}
	rulesOf := make(map[string][]report.RuleResult)
	for _, rule := range rep.Rules {
		if _, ok := byName[rule.Baseline]; !ok {
			byName[rule.Baseline] = report.Baseline{Name: rule.Baseline}
		}
		rulesOf[rule.Baseline] = append(rulesOf[rule.Baseline], rule)
	}
	// In a fixed order, and rules sorted by id, so that two transactions
	// creating the same packs wait for each other instead of deadlocking.
	names := make([]string, 0, len(rulesOf))
	for name := range rulesOf {
		names = append(names, name)
	}
	sort.Strings(names)
	ids := make(map[string]int64, len(names))
	for _, name := range names {
		b := byName[name]
		var id int64
		isNew := true
		err := tx.QueryRowContext(ctx, s.d.rebind(`INSERT INTO packs (name, version, digest) VALUES (?, ?, ?)
    ON CONFLICT (name, version, digest) DO NOTHING
    RETURNING id`), b.Name, b.Version, b.Digest).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			isNew = false
			err = tx.QueryRowContext(ctx, s.d.rebind(`SELECT id FROM packs WHERE name = ? AND version = ? AND digest = ?`),
				b.Name, b.Version, b.Digest).Scan(&id)
		}
		if err != nil {
			return nil, fmt.Errorf("pack %s %s: %w", b.Name, b.Version, err)
		}
		ids[name] = id
		known := map[string]bool{}
		if !isNew {
			known, err = s.packRules(ctx, tx, id)
			if err != nil {
				return nil, fmt.Errorf("pack %s %s: %w", b.Name, b.Version, err)
			}
		}
		rules := rulesOf[name]
		sort.Slice(rules, func(i, j int) bool { return rules[i].ID < rules[j].ID })
		var rows [][]any
		for _, rule := range rules {
			if !known[rule.ID] {
				rows = append(rows, []any{id, rule.ID, rule.Title, string(rule.Severity), rule.Description, rule.Remediation})
			}
		}
		err = s.insertRows(ctx, tx, "rules", "pack_id, rule_id, title, severity, description, remediation", 6, rows,
			" ON CONFLICT (pack_id, rule_id) DO NOTHING")
		if err != nil {
			return nil, err
		}
	}
	return ids, nil
}

func (s *sqlStore) packRules(ctx context.Context, tx *sql.Tx, pack int64) (map[string]bool, error) {
	rows, err := tx.QueryContext(ctx, s.d.rebind(`SELECT rule_id FROM rules WHERE pack_id = ?`), pack)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	known := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		known[id] = true
	}
	return known, rows.Err()
}

// hostExists tells ErrNotFound from an empty answer.
func (s *sqlStore) hostExists(ctx context.Context, id string) error {
	var one int
	err := s.r.QueryRowContext(ctx, s.d.rebind(`SELECT 1 FROM hosts WHERE id = ?`), id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// HostReports implements Store; newest is by end time (then by store
// order), and a limit <= 0 means no limit. An unknown host is ErrNotFound.
func (s *sqlStore) HostReports(ctx context.Context, hostID string, limit int) ([]StoredReport, error) {
	q := `SELECT ` + reportColumns + ` FROM reports WHERE host_id = ? ORDER BY end_time DESC, seq DESC`
	args := []any{hostID}
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := s.r.QueryContext(ctx, s.d.rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("store: reports of host %s: %w", hostID, err)
	}
	defer rows.Close()
	var out []StoredReport
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, fmt.Errorf("store: reports of host %s: %w", hostID, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: reports of host %s: %w", hostID, err)
	}
	if len(out) == 0 {
		if err := s.hostExists(ctx, hostID); err != nil {
			return nil, fmt.Errorf("store: reports of host %s: %w", hostID, err)
		}
	}
	return out, nil
}

func (s *sqlStore) Report(ctx context.Context, hostID, reportID string) (StoredReport, error) {
	r, err := scanReport(s.r.QueryRowContext(ctx, s.d.rebind(`SELECT `+reportColumns+` FROM reports WHERE host_id = ? AND report_id = ?`), hostID, reportID))
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	if err != nil {
		return StoredReport{}, fmt.Errorf("store: report %s of host %s: %w", reportID, hostID, err)
	}
	return r, nil
}

func (s *sqlStore) Envelope(ctx context.Context, hostID, reportID string) ([]byte, error) {
	var env []byte
	err := s.r.QueryRowContext(ctx, s.d.rebind(`SELECT envelope FROM reports WHERE host_id = ? AND report_id = ?`),
		hostID, reportID).Scan(&env)
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: envelope of report %s of host %s: %w", reportID, hostID, err)
	}
	return env, nil
}

func (s *sqlStore) LatestStates(ctx context.Context) ([]LatestState, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT ls.host_id, ls.rule_id, p.name, COALESCE(r.title, ''),
    COALESCE(r.severity, ''), ls.status, ls.report_id, ls.updated_at
FROM latest_state ls
JOIN packs p ON p.id = ls.pack_id
LEFT JOIN rules r ON r.pack_id = ls.pack_id AND r.rule_id = ls.rule_id`)
	if err != nil {
		return nil, fmt.Errorf("store: latest states: %w", err)
	}
	defer rows.Close()
	var out []LatestState
	for rows.Next() {
		var (
			l       LatestState
			updated dbTime
		)
		if err := rows.Scan(&l.HostID, &l.RuleID, &l.Baseline, &l.Title, &l.Severity, &l.Status, &l.ReportID,
			&updated); err != nil {
			return nil, fmt.Errorf("store: latest states: %w", err)
		}
		l.UpdatedAt = updated.Time
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: latest states: %w", err)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].HostID != out[j].HostID {
			return out[i].HostID < out[j].HostID
		}
		return out[i].RuleID < out[j].RuleID
	})
	return out, nil
}

func (s *sqlStore) Counts(ctx context.Context) (hosts, reports, results int64, err error) {
	err = s.r.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM hosts), (SELECT COUNT(*) FROM reports),
    (SELECT COUNT(*) FROM results)`).Scan(&hosts, &reports, &results)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("store: counts: %w", err)
	}
	return hosts, reports, results, nil
}

// Prune implements Store. A report is kept when it is its host's newest
// for its assignment (by end time, then store order: the order of
// HostReports), whatever its age.
func (s *sqlStore) Prune(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.d.rebind(`DELETE FROM reports
WHERE end_time < ? AND EXISTS (
    SELECT 1 FROM reports newer
    WHERE newer.host_id = reports.host_id AND newer.assignment = reports.assignment
      AND (newer.end_time > reports.end_time OR (newer.end_time = reports.end_time AND newer.seq > reports.seq)))`),
			s.d.t(before))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: prune: %w", err)
	}
	return n, nil
}
