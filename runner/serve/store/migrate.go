package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// migrationFiles holds the schema migrations, numbered NNNN_name.sql and
// applied in order. A migration, once released, is never edited: a change
// to the schema is a new file.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one parsed migration file.
type migration struct {
	version int
	name    string
	// statements are the file's statements with the dialect's types
	// filled in.
	statements []string
}

var (
	migrationName = regexp.MustCompile(`^([0-9]{4})_([a-z0-9_]+)\.sql$`)
	placeholder   = regexp.MustCompile(`\{\{[a-z_]*\}\}`)
)

// loadMigrations parses the embedded migrations for d.
func loadMigrations(d *dialect) ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var out []migration
	for _, e := range entries {
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("migration %s: name is not NNNN_name.sql", e.Name())
		}
		version, _ := strconv.Atoi(m[1])
		file := path.Join("migrations", e.Name())
		text, err := migrationFiles.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", file, err)
		}
		stmts, err := splitStatements(file, string(text), d)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: version, name: m[2], statements: stmts})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("migrations: expected version %04d, found %04d_%s", i+1, m.version, m.name)
		}
	}
	return out, nil
}

// splitStatements drops the comment lines of a migration, fills in d's
// types and splits the rest into statements at semicolons ending a line.
// Migrations hold no string literals, so nothing smarter is needed.
func splitStatements(file, text string, d *dialect) ([]string, error) {
	var (
		stmts []string
		cur   strings.Builder
		start int
	)
	for i, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "--") {
			continue
		}
		if cur.Len() == 0 {
			start = i + 1
		}
		var bad error
		line = placeholder.ReplaceAllStringFunc(line, func(p string) string {
			t, ok := d.types[strings.Trim(p, "{}")]
			if !ok && bad == nil {
				bad = fmt.Errorf("%s:%d: unknown placeholder %s", file, i+1, p)
			}
			return t
		})
		if bad != nil {
			return nil, bad
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(trimmed, ";") {
			stmts = append(stmts, strings.TrimSpace(cur.String()))
			cur.Reset()
		}
	}
	if cur.Len() > 0 {
		return nil, fmt.Errorf("%s:%d: statement not terminated by a semicolon", file, start)
	}
	return stmts, nil
}

// Migrate implements Store: it creates schema_migrations when missing and
// applies, each in its own transaction, the migrations not recorded there.
// A database migrated by a newer gcrun (a version this one does not know)
// is refused rather than written to.
func (s *sqlStore) Migrate(ctx context.Context) error {
	migrations, err := loadMigrations(s.d)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	err = s.migrateTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
)`)
		if err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		var newest sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&newest); err != nil {
			return fmt.Errorf("read schema_migrations: %w", err)
		}
		if newest.Valid && int(newest.Int64) > len(migrations) {
			return fmt.Errorf("database schema version %d is newer than this gcrun's (%d): upgrade gcrun",
				newest.Int64, len(migrations))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	for _, m := range migrations {
		err := s.migrateTx(ctx, func(tx *sql.Tx) error {
			var n int
			q := s.d.rebind(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`)
			if err := tx.QueryRowContext(ctx, q, m.version).Scan(&n); err != nil {
				return fmt.Errorf("read schema_migrations: %w", err)
			}
			if n > 0 {
				return errApplied
			}
			for _, stmt := range m.statements {
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("%s: %w", firstLine(stmt), err)
				}
			}
			q = s.d.rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`)
			_, err := tx.ExecContext(ctx, q, m.version, m.name, time.Now().UTC().Format(time.RFC3339Nano))
			return err
		})
		if err != nil && !errors.Is(err, errApplied) {
			return fmt.Errorf("store: migrate %04d_%s: %w", m.version, m.name, err)
		}
	}
	return nil
}

// errApplied ends a migration transaction whose migration is already
// recorded (rolled back: nothing to do).
var errApplied = errors.New("migration already applied")

// migrateTx runs fn in a write transaction that holds the dialect's
// migration lock, so that two processes starting at once apply each
// migration once. SQLite's BEGIN IMMEDIATE already excludes other writers.
func (s *sqlStore) migrateTx(ctx context.Context, fn func(*sql.Tx) error) error {
	return s.writeTx(ctx, func(tx *sql.Tx) error {
		if s.d.migrationLock != "" {
			if _, err := tx.ExecContext(ctx, s.d.migrationLock); err != nil {
				return fmt.Errorf("lock: %w", err)
			}
		}
		return fn(tx)
	})
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
