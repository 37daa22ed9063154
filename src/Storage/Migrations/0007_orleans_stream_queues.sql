-- The log of our Orleans queue adapter (src/Storage/Streams): per stream provider, a fixed number of
-- Orleans queues, each an ordered log. A stream (namespace, key) always lands in the same queue
-- (the key's partition of 0002, modulo the queue count), so its events keep their order.
--
-- Seqs come from ONE sequence shared by every queue, taken while the appender holds its queue's head
-- row (stream_queue_heads) until commit: within a queue, seqs become visible in commit order, so a
-- receiver reading past its position never skips one, and a stream's seqs strictly increase. The
-- sequence starts above every seq the old per-partition log (0002) gave, since consumers remember the
-- last seq they applied.

CREATE SEQUENCE IF NOT EXISTS stream_queue_seq AS bigint;

-- One row per (provider, queue): the row appenders lock, and the count of events appended (for lag
-- and monitoring; the newest seq is max(seq) of the queue's events).
CREATE TABLE IF NOT EXISTS stream_queue_heads (
    provider text NOT NULL,
    queue_id int NOT NULL,
    appended bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (provider, queue_id)
) WITH (fillfactor = 50);

CREATE TABLE IF NOT EXISTS stream_queue_events (
    provider    text NOT NULL,
    queue_id    int NOT NULL,
    seq         bigint NOT NULL,
    namespace   text NOT NULL,
    stream_key  text COLLATE "C" NOT NULL,
    payload     text NOT NULL,
    appended_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, queue_id, seq)
);

-- The last seq of each queue whose delivery Orleans confirmed (it only moves forward). Apart from the
-- head rows so a checkpoint write never waits behind an append holding the head row.
CREATE TABLE IF NOT EXISTS stream_queue_checkpoints (
    provider text NOT NULL,
    queue_id int NOT NULL,
    seq      bigint NOT NULL,
    PRIMARY KEY (provider, queue_id)
) WITH (fillfactor = 50);

-- Upgrade from the old log. The drift stream's provider ('drift') starts with the default 8 queues;
-- events of the old log that its consumer 'drift-monitor' had not finished move into the new log, in
-- their order, renumbered above the old log's highest seq.
INSERT INTO stream_queue_heads (provider, queue_id)
SELECT 'drift', q FROM generate_series(0, 7) AS q
ON CONFLICT DO NOTHING;

INSERT INTO stream_queue_checkpoints (provider, queue_id, seq)
SELECT 'drift', q, 0 FROM generate_series(0, 7) AS q
ON CONFLICT DO NOTHING;

INSERT INTO stream_queue_events (provider, queue_id, seq, namespace, stream_key, payload, appended_at)
SELECT 'drift', e.partition % 8,
       (SELECT COALESCE(max(head), 0) FROM stream_heads) + row_number() OVER (ORDER BY e.partition, e.seq),
       e.namespace, e.stream_key, e.payload, e.appended_at
FROM stream_events e
LEFT JOIN stream_checkpoints c
    ON c.consumer = 'drift-monitor' AND c.namespace = e.namespace AND c.partition = e.partition
WHERE e.namespace = 'drift' AND e.seq > COALESCE(c.seq, 0);

UPDATE stream_queue_heads h SET appended = m.n
FROM (SELECT queue_id, count(*) AS n FROM stream_queue_events WHERE provider = 'drift' GROUP BY queue_id) m
WHERE h.provider = 'drift' AND h.queue_id = m.queue_id;

-- The next seq is above the old log's heads and above the events moved.
SELECT setval('stream_queue_seq', GREATEST(
    (SELECT COALESCE(max(head), 0) FROM stream_heads),
    (SELECT COALESCE(max(seq), 0) FROM stream_queue_events)) + 1, false);
