using System.Net.Sockets;
using System.Text;
using Governance.Runtime.Reminders;
using Governance.Runtime.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Governance.Runtime.Postgres;

/// <summary>
/// Grain storage and reminder table on PostgreSQL, with the same contract as
/// <see cref="Memory.MemoryStore"/>: a write applies its ETag-checked state, ledger rows and
/// reminder changes in one transaction, or nothing. The tables are those of the embedded
/// migrations (see <see cref="PostgresMigrator"/>), in the data source's current schema.
/// </summary>
/// <remarks>
/// <para>
/// Failures reaching or running the server (connection and I/O errors, timeouts, shutdowns,
/// resource exhaustion, transient server errors) surface as <see cref="StorageUnavailableException"/>;
/// a cancelled token surfaces as <see cref="OperationCanceledException"/>; other server errors
/// propagate as <see cref="PostgresException"/>.
/// </para>
/// <para>
/// Timestamps are stored as <c>timestamptz</c>, which keeps microseconds: instants read back are
/// truncated to the microsecond. Every instant this class sends goes through the same conversion,
/// so comparing a value read from the table, or the value originally stored, with the stored row
/// (as <see cref="CompleteAsync"/> does) matches exactly.
/// Reminder periods are stored in whole milliseconds.
/// </para>
/// <para>
/// State is stored as <c>jsonb</c>: it reads back as equivalent JSON, with keys and whitespace
/// normalised, not as the exact text written. Ledger entries are <c>text</c> and read back exactly.
/// Ledger rows carry the partition of the grain whose write appended them.
/// </para>
/// <para>
/// Listings order and page keys under the "C" collation, which is code point order and matches
/// <see cref="string.CompareOrdinal(string, string)"/> except between characters U+E000..U+FFFF and
/// characters beyond U+FFFF (UTF-16 orders the latter's surrogates first). Paging stays consistent
/// either way: ORDER BY and the after-key comparison use the same collation.
/// </para>
/// </remarks>
public sealed class PostgresStore : IGrainStorage, IReminderTable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresWriteBatcher _batcher;

    public PostgresStore(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _batcher = new PostgresWriteBatcher(this);
    }

    /// <summary>The due-reminder query (internal for the index test's EXPLAIN).</summary>
    internal const string DueRemindersSql = """
        SELECT grain_type, grain_key, name, due_at, period_ms
        FROM reminders
        WHERE partition = ANY($1) AND due_at <= $2
        ORDER BY due_at, grain_type COLLATE "C", grain_key COLLATE "C", name COLLATE "C"
        LIMIT $3
        """;

    private const string ReadStateSql = "SELECT state, etag FROM grain_state WHERE grain_type = $1 AND grain_key = $2";

    // First write: the row must not exist yet. ON CONFLICT DO NOTHING reports 0 rows when it does.
    private const string InsertStateSql = """
        INSERT INTO grain_state (grain_type, grain_key, partition, etag, state, label, deadline)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (grain_type, grain_key) DO NOTHING
        """;

    // Later writes, all of a batch in one statement: each row only over the ETag that was read, so
    // fewer rows than writes means one of them moved on.
    private const string UpdateStatesSql = """
        UPDATE grain_state AS g
        SET etag = u.etag + 1, state = u.state, label = u.label, deadline = u.deadline, updated_at = now()
        FROM unnest($1::text[], $2::text[], $3::bigint[], $4::jsonb[], $5::text[], $6::timestamptz[])
            AS u(grain_type, grain_key, etag, state, label, deadline)
        WHERE g.grain_type = u.grain_type AND g.grain_key = u.grain_key COLLATE "C" AND g.etag = u.etag
        """;

    // A repeated (chain_id, seq) violates the primary key (23505); a gap in the chain inserts
    // nothing (0 rows). Both are conflicts, as in MemoryStore.
    private const string InsertLedgerSql = """
        INSERT INTO ledger (chain_id, seq, partition, entry, entry_hash)
        SELECT $1, $2, $3, $4, $5
        WHERE $2 <= COALESCE((SELECT max(l.seq) FROM ledger l WHERE l.chain_id = $1), 0) + 1
        """;

    private const string ReadLedgerSql = """
        SELECT chain_id, seq, entry, entry_hash
        FROM ledger
        WHERE chain_id = $1 AND seq > $2
        ORDER BY seq
        LIMIT $3
        """;

    private const string UpsertReminderSql = """
        INSERT INTO reminders (grain_type, grain_key, name, partition, due_at, period_ms)
        VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (grain_type, grain_key, name)
        DO UPDATE SET partition = EXCLUDED.partition, due_at = EXCLUDED.due_at, period_ms = EXCLUDED.period_ms
        """;

    private const string DeleteReminderSql =
        "DELETE FROM reminders WHERE grain_type = $1 AND grain_key = $2 AND name = $3";

    private const string CompleteOneShotSql =
        "DELETE FROM reminders WHERE grain_type = $1 AND grain_key = $2 AND name = $3 AND due_at = $4";

    private const string CompletePeriodicSql = """
        UPDATE reminders SET due_at = $5, period_ms = $6
        WHERE grain_type = $1 AND grain_key = $2 AND name = $3 AND due_at = $4
        """;

    public async Task<StoredGrainState?> ReadAsync(GrainId grain, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(ReadStateSql, connection)
            {
                Parameters = { Text(grain.Type), Text(grain.Key) },
            };
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? new StoredGrainState(reader.GetString(0), reader.GetInt64(1))
                : null;
        }
        catch (Exception exception) when (IsUnavailable(exception, cancellationToken))
        {
            throw Unavailable("read the state of " + grain, exception);
        }
    }

    public Task<long> WriteAsync(GrainId grain, GrainWrite write, CancellationToken cancellationToken) =>
        _batcher.WriteAsync(grain, write, cancellationToken);

    /// <summary>One write in its own transaction; a stale ETag or a taken ledger seq is a conflict.</summary>
    internal async Task<long> WriteAloneAsync(GrainId grain, GrainWrite write, CancellationToken cancellationToken)
    {
        try
        {
            if (!await TryWriteTogetherAsync([(grain, write)], cancellationToken))
            {
                throw new ETagConflictException(grain, write.ExpectedETag);
            }

            return write.ExpectedETag + 1;
        }
        catch (Exception exception) when (IsUnavailable(exception, cancellationToken))
        {
            throw Unavailable("write the state of " + grain, exception);
        }
    }

    /// <summary>
    /// Applies the writes of different grains in one transaction (one commit for all), each with its
    /// own ETag check. Commits and returns true only when every write applied; otherwise rolls back
    /// everything and returns false, and the caller retries them one by one.
    /// </summary>
    internal async Task<bool> TryWriteTogetherAsync(IReadOnlyList<(GrainId Grain, GrainWrite Write)> writes, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);

        // BEGIN is not a round trip of its own: Npgsql sends it with the batch.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        var mustWriteOneRow = new List<NpgsqlBatchCommand>();
        // In key order, though the plan decides the order rows are locked in: two batches that
        // deadlock on shared rows are both rolled back below, and their writes go one by one.
        var updates = writes.Where(w => w.Write.ExpectedETag != 0)
            .OrderBy(w => w.Grain.Type, StringComparer.Ordinal).ThenBy(w => w.Grain.Key, StringComparer.Ordinal).ToList();
        var updateStates = updates.Count > 0 ? UpdateStatesCommand(updates) : null;
        if (updateStates is not null)
        {
            batch.BatchCommands.Add(updateStates);
        }

        foreach (var (grain, write) in writes)
        {
            if (write.ExpectedETag == 0)
            {
                var insert = InsertStateCommand(grain, write);
                batch.BatchCommands.Add(insert);
                mustWriteOneRow.Add(insert);
            }

            foreach (var entry in write.Ledger)
            {
                var ledger = new NpgsqlBatchCommand(InsertLedgerSql)
                {
                    Parameters =
                    {
                        Text(entry.ChainId),
                        new NpgsqlParameter<long> { TypedValue = entry.Seq },
                        new NpgsqlParameter<int> { TypedValue = grain.Partition },
                        Text(entry.EntryJson),
                        Text(entry.EntryHash),
                    },
                };
                batch.BatchCommands.Add(ledger);
                mustWriteOneRow.Add(ledger);
            }

            foreach (var change in write.Reminders)
            {
                batch.BatchCommands.Add(ReminderCommand(grain, change));
            }
        }

        bool applied;
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);

            // Each state write and each ledger insert must have written exactly one row.
            applied = mustWriteOneRow.All(command => command.RecordsAffected == 1)
                && (updateStates is null || updateStates.RecordsAffected == updates.Count);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation
            || (writes.Count > 1 && exception.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure))
        {
            // A ledger (chain_id, seq) that another write already took, or a lock cycle of a batch with
            // another transaction (written one by one instead; a single write is just unavailable).
            applied = false;
        }

        if (!applied)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }

        // Acknowledged only once the commit succeeded.
        await transaction.CommitAsync(cancellationToken);
        RuntimeMetrics.WriteTransactions.Add(1);
        RuntimeMetrics.GrainWrites.Add(writes.Count);
        return true;
    }

    public async Task<IReadOnlyList<LedgerRecord>> ReadLedgerAsync(
        string chainId, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return [];
        }

        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(ReadLedgerSql, connection)
            {
                Parameters =
                {
                    Text(chainId),
                    new NpgsqlParameter<long> { TypedValue = afterSeq },
                    new NpgsqlParameter<int> { TypedValue = limit },
                },
            };
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<LedgerRecord>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new LedgerRecord(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3)));
            }

            return rows;
        }
        catch (Exception exception) when (IsUnavailable(exception, cancellationToken))
        {
            throw Unavailable("read ledger chain " + chainId, exception);
        }
    }

    public async Task<IReadOnlyList<GrainListing>> ListAsync(GrainListingQuery query, CancellationToken cancellationToken)
    {
        if (query.Limit <= 0)
        {
            return [];
        }

        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = BuildListCommand(query, connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<GrainListing>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new GrainListing(
                    reader.GetString(0),
                    reader.IsDBNull(1) ? null : reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                    reader.GetString(3)));
            }

            return rows;
        }
        catch (Exception exception) when (IsUnavailable(exception, cancellationToken))
        {
            throw Unavailable("list grains of type " + query.GrainType, exception);
        }
    }

    public async Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
        }
        catch (Exception exception) when (IsUnavailable(exception, cancellationToken))
        {
            throw Unavailable("check health", exception);
        }
    }

    public async Task UpsertAsync(GrainId grain, ReminderChange change, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var batch = new NpgsqlBatch(connection) { BatchCommands = { ReminderCommand(grain, change) } };
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception exception) when (IsUnavailable(exception, cancellationToken))
        {
            throw Unavailable($"set reminder {change.Name} of {grain}", exception);
        }
    }

    public async Task<IReadOnlyList<DueReminder>> GetDueAsync(
        IReadOnlyCollection<int> partitions, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        if (partitions.Count == 0 || limit <= 0)
        {
            return [];
        }

        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(DueRemindersSql, connection)
            {
                Parameters =
                {
                    new NpgsqlParameter<int[]> { TypedValue = [.. partitions] },
                    Instant(now),
                    new NpgsqlParameter<int> { TypedValue = limit },
                },
            };
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var due = new List<DueReminder>();
            while (await reader.ReadAsync(cancellationToken))
            {
                due.Add(new DueReminder(
                    new GrainId(reader.GetString(0), reader.GetString(1)),
                    reader.GetString(2),
                    reader.GetFieldValue<DateTimeOffset>(3),
                    reader.IsDBNull(4) ? null : TimeSpan.FromMilliseconds(reader.GetInt64(4))));
            }

            return due;
        }
        catch (Exception exception) when (IsUnavailable(exception, cancellationToken))
        {
            throw Unavailable("fetch due reminders", exception);
        }
    }

    /// <remarks>
    /// The reminder is matched on its stored due time. <see cref="DueReminder.DueAt"/> is a value
    /// read from the table by <see cref="GetDueAsync"/>, already truncated to microseconds, and any
    /// sub-microsecond remainder would be truncated the same way on the way in, so the equality is
    /// exact. A reminder re-registered meanwhile has another due time and is left alone.
    /// </remarks>
    public async Task CompleteAsync(DueReminder reminder, DateTimeOffset? nextDueAt, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(nextDueAt is null ? CompleteOneShotSql : CompletePeriodicSql, connection)
            {
                Parameters = { Text(reminder.Grain.Type), Text(reminder.Grain.Key), Text(reminder.Name), Instant(reminder.DueAt) },
            };
            if (nextDueAt is { } next)
            {
                command.Parameters.Add(Instant(next));
                command.Parameters.Add(PeriodParameter(reminder.Period));
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception exception) when (IsUnavailable(exception, cancellationToken))
        {
            throw Unavailable($"complete reminder {reminder.Name} of {reminder.Grain}", exception);
        }
    }

    /// <summary>
    /// Whether <paramref name="exception"/> means the store could not serve the request (as opposed
    /// to a bug, a constraint the caller violated, or the caller's own cancellation).
    /// </summary>
    internal static bool IsUnavailable(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        PostgresException postgres => postgres.IsTransient || IsUnavailableState(postgres.SqlState),

        // Client-side failures: cannot connect, broken stream, timeout, pool exhausted.
        NpgsqlException => true,
        SocketException or IOException or TimeoutException => true,
        _ => false,
    };

    private static bool IsUnavailableState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) // connection exception
        || sqlState.StartsWith("53", StringComparison.Ordinal) // insufficient resources (disk full, too many connections)
        || sqlState.StartsWith("57P", StringComparison.Ordinal) // admin/crash shutdown, cannot connect now
        || sqlState.StartsWith("58", StringComparison.Ordinal) // system error (I/O)
        || sqlState.StartsWith("XX", StringComparison.Ordinal); // internal error, data or index corrupted

    internal static StorageUnavailableException Unavailable(string operation, Exception exception) =>
        new($"PostgreSQL storage could not {operation}: {exception.Message}", exception);

    private static NpgsqlBatchCommand InsertStateCommand(GrainId grain, GrainWrite write) =>
        new(InsertStateSql)
        {
            Parameters =
            {
                Text(grain.Type),
                Text(grain.Key),
                new NpgsqlParameter<int> { TypedValue = grain.Partition },
                new NpgsqlParameter<long> { TypedValue = 1 },
                new NpgsqlParameter<string> { TypedValue = write.StateJson, NpgsqlDbType = NpgsqlDbType.Jsonb },
                NullableText(write.Label),
                NullableInstant(write.Deadline),
            },
        };

    private static NpgsqlBatchCommand UpdateStatesCommand(List<(GrainId Grain, GrainWrite Write)> updates)
    {
        var types = new string[updates.Count];
        var keys = new string[updates.Count];
        var etags = new long[updates.Count];
        var states = new string[updates.Count];
        var labels = new string?[updates.Count];
        var deadlines = new DateTimeOffset?[updates.Count];
        for (var i = 0; i < updates.Count; i++)
        {
            var (grain, write) = updates[i];
            types[i] = grain.Type;
            keys[i] = grain.Key;
            etags[i] = write.ExpectedETag;
            states[i] = write.StateJson;
            labels[i] = write.Label;
            deadlines[i] = write.Deadline?.ToUniversalTime();
        }

        return new NpgsqlBatchCommand(UpdateStatesSql)
        {
            Parameters =
            {
                new NpgsqlParameter<string[]> { TypedValue = types, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                new NpgsqlParameter<string[]> { TypedValue = keys, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                new NpgsqlParameter<long[]> { TypedValue = etags },
                new NpgsqlParameter<string[]> { TypedValue = states, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb },
                new NpgsqlParameter<string?[]> { TypedValue = labels, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                new NpgsqlParameter<DateTimeOffset?[]> { TypedValue = deadlines, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz },
            },
        };
    }

    private static NpgsqlBatchCommand ReminderCommand(GrainId grain, ReminderChange change) =>
        change.DueAt is { } dueAt
            ? new NpgsqlBatchCommand(UpsertReminderSql)
            {
                Parameters =
                {
                    Text(grain.Type),
                    Text(grain.Key),
                    Text(change.Name),
                    new NpgsqlParameter<int> { TypedValue = grain.Partition },
                    Instant(dueAt),
                    PeriodParameter(change.Period),
                },
            }
            : new NpgsqlBatchCommand(DeleteReminderSql)
            {
                Parameters = { Text(grain.Type), Text(grain.Key), Text(change.Name) },
            };

    private static NpgsqlCommand BuildListCommand(GrainListingQuery query, NpgsqlConnection connection)
    {
        // Only the filters in use appear in the SQL, so each shape gets an index-friendly plan
        // (and its own auto-prepared statement). grain_key is compared and ordered under "C",
        // byte order of UTF-8, which is code point order.
        var command = new NpgsqlCommand { Connection = connection };
        var sql = new StringBuilder("SELECT grain_key, label, deadline, state FROM grain_state WHERE grain_type = $1");
        command.Parameters.Add(Text(query.GrainType));
        if (query.Label is { } label)
        {
            command.Parameters.Add(Text(label));
            sql.Append(" AND label = $").Append(command.Parameters.Count);
        }

        if (query.DeadlineBefore is { } deadlineBefore)
        {
            command.Parameters.Add(Instant(deadlineBefore));
            sql.Append(" AND deadline <= $").Append(command.Parameters.Count);
        }

        if (query.AfterKey is { } afterKey)
        {
            command.Parameters.Add(Text(afterKey));
            sql.Append(" AND grain_key COLLATE \"C\" > $").Append(command.Parameters.Count);
        }

        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.Limit });
        sql.Append(" ORDER BY grain_key COLLATE \"C\" LIMIT $").Append(command.Parameters.Count);
        command.CommandText = sql.ToString();
        return command;
    }

    private static NpgsqlParameter<string> Text(string value) => new() { TypedValue = value };

    private static NpgsqlParameter NullableText(string? value) =>
        new() { Value = value is null ? DBNull.Value : value, NpgsqlDbType = NpgsqlDbType.Text };

    // Npgsql writes timestamptz only from UTC values (offset 0).
    private static NpgsqlParameter<DateTimeOffset> Instant(DateTimeOffset value) =>
        new() { TypedValue = value.ToUniversalTime() };

    private static NpgsqlParameter NullableInstant(DateTimeOffset? value) =>
        new()
        {
            Value = value is { } instant ? instant.ToUniversalTime() : DBNull.Value,
            NpgsqlDbType = NpgsqlDbType.TimestampTz,
        };

    private static NpgsqlParameter PeriodParameter(TimeSpan? period) =>
        new()
        {
            Value = period is { } value ? value.Ticks / TimeSpan.TicksPerMillisecond : DBNull.Value,
            NpgsqlDbType = NpgsqlDbType.Bigint,
        };
}
