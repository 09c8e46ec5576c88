package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// postgresDialect: $n placeholders, host rows locked FOR UPDATE, READ
// COMMITTED write transactions (every statement sees what committed
// before it, so a transaction that waited for a host lock sees the report
// its predecessor stored), and an advisory lock around migrations.
var postgresDialect = dialect{
	name: "postgres",
	types: map[string]string{
		"serial_pk": "BIGSERIAL PRIMARY KEY",
		"blob":      "BYTEA",
		"time":      "TIMESTAMPTZ",
	},
	dollar:    true,
	forUpdate: " FOR UPDATE",
	txOptions: &sql.TxOptions{Isolation: sql.LevelReadCommitted},
	// A transaction-scoped lock, released at commit or rollback; the key
	// is arbitrary but fixed (0x6763727566, "gcrun" in ASCII).
	migrationLock: "SELECT pg_advisory_xact_lock(444050077030)",
	uniqueViolation: func(err error) bool {
		var pgErr *pgconn.PgError
		return errors.As(err, &pgErr) && pgErr.Code == "23505"
	},
}

// postgresMaxConns bounds the pool: well under PostgreSQL's default
// max_connections (100), and above what gcrun serve runs at once.
const postgresMaxConns = 20

// OpenPostgres connects to the PostgreSQL database of dsn (a
// postgres:// URL or key=value string; runtime parameters such as
// search_path may be given in it) and migrates it.
func OpenPostgres(ctx context.Context, dsn string) (Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	db.SetMaxOpenConns(postgresMaxConns)
	db.SetMaxIdleConns(postgresMaxConns)
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	d := postgresDialect
	s := &sqlStore{d: &d, w: db, r: db}
	if err := s.Migrate(ctx); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	return s, nil
}
