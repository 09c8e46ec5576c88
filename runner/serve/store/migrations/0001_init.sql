-- 0001: the initial schema. One text for SQLite and PostgreSQL: the few
-- types that differ are written as {{placeholders}} that migrate.go fills in
-- per database (see dialect.types):
--   {{serial_pk}}  INTEGER PRIMARY KEY AUTOINCREMENT | BIGSERIAL PRIMARY KEY
--   {{blob}}       BLOB | BYTEA
--   {{time}}       TEXT (fixed-width RFC 3339, UTC, 9 fraction digits, so that
--                  text order is time order) | TIMESTAMPTZ
-- Statements are separated by a semicolon at the end of a line.

-- Enrolled machines and their current keys (key_id is report.KeyID of
-- public_key; a rotation replaces both).
CREATE TABLE hosts (
    id            TEXT PRIMARY KEY,
    public_key    {{blob}} NOT NULL,
    key_id        TEXT NOT NULL UNIQUE,
    hostname      TEXT NOT NULL,
    machine_id    TEXT NOT NULL,
    enrolled_at   {{time}} NOT NULL,
    revoked_at    {{time}},
    last_sequence BIGINT NOT NULL DEFAULT 0,
    last_seen     {{time}}
);

-- One row per baseline (pack) version seen in any report: rule metadata is
-- stored once per pack version instead of once per report.
CREATE TABLE packs (
    id      {{serial_pk}},
    name    TEXT NOT NULL,
    version TEXT NOT NULL,
    digest  TEXT NOT NULL,
    UNIQUE (name, version, digest)
);

CREATE TABLE rules (
    pack_id     BIGINT NOT NULL REFERENCES packs (id),
    rule_id     TEXT NOT NULL,
    title       TEXT NOT NULL,
    severity    TEXT NOT NULL,
    description TEXT NOT NULL,
    remediation TEXT NOT NULL,
    PRIMARY KEY (pack_id, rule_id)
);

-- Stored reports; the signed envelope is kept as received.
CREATE TABLE reports (
    seq              {{serial_pk}},
    host_id          TEXT NOT NULL REFERENCES hosts (id),
    report_id        TEXT NOT NULL,
    sequence         BIGINT NOT NULL,
    assignment       TEXT NOT NULL,
    digest           TEXT NOT NULL,
    compliance       TEXT NOT NULL,
    n_total          INTEGER NOT NULL,
    n_pass           INTEGER NOT NULL,
    n_fail           INTEGER NOT NULL,
    n_not_applicable INTEGER NOT NULL,
    n_error          INTEGER NOT NULL,
    n_waived         INTEGER NOT NULL,
    end_time         {{time}} NOT NULL,
    received_at      {{time}} NOT NULL,
    envelope         {{blob}} NOT NULL,
    UNIQUE (host_id, report_id)
);

CREATE INDEX reports_host_end ON reports (host_id, end_time DESC);

-- Per-rule outcome of every stored report; reasons_json is the rule's
-- reasons array as compact JSON.
CREATE TABLE results (
    report_seq   BIGINT NOT NULL REFERENCES reports (seq) ON DELETE CASCADE,
    rule_id      TEXT NOT NULL,
    pack_id      BIGINT NOT NULL REFERENCES packs (id),
    status       TEXT NOT NULL,
    reasons_json TEXT NOT NULL,
    PRIMARY KEY (report_seq, rule_id)
);

CREATE INDEX results_rule ON results (rule_id);

-- The newest known status of every (host, rule): what the fleet view reads.
-- updated_at is the end time of the report the status comes from.
CREATE TABLE latest_state (
    host_id    TEXT NOT NULL REFERENCES hosts (id),
    rule_id    TEXT NOT NULL,
    pack_id    BIGINT NOT NULL REFERENCES packs (id),
    status     TEXT NOT NULL,
    report_id  TEXT NOT NULL,
    updated_at {{time}} NOT NULL,
    PRIMARY KEY (host_id, rule_id)
);

CREATE INDEX latest_state_rule ON latest_state (rule_id);
