using System.Net.Sockets;
using Npgsql;
using NpgsqlTypes;

namespace Governance.Storage.Streams;

/// <summary>
/// The SQL of the PostgreSQL stream queues (migration 0007), for one provider. Every failure to reach
/// or use the store surfaces as <see cref="StorageUnavailableException"/>.
/// </summary>
internal sealed class PostgresStreamLog(NpgsqlDataSource dataSource, string provider)
{
    public const string NotificationChannel = "governance_stream_queues";

    // Statement 1 takes the head row lock of each queue appended to (until commit), in queue order so two
    // appends never wait on each other in a cycle: appends of a queue commit one after another, so the seqs
    // they take (statement 2, after every lock is held) become visible in order.
    private const string LockHeadsSql = """
        INSERT INTO stream_queue_heads AS h (provider, queue_id, appended)
        SELECT $1, q.queue_id, q.appended FROM unnest($2::int[], $3::bigint[]) AS q(queue_id, appended) ORDER BY q.queue_id
        ON CONFLICT (provider, queue_id) DO UPDATE SET appended = h.appended + EXCLUDED.appended
        """;

    // The k-th smallest of the seqs taken goes to the k-th event, whatever order nextval ran in.
    private const string InsertSql = """
        INSERT INTO stream_queue_events (provider, queue_id, seq, namespace, stream_key, payload)
        SELECT $1, e.queue_id, s.seq, e.namespace, e.stream_key, e.payload
        FROM unnest($2::int[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS e(queue_id, namespace, stream_key, payload, i)
        JOIN (SELECT g.v AS seq, row_number() OVER (ORDER BY g.v) AS i
              FROM (SELECT nextval('stream_queue_seq') AS v FROM generate_series(1, cardinality($5::text[]))) AS g) AS s
            USING (i)
        """;

    // Sent at commit, to every listening silo, one per queue: "{schema}|{provider}|{queue}".
    private const string NotifySql =
        "SELECT pg_notify('" + NotificationChannel + "', current_schema() || '|' || $1 || '|' || q::text) FROM unnest($2::int[]) AS q";

    private const string ReadSql = """
        SELECT seq, namespace, stream_key, payload, appended_at FROM stream_queue_events
        WHERE provider = $1 AND queue_id = $2 AND seq > $3
        ORDER BY seq
        LIMIT $4
        """;

    private const string ReadOneSql = """
        SELECT seq, namespace, stream_key, payload, appended_at FROM stream_queue_events
        WHERE provider = $1 AND queue_id = $2 AND seq = $3
        """;

    private const string GetCheckpointSql =
        "SELECT seq FROM stream_queue_checkpoints WHERE provider = $1 AND queue_id = $2";

    private const string SaveCheckpointSql = """
        INSERT INTO stream_queue_checkpoints AS c (provider, queue_id, seq) VALUES ($1, $2, $3)
        ON CONFLICT (provider, queue_id) DO UPDATE SET seq = GREATEST(c.seq, EXCLUDED.seq)
        """;

    // Deletes at most $5 of the oldest events at or below the checkpoint appended before $4 (the
    // checkpoint is read in the statement, so an event not yet confirmed is never deleted), then tells
    // whether events below the checkpoint remain (a later cleanup has work to do).
    private const string CleanupSql = """
        WITH k AS (SELECT seq FROM stream_queue_checkpoints WHERE provider = $1 AND queue_id = $2),
        doomed AS (
            SELECT e.seq FROM stream_queue_events e, k
            WHERE e.provider = $1 AND e.queue_id = $2 AND e.seq <= k.seq AND e.appended_at < $3
            ORDER BY e.seq
            LIMIT $4)
        DELETE FROM stream_queue_events e USING doomed d
        WHERE e.provider = $1 AND e.queue_id = $2 AND e.seq = d.seq
        """;

    private const string RemainingSql = """
        SELECT EXISTS (
            SELECT 1 FROM stream_queue_events e, stream_queue_checkpoints k
            WHERE k.provider = $1 AND k.queue_id = $2 AND e.provider = $1 AND e.queue_id = $2 AND e.seq <= k.seq)
        """;

    public string Provider => provider;

