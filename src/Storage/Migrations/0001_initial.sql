-- Initial schema of the PostgreSQL grain storage and reminder table.
-- Every object is created unqualified, so it lands in the connection's current schema (the first
-- existing schema of its search_path); nothing here names a schema.
-- PostgresMigrator runs this file in one transaction and records it in schema_migrations.

CREATE TABLE IF NOT EXISTS schema_migrations (
    version    int PRIMARY KEY,
    name       text,
    applied_at timestamptz DEFAULT now()
);

-- Grain states. grain_key uses the "C" collation so that its order (and the keyset paging of
-- listings built on it) is by code point, whatever the database's default collation.
CREATE TABLE grain_state (
    grain_type text NOT NULL,
    grain_key  text COLLATE "C" NOT NULL,
    partition  int NOT NULL,
    etag       bigint NOT NULL,
    state      jsonb NOT NULL,
    label      text,
    deadline   timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (grain_type, grain_key)
);

CREATE INDEX grain_state_listing_ix ON grain_state (grain_type, label, grain_key);
CREATE INDEX grain_state_deadline_ix ON grain_state (grain_type, deadline);

-- Append-only evidence. entry is text, not jsonb: entry_hash covers its exact bytes, and jsonb
-- would normalise key order and whitespace.
CREATE TABLE ledger (
    chain_id    text NOT NULL,
    seq         bigint NOT NULL,
    partition   int NOT NULL,
    entry       text NOT NULL,
    entry_hash  text NOT NULL,
    recorded_at timestamptz DEFAULT now(),
    PRIMARY KEY (chain_id, seq)
);

CREATE FUNCTION ledger_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- 2F003: prohibited_sql_statement_attempted.
    RAISE EXCEPTION 'ledger is append-only' USING ERRCODE = '2F003';
END
$$;

CREATE TRIGGER ledger_no_update_or_delete
    BEFORE UPDATE OR DELETE ON ledger
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

CREATE TRIGGER ledger_no_truncate
    BEFORE TRUNCATE ON ledger
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();

-- Durable reminders. GetDueAsync reads them through (partition, due_at) only.
CREATE TABLE reminders (
    grain_type text NOT NULL,
    grain_key  text NOT NULL,
    name       text NOT NULL,
    partition  int NOT NULL,
    due_at     timestamptz NOT NULL,
    period_ms  bigint NULL,
    PRIMARY KEY (grain_type, grain_key, name)
);

CREATE INDEX reminders_due_ix ON reminders (partition, due_at);
