-- Poison stream events set aside: an event whose delivery kept failing is recorded here (with its
-- payload and the last error) before the consumer's checkpoint passes it, so auditors can see it and
-- retention may delete the event itself. One record per consumer and event. Never deleted.
CREATE TABLE IF NOT EXISTS stream_set_aside (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consumer     text NOT NULL,
    namespace    text NOT NULL,
    partition    int NOT NULL,
    seq          bigint NOT NULL,
    stream_key   text COLLATE "C" NOT NULL,
    payload      text NOT NULL,
    appended_at  timestamptz NOT NULL,
    error        text NOT NULL,
    attempts     int NOT NULL,
    set_aside_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (consumer, namespace, partition, seq)
);

-- The auditors' listing: by namespace, or by namespace and key, in id order.
CREATE INDEX IF NOT EXISTS stream_set_aside_namespace_ix ON stream_set_aside (namespace, id);
CREATE INDEX IF NOT EXISTS stream_set_aside_key_ix ON stream_set_aside (namespace, stream_key, id);
