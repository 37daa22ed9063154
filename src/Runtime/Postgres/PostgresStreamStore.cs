using Governance.Runtime.Streams;
using Npgsql;
using NpgsqlTypes;

namespace Governance.Runtime.Postgres;

/// <summary>
/// Stream logs in PostgreSQL. An append batch is one transaction and one round trip: it bumps the
/// head row of each partition (holding its lock until commit, so seqs commit in order), inserts the
/// events, and sends a notification that wakes consumers on every silo once the batch commits.
/// </summary>
public sealed class PostgresStreamStore(NpgsqlDataSource dataSource) : IStreamStore
{
    public const string NotificationChannel = "governance_streams";

    // One statement per namespace, whatever the partitions: it bumps the head row of each partition
    // by its count (in partition order, so concurrent appenders cannot deadlock) and numbers each
    // event by its position within its partition in this batch, after the old head. Returns each
    // partition's new head.
    private const string AppendSql = """
        WITH heads AS (
            INSERT INTO stream_heads AS h (namespace, partition, head)
            SELECT $1, c.partition, c.n FROM unnest($2::int[], $3::bigint[]) AS c(partition, n) ORDER BY c.partition
            ON CONFLICT (namespace, partition) DO UPDATE SET head = h.head + EXCLUDED.head
            RETURNING partition, head),
        inserted AS (
            INSERT INTO stream_events (namespace, partition, seq, stream_key, payload)
            SELECT $1, e.partition, hd.head - c.n + e.position, e.stream_key, e.payload
            FROM unnest($4::int[], $5::bigint[], $6::text[], $7::text[]) AS e(partition, position, stream_key, payload)
            JOIN unnest($2::int[], $3::bigint[]) AS c(partition, n) USING (partition)
            JOIN heads hd USING (partition))
        SELECT partition, head FROM heads
        """;

    // Payload "{schema}|{namespace}|{partition},{partition},…"; at most this many partitions each (payloads stay < 8000 bytes).
    private const int PartitionsPerNotification = 500;

    private const string NotifySql = "SELECT pg_notify('" + NotificationChannel + "', current_schema() || '|' || $1 || '|' || $2)";

    // One query for every partition of a delivery round: per partition, the events after its position.
    private const string ReadSql = """
        SELECT e.partition, e.stream_key, e.seq, e.payload, e.appended_at
        FROM unnest($2::int[], $3::bigint[]) AS f(partition, after_seq)
        CROSS JOIN LATERAL (
            SELECT partition, stream_key, seq, payload, appended_at FROM stream_events
            WHERE namespace = $1 AND partition = f.partition AND seq > f.after_seq
            ORDER BY seq
            LIMIT $4) AS e
        ORDER BY e.partition, e.seq
        """;

    private const string GetCheckpointsSql =
        "SELECT partition, seq FROM stream_checkpoints WHERE consumer = $1 AND namespace = $2 AND partition = ANY($3)";

    private const string SaveCheckpointsSql = """
        INSERT INTO stream_checkpoints (consumer, namespace, partition, seq)
        SELECT $1, $2, t.partition, t.seq FROM unnest($3::int[], $4::bigint[]) AS t(partition, seq)
        ORDER BY t.partition
        ON CONFLICT (consumer, namespace, partition) DO UPDATE SET seq = GREATEST(stream_checkpoints.seq, EXCLUDED.seq)
        """;

    private const string PendingSql = """
        SELECT h.partition FROM stream_heads h
        LEFT JOIN stream_checkpoints c
            ON c.consumer = $1 AND c.namespace = h.namespace AND c.partition = h.partition
        WHERE h.namespace = $2 AND h.partition = ANY($3) AND h.head > COALESCE(c.seq, 0)
        """;

    private const string SetAsideSql = """
        INSERT INTO stream_set_aside (consumer, namespace, partition, seq, stream_key, payload, appended_at, error, attempts)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        ON CONFLICT (consumer, namespace, partition, seq) DO NOTHING
        """;

    private const string SetAsideColumns =
        "SELECT id, consumer, namespace, partition, seq, stream_key, payload, appended_at, error, attempts, set_aside_at FROM stream_set_aside ";

    private const string ListSetAsideSql = SetAsideColumns + "WHERE namespace = $1 AND id > $2 ORDER BY id LIMIT $3";

    private const string ListSetAsideOfKeySql = SetAsideColumns + "WHERE namespace = $1 AND id > $2 AND stream_key = $4 ORDER BY id LIMIT $3";