    /// <summary>
    /// Appends <paramref name="appends"/> (to any queues) in one transaction; the events of each queue take
    /// seqs in the order given.
    /// </summary>
    public async Task AppendAsync(IReadOnlyList<StreamQueueAppend> appends, CancellationToken cancellationToken)
    {
        var queues = new int[appends.Count];
        var namespaces = new string[appends.Count];
        var keys = new string[appends.Count];
        var payloads = new string[appends.Count];
        var counts = new SortedDictionary<int, long>();
        for (var i = 0; i < appends.Count; i++)
        {
            (queues[i], namespaces[i], keys[i], payloads[i]) = (appends[i].Queue, appends[i].Namespace, appends[i].Key, appends[i].Payload);
            counts[queues[i]] = counts.GetValueOrDefault(queues[i]) + 1;
        }

        var headQueues = counts.Keys.ToArray();
        var headCounts = counts.Values.ToArray();
        await RunAsync($"append {appends.Count} events to {headQueues.Length} queues of stream provider {provider}", async () =>
        {
            // No explicit transaction: the statements of one batch run in one implicit transaction that
            // commits with its single round trip.
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var batch = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand(LockHeadsSql) { Parameters = { Text(provider), IntArray(headQueues), new NpgsqlParameter<long[]> { TypedValue = headCounts } } },
                    new NpgsqlBatchCommand(InsertSql) { Parameters = { Text(provider), IntArray(queues), TextArray(namespaces), TextArray(keys), TextArray(payloads) } },
                    new NpgsqlBatchCommand(NotifySql) { Parameters = { Text(provider), IntArray(headQueues) } },
                },
            };
            await batch.ExecuteNonQueryAsync(cancellationToken);
            return 0;
        }, cancellationToken);
    }

    public Task<List<StreamQueueEvent>> ReadAsync(int queue, long afterSeq, int limit, CancellationToken cancellationToken) =>
        RunAsync($"read stream queue {provider}/{queue}", async () =>
        {
            await using var command = dataSource.CreateCommand(ReadSql);
            command.Parameters.Add(Text(provider));
            command.Parameters.Add(Int(queue));
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterSeq });
            command.Parameters.Add(Int(limit));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var events = new List<StreamQueueEvent>();
            while (await reader.ReadAsync(cancellationToken))
            {
                events.Add(ReadEvent(reader));
            }

            return events;
        }, cancellationToken);

    public Task<StreamQueueEvent?> ReadOneAsync(int queue, long seq, CancellationToken cancellationToken) =>
        RunAsync($"read event {seq} of stream queue {provider}/{queue}", async () =>
        {
            await using var command = dataSource.CreateCommand(ReadOneSql);
            command.Parameters.Add(Text(provider));
            command.Parameters.Add(Int(queue));
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = seq });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? ReadEvent(reader) : null;
        }, cancellationToken);

    public Task<long> GetCheckpointAsync(int queue, CancellationToken cancellationToken) =>
        RunAsync($"read the checkpoint of stream queue {provider}/{queue}", async () =>
        {
            await using var command = dataSource.CreateCommand(GetCheckpointSql);
            command.Parameters.Add(Text(provider));
            command.Parameters.Add(Int(queue));
            return await command.ExecuteScalarAsync(cancellationToken) is long seq ? seq : 0L;
        }, cancellationToken);

    public Task SaveCheckpointAsync(int queue, long seq, CancellationToken cancellationToken) =>
        RunAsync($"save the checkpoint of stream queue {provider}/{queue}", async () =>
        {
            await using var command = dataSource.CreateCommand(SaveCheckpointSql);
            command.Parameters.Add(Text(provider));
            command.Parameters.Add(Int(queue));
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = seq });
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// Deletes up to <paramref name="limit"/> confirmed events appended before <paramref name="appendedBefore"/>.
    /// Returns how many it deleted and whether confirmed events (of any age) remain.
    /// </summary>
    public Task<(int Deleted, bool Remaining)> CleanupAsync(
        int queue, DateTimeOffset appendedBefore, int limit, CancellationToken cancellationToken) =>
        RunAsync($"clean up stream queue {provider}/{queue}", async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var batch = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand(CleanupSql)
                    {
                        Parameters = { Text(provider), Int(queue), new NpgsqlParameter<DateTimeOffset> { TypedValue = appendedBefore.ToUniversalTime() }, Int(limit) },
                    },
                    new NpgsqlBatchCommand(RemainingSql) { Parameters = { Text(provider), Int(queue) } },
                },
            };
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            // The reader starts at the first statement returning rows (the DELETE returns none).
            var remaining = await reader.ReadAsync(cancellationToken) && reader.GetBoolean(0);
            return ((int)batch.BatchCommands[0].RecordsAffected, remaining);
        }, cancellationToken);

    /// <summary>Whether <paramref name="exception"/> means the store could not be reached or failed (not a bug of ours).</summary>
    public static bool IsUnavailable(Exception exception, CancellationToken cancellationToken) =>
        exception is NpgsqlException or IOException or SocketException or TimeoutException
        || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private async Task<T> RunAsync<T>(string what, Func<Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            return await action();
        }
        catch (Exception exception) when (IsUnavailable(exception, cancellationToken))
        {
            throw new StorageUnavailableException($"Could not {what}: {exception.Message}", exception);
        }
    }

    private static StreamQueueEvent ReadEvent(NpgsqlDataReader reader) =>
        new(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4));

    private static NpgsqlParameter<string> Text(string value) => new() { TypedValue = value };

    private static NpgsqlParameter<int> Int(int value) => new() { TypedValue = value };

    private static NpgsqlParameter<int[]> IntArray(int[] values) => new() { TypedValue = values };

    private static NpgsqlParameter<string[]> TextArray(string[] values) =>
        new() { TypedValue = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
}
