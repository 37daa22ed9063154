using Npgsql;

namespace Governance.Storage.Streams;

/// <summary>
/// Events set aside, in <c>stream_set_aside</c> (migration 0004). The partition recorded is the
/// event's queue in the PostgreSQL stream provider <paramref name="provider"/>; <c>appended_at</c> comes
/// from the event's row in the log while it is still there, else it is the time of setting aside.
/// </summary>
public sealed class PostgresStreamSetAside(
    NpgsqlDataSource dataSource, string provider = GovernanceStorageNames.StreamProvider, int queueCount = 8) : IStreamSetAside
{
    private const string SetAsideSql = """
        INSERT INTO stream_set_aside (consumer, namespace, partition, seq, stream_key, payload, appended_at, error, attempts)
        VALUES ($1, $2, $3, $4, $5, $6,
                COALESCE((SELECT appended_at FROM stream_queue_events WHERE provider = $9 AND queue_id = $3 AND seq = $4), now()),
                $7, $8)
        ON CONFLICT (consumer, namespace, partition, seq) DO NOTHING
        """;

    private const string Columns =
        "SELECT id, consumer, namespace, partition, seq, stream_key, payload, appended_at, error, attempts, set_aside_at FROM stream_set_aside ";

    private const string ListSql = Columns + "WHERE namespace = $1 AND id > $2 ORDER BY id LIMIT $3";

    private const string ListOfKeySql = Columns + "WHERE namespace = $1 AND id > $2 AND stream_key = $4 ORDER BY id LIMIT $3";

    public async Task SetAsideAsync(
        string consumer, string streamNamespace, string key, long seq, string payload, string error, int attempts,
        CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand(SetAsideSql);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = consumer });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamNamespace });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = PostgresStreamQueueMapper.QueueOf(key, queueCount) });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = seq });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = payload });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = error });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = attempts });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = provider });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception exception) when (PostgresStreamLog.IsUnavailable(exception, cancellationToken))
        {
            throw new StorageUnavailableException(
                $"Could not set aside event {seq} of stream {streamNamespace}/{key} for {consumer}: {exception.Message}", exception);
        }
    }

    public async Task<IReadOnlyList<SetAsideEvent>> ListAsync(
        string streamNamespace, string? key, long afterId, int limit, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand(key is null ? ListSql : ListOfKeySql);
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
        catch (Exception exception) when (PostgresStreamLog.IsUnavailable(exception, cancellationToken))
        {
            throw new StorageUnavailableException($"Could not list the events set aside in {streamNamespace}: {exception.Message}", exception);
        }
    }
}