    // Per partition, the floor is the lowest checkpoint over the consumers (the given ones and every
    // one with a checkpoint in the namespace; no checkpoint counts as 0). Only when the partition's
    // oldest event below its floor is old enough are up to $5 events from it on deleted: a partition
    // with nothing to delete costs one index probe, and one statement deletes a bounded number.
    private const string DeleteCheckpointedSql = """
        WITH consumers AS (
            SELECT u.consumer FROM unnest($2::text[]) AS u(consumer)
            UNION
            SELECT consumer FROM stream_checkpoints WHERE namespace = $1),
        floors AS (
            SELECT p.partition, MIN(COALESCE(k.seq, 0)) AS seq
            FROM unnest($3::int[]) AS p(partition)
            CROSS JOIN consumers c
            LEFT JOIN stream_checkpoints k ON k.consumer = c.consumer AND k.namespace = $1 AND k.partition = p.partition
            GROUP BY p.partition),
        oldest AS (
            SELECT f.partition, f.seq AS floor, o.seq AS first
            FROM floors f
            CROSS JOIN LATERAL (
                SELECT seq, appended_at FROM stream_events
                WHERE namespace = $1 AND partition = f.partition AND seq <= f.seq
                ORDER BY seq
                LIMIT 1) AS o
            WHERE o.appended_at < $4)
        DELETE FROM stream_events e USING oldest o
        WHERE e.namespace = $1 AND e.partition = o.partition
            AND e.seq BETWEEN o.first AND LEAST(o.floor, o.first + $5 - 1)
            AND e.appended_at < $4
        """;

    public async Task<IReadOnlyList<StreamPosition>> AppendAsync(IReadOnlyList<StreamAppend> appends, CancellationToken cancellationToken)
    {
        if (appends.Count == 0)
        {
            return [];
        }

        var byNamespace = appends
            .Select((append, index) => (append, index))
            .GroupBy(item => item.append.Namespace, StringComparer.Ordinal)
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => NamespaceAppend.Of(group.Key, [.. group]))
            .ToList();
        try
        {
            // No explicit transaction: the statements of one batch run in one implicit transaction,
            // which commits with the batch's single round trip.
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var batch = new NpgsqlBatch(connection);
            foreach (var append in byNamespace)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(AppendSql)
                {
                    Parameters =
                    {
                        new NpgsqlParameter<string> { TypedValue = append.Namespace },
                        new NpgsqlParameter<int[]> { TypedValue = [.. append.Counts.Keys] },
                        new NpgsqlParameter<long[]> { TypedValue = [.. append.Counts.Values] },
                        new NpgsqlParameter<int[]> { TypedValue = [.. append.Items.Select(i => i.Append.Partition)] },
                        new NpgsqlParameter<long[]> { TypedValue = append.PositionsInPartition },
                        new NpgsqlParameter<string[]> { TypedValue = [.. append.Items.Select(i => i.Append.Key)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                        new NpgsqlParameter<string[]> { TypedValue = [.. append.Items.Select(i => i.Append.Payload)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                    },
                });
            }

            foreach (var append in byNamespace)
            {
                foreach (var chunk in append.Counts.Keys.Chunk(PartitionsPerNotification))
                {
                    batch.BatchCommands.Add(new NpgsqlBatchCommand(NotifySql)
                    {
                        Parameters =
                        {
                            new NpgsqlParameter<string> { TypedValue = append.Namespace },
                            new NpgsqlParameter<string> { TypedValue = string.Join(',', chunk) },
                        },
                    });
                }
            }

            var positions = new StreamPosition[appends.Count];
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
            {
                foreach (var append in byNamespace)
                {
                    var heads = new Dictionary<int, long>();
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        heads[reader.GetInt32(0)] = reader.GetInt64(1);
                    }

                    // As the statement numbered them: new head - count + position within the partition.
                    for (var i = 0; i < append.Items.Count; i++)
                    {
                        var (item, index) = append.Items[i];
                        positions[index] = new StreamPosition(
                            item.Partition, heads[item.Partition] - append.Counts[item.Partition] + append.PositionsInPartition[i]);
                    }

                    await reader.NextResultAsync(cancellationToken);
                }
            }

            return positions;
        }
        catch (Exception exception) when (PostgresStore.IsUnavailable(exception, cancellationToken))
        {
            throw PostgresStore.Unavailable($"append {appends.Count} stream events", exception);
        }
    }

