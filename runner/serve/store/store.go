// Package store keeps what gcrun serve receives: enrolled hosts and their
// keys, signed reports with their per-rule results, rule metadata
// deduplicated per pack version, and a latest-state table per (host, rule)
// so that the fleet view never scans history. One schema and the same
// migrations serve SQLite (pure Go, embedded, WAL, full sync: a small fleet
// on one machine) and PostgreSQL (a fleet that outgrows it).
//
// Every write is one transaction; a method returns only after it has
// committed, which is what lets the receiver acknowledge a report only once
// it is durable.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/gcrun/gcrun/report"
)

// Errors callers tell apart with errors.Is.
var (
	// ErrNotFound: no such host or report.
	ErrNotFound = errors.New("not found")
	// ErrReplay: the report's sequence is not above the host's last one
	// (and the report is not one already stored).
	ErrReplay = errors.New("replayed report: sequence not above the host's last")
	// ErrRevoked: the host's key was revoked.
	ErrRevoked = errors.New("host revoked")
	// ErrKeyInUse: enrolling or rotating to a key another host has.
	ErrKeyInUse = errors.New("public key belongs to another host")
)

// Host is an enrolled machine.
type Host struct {
	ID string
	// PublicKey is the host's ed25519 public key (32 bytes) and KeyID its
	// report.KeyID.
	PublicKey []byte
	KeyID     string
	Hostname  string
	// MachineID is the host's /etc/machine-id when it sent one.
	MachineID  string
	EnrolledAt time.Time
	// RevokedAt is set once the host is revoked; its reports are refused.
	RevokedAt *time.Time
	// LastSequence is the highest report sequence stored for the host.
	LastSequence int64
	// LastSeen is when the host's last report was stored (zero: never).
	LastSeen time.Time
}

// Report is a verified report to store.
type Report struct {
	// ID is the report id (report.Agent.ReportID), unique per host.
	ID       string
	HostID   string
	Sequence int64
	// Envelope is the signed DSSE envelope as received (not compressed);
	// Digest is "sha256:<hex>" of it.
	Envelope []byte
	Digest   string
	// Report is the verified payload.
	Report     *report.Report
	ReceivedAt time.Time
}

// StoredReport is a stored report's row.
type StoredReport struct {
	// Seq is the store's own id of the report (autoincrement).
	Seq        int64
	ID         string
	HostID     string
	Sequence   int64
	Assignment string
	Digest     string
	Compliance string
	Summary    report.Summary
	EndTime    time.Time
	ReceivedAt time.Time
}

// LatestState is one (host, rule) of the latest-state table.
type LatestState struct {
	HostID   string
	RuleID   string
	Baseline string
	Title    string
	Severity string
	Status   string
	// ReportID is the report the status comes from; UpdatedAt its end time.
	ReportID  string
	UpdatedAt time.Time
}

// Store is implemented by the SQLite and PostgreSQL stores.
type Store interface {
	// Migrate brings the schema up to date (idempotent; run at open).
	Migrate(ctx context.Context) error
	Close() error

	// EnrollHost registers h (ID, PublicKey, KeyID, Hostname,
	// MachineID, EnrolledAt set by the caller). Enrolling again with the
	// same key returns the existing host unchanged (idempotent); a key
	// of a revoked host gives ErrRevoked.
	EnrollHost(ctx context.Context, h Host) (Host, error)
	// Host returns the host with the id, or ErrNotFound.
	Host(ctx context.Context, id string) (Host, error)
	// Hosts lists every host, by id.
	Hosts(ctx context.Context) ([]Host, error)
	// RevokeHost marks the host revoked at t (idempotent).
	RevokeHost(ctx context.Context, id string, t time.Time) error
	// RotateKey replaces the host's key (ErrKeyInUse when another host
	// has it, ErrRevoked for a revoked host).
	RotateKey(ctx context.Context, id string, pub []byte, keyID string) error

	// PutReport stores r, its per-rule results and the rules' metadata
	// (deduplicated per baseline name, version and digest), updates the
	// latest state of (host, rule) for every rule and the host's last
	// sequence and last seen, in one transaction. A report whose ID the
	// host already has is a duplicate: PutReport returns the stored row
	// and true, and changes nothing. A report that is not a duplicate
	// and whose sequence is not above the host's last is ErrReplay; a
	// revoked host's is ErrRevoked; an unknown host's ErrNotFound.
	PutReport(ctx context.Context, r Report) (StoredReport, bool, error)
	// HostReports lists the host's reports, newest first, at most limit.
	HostReports(ctx context.Context, hostID string, limit int) ([]StoredReport, error)
	// Report returns a stored report's row, or ErrNotFound.
	Report(ctx context.Context, hostID, reportID string) (StoredReport, error)
	// Envelope returns a stored report's envelope.
	Envelope(ctx context.Context, hostID, reportID string) ([]byte, error)
	// LatestStates returns the latest-state table, by host and rule.
	LatestStates(ctx context.Context) ([]LatestState, error)
	// Counts returns the number of hosts, reports and result rows (for
	// tests, metrics and soak checks).
	Counts(ctx context.Context) (hosts, reports, results int64, err error)
	// Prune deletes reports (and their results) that ended before t,
	// except each host's latest report per assignment; it returns how
	// many it deleted. The latest-state table is not affected.
	Prune(ctx context.Context, before time.Time) (int64, error)
}
