-- Durable streams: one log per (namespace, partition), ordered by seq.
-- stream_heads holds each log's last seq; an append takes that row's lock until commit, so seqs
-- become visible in order and a consumer reading past its checkpoint never skips one.

CREATE TABLE stream_heads (
    namespace text NOT NULL,
    partition int NOT NULL,
    head      bigint NOT NULL,
    PRIMARY KEY (namespace, partition)
);

CREATE TABLE stream_events (
    namespace   text NOT NULL,
    partition   int NOT NULL,
    seq         bigint NOT NULL,
    stream_key  text NOT NULL,
    payload     text NOT NULL,
    appended_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (namespace, partition, seq)
);

-- The last seq each consumer finished, per partition.
CREATE TABLE stream_checkpoints (
    consumer  text NOT NULL,
    namespace text NOT NULL,
    partition int NOT NULL,
    seq       bigint NOT NULL,
    PRIMARY KEY (consumer, namespace, partition)
);
