-- Tables and stored queries for Orleans' ADO.NET clustering (Microsoft.Orleans.Clustering.AdoNet) and
-- reminders (Microsoft.Orleans.Reminders.AdoNet), 10.4.2. Written for this product (Orleans ships no
-- PostgreSQL scripts in its packages); only the contract is Orleans': the query keys, the parameter
-- names each provider binds and the column names it reads back. Everything is unqualified, so it
-- lands in the connection's current schema, and idempotent: tables IF NOT EXISTS, query rows upserted.
--
-- Contract notes (from Orleans' RelationalOrleansQueries / DbStoredQueries, checked against the
-- 10.4.2 assemblies):
-- * The providers read every row of OrleansQuery at start (SELECT QueryKey, QueryText FROM
--   OrleansQuery, unquoted, hence the lower-case table orleansquery) and refuse to start if a key
--   they need is missing. Extra keys are ignored.
-- * Columns are read back by name; the texts alias them in Orleans' spelling ("StartTime", ...).
-- * DateTime parameters arrive as DbType.DateTime with Kind=Utc, which Npgsql sends as
--   timestamptz: the time columns are timestamptz, so the session TimeZone plays no part.
-- * Membership uses one optimistic-concurrency version row per cluster (DeploymentId = ClusterId).
--   @Version is the version the silo read; a write wins only if the row still has it, and bumps it.
--   Under READ COMMITTED a concurrent writer blocks on the version row and then re-checks
--   "version = @Version" against the committed row, so exactly one of them wins.
--   InsertMembershipKey / UpdateMembershipKey / InsertMembershipVersionKey return one row with one
--   boolean column: whether this call won.
-- * Reminder grain hashes arrive as int (the uint hash reinterpreted, so it can be negative). The
--   provider picks ReadRangeRows1Key when (int)begin < (int)end, else ReadRangeRows2Key (the range
--   wraps in signed order; begin = end is the whole ring). Ranges are (begin, end].
-- * Reminder and membership ETags are ints (int.Parse on the way in).

CREATE TABLE IF NOT EXISTS OrleansQuery (
    QueryKey  varchar(64) PRIMARY KEY,
    QueryText text NOT NULL
);

