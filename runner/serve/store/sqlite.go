package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strings"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver (pure Go)
)

// sqliteDialect: times as fixed-width RFC 3339 text, write transactions
// BEGIN IMMEDIATE (the _txlock DSN key), so that a transaction takes the
// write lock before it reads what it decides on.
var sqliteDialect = dialect{
	name: "sqlite",
	types: map[string]string{
		"serial_pk": "INTEGER PRIMARY KEY AUTOINCREMENT",
		"blob":      "BLOB",
		"time":      "TEXT",
	},
	timeText: true,
	// Writers are serialised by BEGIN IMMEDIATE; a unique violation can
	// only come from a bug, never from a race.
	uniqueViolation: func(error) bool { return false },
}

// sqliteWriteParams are the write connection's settings: WAL (readers do
// not block the writer nor it them), synchronous=FULL (a commit is on disk
// before it returns, which is what lets the receiver acknowledge),
// busy_timeout for other processes holding the lock (gcrun serve hosts
// revoke while gcrun serve runs), foreign keys on (ON DELETE CASCADE).
const sqliteWriteParams = "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)" +
	"&_pragma=foreign_keys(1)&_txlock=immediate"

// sqliteReadParams are the read pool's: query_only, so that no write can
// ever go through a connection that is not the writer.
const sqliteReadParams = "_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_query_only=1"

// OpenSQLite opens (creating it when missing) the SQLite database at path
// and migrates it. Writes go through a single connection (SQLite has one
// writer at a time; queueing in Go is cheaper and fairer than retrying on
// SQLITE_BUSY) in BEGIN IMMEDIATE transactions; reads through a separate
// pool of read-only connections, which WAL lets run while a write is in
// progress, so the fleet view never waits behind an ingest burst.
func OpenSQLite(ctx context.Context, path string) (Store, error) {
	if path == "" {
		return nil, errors.New("store: open sqlite: empty path")
	}
	if strings.ContainsAny(path, "?#") || strings.HasPrefix(path, "file:") || path == ":memory:" {
		// The driver would read a query string out of the name; and an
		// in-memory database is not shared between the two pools.
		return nil, fmt.Errorf("store: open sqlite %s: the path must be a plain file name (no ?, #, file: or :memory:)", path)
	}
	w, err := sql.Open("sqlite", path+"?"+sqliteWriteParams)
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", path+"?"+sqliteReadParams)
	if err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	n := max(2, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	d := sqliteDialect
	s := &sqlStore{d: &d, w: w, r: r}
	if err := s.Migrate(ctx); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	return s, nil
}
