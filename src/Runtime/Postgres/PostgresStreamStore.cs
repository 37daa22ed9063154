using Governance.Runtime.Streams;
using Npgsql;
using NpgsqlTypes;

namespace Governance.Runtime.Postgres;

/// <summary>
/// Stream logs in PostgreSQL. An append batch is one transaction: per partition it bumps the head
/// row (holding its lock until commit, so seqs commit in order), inserts the events, and sends a
/// notification that wakes consumers on every silo once the batch commits.
/// </summary>
public sealed class PostgresStreamStore(NpgsqlDataSource dataSource) : IStreamStore
{
    public const string NotificationChannel = "governance_streams";

    private const string AppendSql = """
        WITH head AS (
            INSERT INTO stream_heads AS h (namespace, partition, head) VALUES ($1, $2, $3)
            ON CONFLICT (namespace, partition) DO UPDATE SET head = h.head + EXCLUDED.head
            RETURNING head)
        INSERT INTO stream_events (namespace, partition, seq, stream_key, payload)
        SELECT $1, $2, (SELECT head FROM head) - $3 + t.ord, t.k, t.p
        FROM unnest($4::text[], $5::text[]) WITH ORDINALITY AS t(k, p, ord)
        RETURNING seq
        """;

    private const string NotifySql = "SELECT pg_notify('" + NotificationChannel + "', current_schema() || '|' || $1 || '|' || $2::text)";

    private const string ReadSql = """
        SELECT stream_key, seq, payload, appended_at FROM stream_events
        WHERE namespace = $1 AND partition = $2 AND seq > $3
        ORDER BY seq
        LIMIT $4
        """;

    private const string GetCheckpointSql =
        "SELECT seq FROM stream_checkpoints WHERE consumer = $1 AND namespace = $2 AND partition = $3";

    private const string SaveCheckpointSql = """
        INSERT INTO stream_checkpoints (consumer, namespace, partition, seq) VALUES ($1, $2, $3, $4)
        ON CONFLICT (consumer, namespace, partition) DO UPDATE SET seq = GREATEST(stream_checkpoints.seq, EXCLUDED.seq)
        """;

    private const string PendingSql = """
        SELECT h.partition FROM stream_heads h
        LEFT JOIN stream_checkpoints c
            ON c.consumer = $1 AND c.namespace = h.namespace AND c.partition = h.partition
        WHERE h.namespace = $2 AND h.partition = ANY($3) AND h.head > COALESCE(c.seq, 0)
        """;

    public async Task<IReadOnlyList<StreamPosition>> AppendAsync(IReadOnlyList<StreamAppend> appends, CancellationToken cancellationToken)
    {
        if (appends.Count == 0)
        {
            return [];
        }

        var groups = appends
            .Select((append, index) => (append, index))
            .GroupBy(item => (item.append.Namespace, item.append.Partition))
            .OrderBy(group => group.Key.Namespace, StringComparer.Ordinal)
            .ThenBy(group => group.Key.Partition) // a fixed lock order: concurrent batches cannot deadlock
            .ToList();
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var group in groups)
            {
                var items = group.ToList();
                batch.BatchCommands.Add(new NpgsqlBatchCommand(AppendSql)
                {
                    Parameters =
                    {
                        new NpgsqlParameter<string> { TypedValue = group.Key.Namespace },
                        new NpgsqlParameter<int> { TypedValue = group.Key.Partition },
                        new NpgsqlParameter<long> { TypedValue = items.Count },
                        new NpgsqlParameter<string[]> { TypedValue = [.. items.Select(i => i.append.Key)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                        new NpgsqlParameter<string[]> { TypedValue = [.. items.Select(i => i.append.Payload)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                    },
                });
            }

            foreach (var group in groups)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(NotifySql)
                {
                    Parameters =
                    {
                        new NpgsqlParameter<string> { TypedValue = group.Key.Namespace },
                        new NpgsqlParameter<int> { TypedValue = group.Key.Partition },
                    },
                });
            }

            var positions = new StreamPosition[appends.Count];
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
            {
                foreach (var group in groups)
                {
                    var seqs = new List<long>();
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        seqs.Add(reader.GetInt64(0));
                    }

                    // Seqs of a group follow the items' order: the last is the new head.
                    var head = seqs.Max();
                    var items = group.ToList();
                    for (var i = 0; i < items.Count; i++)
                    {
                        positions[items[i].index] = new StreamPosition(group.Key.Partition, head - items.Count + 1 + i);
                    }

                    await reader.NextResultAsync(cancellationToken);
                }
            }

            await transaction.CommitAsync(cancellationToken);
            return positions;
        }
        catch (Exception exception) when (PostgresStore.IsUnavailable(exception, cancellationToken))
        {
            throw PostgresStore.Unavailable($"append {appends.Count} stream events", exception);
        }
    }

    public async Task<IReadOnlyList<StreamEvent>> ReadAsync(
        string streamNamespace, int partition, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand(ReadSql);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamNamespace });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = partition });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterSeq });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var events = new List<StreamEvent>();
            while (await reader.ReadAsync(cancellationToken))
            {
                events.Add(new StreamEvent(
                    streamNamespace, reader.GetString(0), partition, reader.GetInt64(1), reader.GetString(2),
                    reader.GetFieldValue<DateTimeOffset>(3)));
            }

            return events;
        }
        catch (Exception exception) when (PostgresStore.IsUnavailable(exception, cancellationToken))
        {
            throw PostgresStore.Unavailable($"read stream {streamNamespace}/{partition}", exception);
        }
    }

    public async Task<long> GetCheckpointAsync(string consumer, string streamNamespace, int partition, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand(GetCheckpointSql);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = consumer });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamNamespace });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = partition });
            return await command.ExecuteScalarAsync(cancellationToken) is long seq ? seq : 0;
        }
        catch (Exception exception) when (PostgresStore.IsUnavailable(exception, cancellationToken))
        {
            throw PostgresStore.Unavailable($"read the checkpoint of {consumer} in {streamNamespace}/{partition}", exception);
        }
    }

    public async Task SaveCheckpointAsync(string consumer, string streamNamespace, int partition, long seq, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand(SaveCheckpointSql);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = consumer });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamNamespace });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = partition });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = seq });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception exception) when (PostgresStore.IsUnavailable(exception, cancellationToken))
        {
            throw PostgresStore.Unavailable($"save the checkpoint of {consumer} in {streamNamespace}/{partition}", exception);
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
}