    public async Task<IReadOnlyList<StreamEvent>> ReadAsync(
        string streamNamespace, IReadOnlyList<StreamPosition> after, int limitPerPartition, CancellationToken cancellationToken)
    {
        if (after.Count == 0)
        {
            return [];
        }

        try
        {
            await using var command = dataSource.CreateCommand(ReadSql);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamNamespace });
            command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. after.Select(position => position.Partition)] });
            command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. after.Select(position => position.Seq)] });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limitPerPartition });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var events = new List<StreamEvent>();
            while (await reader.ReadAsync(cancellationToken))
            {
                events.Add(new StreamEvent(
                    streamNamespace, reader.GetString(1), reader.GetInt32(0), reader.GetInt64(2), reader.GetString(3),
                    reader.GetFieldValue<DateTimeOffset>(4)));
            }

            return events;
        }
        catch (Exception exception) when (PostgresStore.IsUnavailable(exception, cancellationToken))
        {
            throw PostgresStore.Unavailable($"read {after.Count} partitions of stream {streamNamespace}", exception);
        }
    }

    public async Task<IReadOnlyDictionary<int, long>> GetCheckpointsAsync(
        string consumer, string streamNamespace, IReadOnlyCollection<int> partitions, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand(GetCheckpointsSql);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = consumer });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamNamespace });
            command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. partitions] });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var checkpoints = new Dictionary<int, long>();
            while (await reader.ReadAsync(cancellationToken))
            {
                checkpoints[reader.GetInt32(0)] = reader.GetInt64(1);
            }

            return checkpoints;
        }
        catch (Exception exception) when (PostgresStore.IsUnavailable(exception, cancellationToken))
        {
            throw PostgresStore.Unavailable($"read the checkpoints of {consumer} in {streamNamespace}", exception);
        }
    }

    public async Task SaveCheckpointsAsync(
        string consumer, string streamNamespace, IReadOnlyList<StreamPosition> positions, CancellationToken cancellationToken)
    {
        if (positions.Count == 0)
        {
            return;
        }

        try
        {
            await using var command = dataSource.CreateCommand(SaveCheckpointsSql);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = consumer });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamNamespace });
            command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. positions.Select(position => position.Partition)] });
            command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. positions.Select(position => position.Seq)] });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception exception) when (PostgresStore.IsUnavailable(exception, cancellationToken))
        {
            throw PostgresStore.Unavailable($"save {positions.Count} checkpoints of {consumer} in {streamNamespace}", exception);
        }
    }

    public async Task<IReadOnlyList<int>> GetPendingPartitionsAsync(
        string consumer, string streamNamespace, IReadOnlyCollection<int> partitions, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand(PendingSql);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = consumer });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamNamespace });
            command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. partitions] });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var pending = new List<int>();
            while (await reader.ReadAsync(cancellationToken))
            {
                pending.Add(reader.GetInt32(0));
            }

            return pending;
        }
        catch (Exception exception) when (PostgresStore.IsUnavailable(exception, cancellationToken))
        {
            throw PostgresStore.Unavailable($"find pending partitions of {consumer} in {streamNamespace}", exception);
        }
    }

    public async Task SetAsideAsync(string consumer, StreamEvent streamEvent, string error, int attempts, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand(SetAsideSql);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = consumer });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamEvent.Namespace });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = streamEvent.Partition });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = streamEvent.Seq });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamEvent.Key });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamEvent.Payload });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = streamEvent.AppendedAt.ToUniversalTime() });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = error });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = attempts });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception exception) when (PostgresStore.IsUnavailable(exception, cancellationToken))
        {
            throw PostgresStore.Unavailable(
                $"set aside stream event {streamEvent.Namespace}/{streamEvent.Partition}/{streamEvent.Seq} of {consumer}", exception);
        }
    }

    public async Task<IReadOnlyList<SetAsideEvent>> ListSetAsideAsync(
        string streamNamespace, string? key, long afterId, int limit, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand(key is null ? ListSetAsideSql : ListSetAsideOfKeySql);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamNamespace });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterId });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
            if (key is not null)
            {
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var page = new List<SetAsideEvent>();
            while (await reader.ReadAsync(cancellationToken))
            {
                page.Add(new SetAsideEvent(
                    reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt64(4), reader.GetString(5),
                    reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(7), reader.GetString(8), reader.GetInt32(9),
                    reader.GetFieldValue<DateTimeOffset>(10)));
            }

            return page;
        }
        catch (Exception exception) when (PostgresStore.IsUnavailable(exception, cancellationToken))
        {
            throw PostgresStore.Unavailable($"list the events set aside in {streamNamespace}", exception);
        }
    }

    public async Task<int> DeleteCheckpointedAsync(
        string streamNamespace, IReadOnlyCollection<string> consumers, IReadOnlyCollection<int> partitions, DateTimeOffset appendedBefore,
        int limitPerPartition, CancellationToken cancellationToken)
    {
        if (partitions.Count == 0)
        {
            return 0;
        }

        try
        {
            await using var command = dataSource.CreateCommand(DeleteCheckpointedSql);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamNamespace });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. consumers], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. partitions] });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = appendedBefore.ToUniversalTime() });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = limitPerPartition });
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception exception) when (PostgresStore.IsUnavailable(exception, cancellationToken))
        {
            throw PostgresStore.Unavailable($"delete checkpointed events of stream {streamNamespace}", exception);
        }
    }

    /// <summary>
    /// The appends of one namespace (with their index in the whole batch), each partition's count
    /// (in partition order, the lock order) and each event's position (1, 2, …) among its partition's.
    /// </summary>
    private sealed record NamespaceAppend(
        string Namespace, IReadOnlyList<(StreamAppend Append, int Index)> Items, SortedDictionary<int, long> Counts, long[] PositionsInPartition)
    {
        public static NamespaceAppend Of(string streamNamespace, IReadOnlyList<(StreamAppend Append, int Index)> items)
        {
            var counts = new SortedDictionary<int, long>();
            var positions = new long[items.Count];
            for (var i = 0; i < items.Count; i++)
            {
                var partition = items[i].Append.Partition;
                positions[i] = counts[partition] = counts.GetValueOrDefault(partition) + 1;
            }

            return new NamespaceAppend(streamNamespace, items, counts, positions);
        }
    }
}