-- One row per cluster: the membership table's version, the optimistic-concurrency token.
CREATE TABLE IF NOT EXISTS orleans_membership_version (
    deployment_id text PRIMARY KEY,
    version       int NOT NULL DEFAULT 0,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- One row per silo incarnation (address, port, generation). status is Orleans' SiloStatus
-- (3 = Active, 6 = Dead); suspect_times is Orleans' own "silo,time|silo,time" text.
CREATE TABLE IF NOT EXISTS orleans_membership (
    deployment_id   text NOT NULL REFERENCES orleans_membership_version (deployment_id) ON DELETE CASCADE,
    address         text NOT NULL,
    port            int NOT NULL,
    generation      int NOT NULL,
    silo_name       text NOT NULL,
    host_name       text NOT NULL,
    status          int NOT NULL,
    proxy_port      int NOT NULL,
    suspect_times   text NULL,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

-- Orleans' durable reminders (the old runtime's own "reminders" table of 0001 is a different thing).
-- grain_hash is the grain's uniform hash as Orleans binds it: a signed int.
CREATE TABLE IF NOT EXISTS orleans_reminders (
    service_id    text NOT NULL,
    grain_id      text NOT NULL,
    reminder_name text NOT NULL,
    start_time    timestamptz NOT NULL,
    period_ms     bigint NOT NULL,
    grain_hash    int NOT NULL,
    version       int NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX IF NOT EXISTS orleans_reminders_hash_ix ON orleans_reminders (service_id, grain_hash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- ---- clustering ---------------------------------------------------------------------------------

-- Creates the cluster's version row unless it exists; true if this call created it.
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO orleans_membership_version (deployment_id, version, updated_at)
    VALUES (@DeploymentId, 0, now())
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM created)
$q$),

-- Adds a silo's row and bumps the version, both or neither; true if this call won.
('InsertMembershipKey', $q$
WITH bumped AS (
    UPDATE orleans_membership_version
    SET version = version + 1, updated_at = now()
    WHERE deployment_id = @DeploymentId
      AND version = @Version
      AND NOT EXISTS (
          SELECT 1 FROM orleans_membership
          WHERE deployment_id = @DeploymentId AND address = @Address
            AND port = @Port AND generation = @Generation)
    RETURNING deployment_id
), added AS (
    INSERT INTO orleans_membership (deployment_id, address, port, generation, silo_name, host_name,
                                    status, proxy_port, suspect_times, start_time, i_am_alive_time)
    SELECT deployment_id, @Address, @Port, @Generation, coalesce(@SiloName, ''), coalesce(@HostName, ''),
           @Status, @ProxyPort, NULL, @StartTime, @IAmAliveTime
    FROM bumped
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM added)
$q$),

-- Changes a silo's status, suspicions and liveness and bumps the version, both or neither.
('UpdateMembershipKey', $q$
WITH bumped AS (
    UPDATE orleans_membership_version
    SET version = version + 1, updated_at = now()
    WHERE deployment_id = @DeploymentId
      AND version = @Version
      AND EXISTS (
          SELECT 1 FROM orleans_membership
          WHERE deployment_id = @DeploymentId AND address = @Address
            AND port = @Port AND generation = @Generation)
    RETURNING deployment_id
), changed AS (
    UPDATE orleans_membership AS m
    SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = @IAmAliveTime
    FROM bumped
    WHERE m.deployment_id = bumped.deployment_id AND m.address = @Address
      AND m.port = @Port AND m.generation = @Generation
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM changed)
$q$),

-- Liveness heartbeat: no version change (Orleans does not treat it as a membership change).
('UpdateIAmAlivetimeKey', $q$
UPDATE orleans_membership
SET i_am_alive_time = @IAmAliveTime
WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
$q$),

-- One silo's row; always one row (the version) even when the silo has none (then StartTime is NULL).
('MembershipReadRowKey', $q$
SELECT v.version AS "Version",
       m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
       m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status",
       m.proxy_port AS "ProxyPort", m.suspect_times AS "SuspectTimes",
       m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime"
FROM orleans_membership_version AS v
LEFT JOIN orleans_membership AS m
       ON m.deployment_id = v.deployment_id AND m.address = @Address
      AND m.port = @Port AND m.generation = @Generation
WHERE v.deployment_id = @DeploymentId
$q$),

-- Every silo's row with the version on each; one row with NULLs when there are no silos.
('MembershipReadAllKey', $q$
SELECT v.version AS "Version",
       m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
       m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status",
       m.proxy_port AS "ProxyPort", m.suspect_times AS "SuspectTimes",
       m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime"
FROM orleans_membership_version AS v
LEFT JOIN orleans_membership AS m ON m.deployment_id = v.deployment_id
WHERE v.deployment_id = @DeploymentId
$q$),

-- The gateways a client may use: silos in @Status (Active) with a gateway port.
('GatewaysQueryKey', $q$
SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
FROM orleans_membership
WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0
$q$),

-- Removes the cluster: its version row and (by cascade) every silo row.
('DeleteMembershipTableEntriesKey', $q$
DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId
$q$),

-- Removes dead silos (SiloStatus.Dead = 6) not alive since @IAmAliveTime.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleans_membership
WHERE deployment_id = @DeploymentId AND status = 6 AND i_am_alive_time < @IAmAliveTime
$q$),

-- 10.4.2 prefers this key when present: it reads all rows, picks the dead ones older than the
-- cut-off itself and deletes each one with its values as read (@Address, @Port, @Generation,
-- @StartTime, @IAmAliveTime, @SuspectTimes). Deleted only if it is still dead and has not
-- reported since.
('CleanupDefunctSiloEntryKey', $q$
DELETE FROM orleans_membership
WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
  AND status = 6 AND i_am_alive_time <= @IAmAliveTime
$q$),

-- ---- reminders ----------------------------------------------------------------------------------

('ReadReminderRowsKey', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_id = @GrainId
$q$),

('ReadReminderRowKey', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
$q$),

-- (begin, end] when begin < end in signed order.
('ReadRangeRows1Key', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash
$q$),

-- (begin, end] wrapping past the largest int; begin = end is the whole ring.
('ReadRangeRows2Key', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)
$q$),

-- Inserts or replaces a reminder and returns its new ETag (wraps rather than overflows).
('UpsertReminderRowKey', $q$
INSERT INTO orleans_reminders AS r (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
SET start_time = excluded.start_time,
    period_ms  = excluded.period_ms,
    grain_hash = excluded.grain_hash,
    version    = CASE WHEN r.version = 2147483647 THEN 0 ELSE r.version + 1 END
RETURNING r.version AS "Version"
$q$),

-- Deletes a reminder if its ETag still matches; true if deleted.
('DeleteReminderRowKey', $q$
WITH removed AS (
    DELETE FROM orleans_reminders
    WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
      AND version = @Version
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM removed)
$q$),

('DeleteReminderRowsKey', $q$
DELETE FROM orleans_reminders WHERE service_id = @ServiceId
$q$)

ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
