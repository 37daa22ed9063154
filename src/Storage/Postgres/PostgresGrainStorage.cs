using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Orleans.Storage;
using static Governance.Storage.Postgres.PostgresParameters;

namespace Governance.Storage.Postgres;

/// <summary>
/// The <c>governance</c> grain storage on PostgreSQL: a grain's state row (table <c>grain_state</c>,
/// ETag-checked) and the ledger rows its state staged (table <c>ledger</c>, append-only) commit in one
/// transaction, or nothing does. The state type must implement <see cref="IEvidencedState"/>
/// (<see cref="EvidencedState{TValue}"/>).
/// </summary>
/// <remarks>
/// <para>
/// Rows are keyed by (<c>grainId.Type</c>, <c>grainId.Key</c>) as strings, e.g. ("model", "m1"); the
/// state name is not part of the key, so a grain keeps at most one state in this storage. ETags are
/// the row's <c>etag</c> bigint as a decimal string: "1" after the first write, one more per write.
/// </para>
/// <para>
/// Concurrent writes of different grains share one transaction (group commit), each keeping its own
/// ETag check; when any write of such a batch is refused the batch is rolled back and its writes
/// are retried one by one, so a conflict only ever fails its own write.
/// </para>
/// <para>
/// Outcomes of a write: success (the new ETag is set and the pending ledger cleared, only after the
/// commit); <see cref="InconsistentStateException"/> when the stored ETag differs from the expected one,
/// the row exists for a first write, or a ledger row's (chain_id, seq) is taken or leaves a gap in its
/// chain (nothing changed); <see cref="StorageUnavailableException"/> when the server cannot be reached
/// or fails (nothing acknowledged: the write may or may not have committed, and the next write with
/// the old ETag tells); <see cref="OperationCanceledException"/> for the caller's own cancellation
/// (likewise unacknowledged); any other <see cref="PostgresException"/> is a refusal of the data
/// (a bug) and propagates as it is.
/// </para>
/// <para>
/// State is stored as <c>jsonb</c> and reads back as equivalent JSON (keys and whitespace normalised);
/// ledger entries are <c>text</c> and read back exactly. Instants are stored as <c>timestamptz</c>
/// (microseconds).
/// </para>
/// <para>
/// <see cref="ClearStateAsync{T}(string, GrainId, IGrainState{T})"/> deletes the state row under the same
/// ETag check and leaves the grain's ledger rows in place (they are append-only); it refuses a state
/// with pending ledger rows, which could not be appended without a state.
/// </para>
/// </remarks>
public sealed class PostgresGrainStorage : IGrainStorage, IGovernanceStorageHealth, IAsyncDisposable
{
    private const string ReadStateSql = "SELECT state, etag FROM grain_state WHERE grain_type = $1 AND grain_key = $2";

    private const string ReadETagSql = "SELECT etag FROM grain_state WHERE grain_type = $1 AND grain_key = $2";

    // First write: the row must not exist yet. ON CONFLICT DO NOTHING reports 0 rows when it does.
    private const string InsertStateSql = """
        INSERT INTO grain_state (grain_type, grain_key, partition, etag, state, label, deadline)
        VALUES ($1, $2, $3, 1, $4, $5, $6)
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

    // All ledger rows of a batch in one statement. A repeated (chain_id, seq) violates the primary key
    // (23505); a row is inserted only when its seq is at most the chain's stored max plus its rank among
    // the batch's rows of that chain (so a gap, or a seq below 1, inserts fewer rows than given). Both
    // are conflicts, as in the memory twin; with distinct seqs this is exactly the one-row-at-a-time
    // rule "seq <= max(seq) + 1".
    private const string InsertLedgerSql = """
        INSERT INTO ledger (chain_id, seq, partition, entry, entry_hash)
        SELECT u.chain_id, u.seq, u.partition, u.entry, u.entry_hash
        FROM (
            SELECT r.*, row_number() OVER (PARTITION BY r.chain_id ORDER BY r.seq) AS chain_rank
            FROM unnest($1::text[], $2::bigint[], $3::integer[], $4::text[], $5::text[]) AS r(chain_id, seq, partition, entry, entry_hash)
        ) AS u
        WHERE u.seq >= 1
          AND u.seq <= COALESCE((SELECT max(l.seq) FROM ledger l WHERE l.chain_id = u.chain_id), 0) + u.chain_rank
        """;

    private const string DeleteStateSql = "DELETE FROM grain_state WHERE grain_type = $1 AND grain_key = $2 AND etag = $3";

    private readonly NpgsqlDataSource _dataSource;
    private readonly JsonSerializerOptions _serializerOptions;
    private readonly PostgresWriteBatcher _batcher;

    public PostgresGrainStorage(NpgsqlDataSource dataSource, GovernanceStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        _dataSource = dataSource;
        _serializerOptions = options.SerializerOptions;
        _serializerOptions.MakeReadOnly(populateMissingResolver: true);
        _batcher = new PostgresWriteBatcher(this);
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var state = GrainStateRows.Evidenced(grainState, grainId);
        var (type, key) = GrainStateRows.RowKey(grainId);
        string json;
        long etag;
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(ReadStateSql, connection) { Parameters = { Text(type), Text(key) } };
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                grainState.ETag = null;
                grainState.RecordExists = false;
                return;
            }

            json = reader.GetString(0);
            etag = reader.GetInt64(1);
        }
        catch (Exception exception) when (PostgresFailures.IsUnavailable(exception, cancellationToken))
        {
            throw PostgresFailures.Unavailable($"read the state of {grainId}", exception);
        }

        state.LoadValue(json, _serializerOptions);
        grainState.ETag = GrainStateRows.FormatETag(etag);
        grainState.RecordExists = true;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var state = GrainStateRows.Evidenced(grainState, grainId);
        var (type, key) = GrainStateRows.RowKey(grainId);
        var expected = GrainStateRows.ExpectedETag(grainState.ETag, grainId, GovernanceStorageNames.GrainStorage);
        var write = new PostgresStateWrite(
            grainId, type, key, expected, state.SerializeValue(_serializerOptions), [.. state.PendingLedger], state.Label, state.Deadline);

        var etag = await _batcher.WriteAsync(write, cancellationToken);

        // Committed: only now does the grain see its new ETag and lose its pending ledger rows.
        grainState.ETag = GrainStateRows.FormatETag(etag);
        grainState.RecordExists = true;
        state.ClearPendingLedger();
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var state = GrainStateRows.Evidenced(grainState, grainId);
        if (state.PendingLedger.Count > 0)
        {
            throw new InvalidOperationException(
                $"Grain {grainId} clears its state with {state.PendingLedger.Count} ledger rows pending: ledger rows commit only with a state write.");
        }

        var (type, key) = GrainStateRows.RowKey(grainId);
        var expected = GrainStateRows.ExpectedETag(grainState.ETag, grainId, GovernanceStorageNames.GrainStorage);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            if (expected == 0)
            {
                // Nothing was stored as far as the grain knows: a row someone else wrote is a conflict.
                if (await ReadETagAsync(connection, type, key, cancellationToken) is { } stored)
                {
                    throw GrainStateRows.Conflict(grainId, expected, stored);
                }
            }
            else
            {
                await using var delete = new NpgsqlCommand(DeleteStateSql, connection) { Parameters = { Text(type), Text(key), BigInt(expected) } };
                if (await delete.ExecuteNonQueryAsync(cancellationToken) != 1)
                {
                    throw GrainStateRows.Conflict(grainId, expected, await ReadETagAsync(connection, type, key, cancellationToken));
                }
            }
        }
        catch (Exception exception) when (PostgresFailures.IsUnavailable(exception, cancellationToken))
        {
            throw PostgresFailures.Unavailable($"clear the state of {grainId}", exception);
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    public async Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
        }
        catch (Exception exception) when (PostgresFailures.IsUnavailable(exception, cancellationToken))
        {
            throw PostgresFailures.Unavailable("check health", exception);
        }
    }

    /// <summary>Stops taking writes and waits for those queued to finish.</summary>
    public ValueTask DisposeAsync() => _batcher.DisposeAsync();

    /// <summary>One write in its own transaction; a stale ETag or a taken ledger seq is a conflict.</summary>
    /// <returns>The new ETag.</returns>
    internal async Task<long> WriteAloneAsync(PostgresStateWrite write, CancellationToken cancellationToken)
    {
        try
        {
            if (!await TryWriteTogetherAsync([write], cancellationToken))
            {
                throw GrainStateRows.Conflict(write.GrainId, write.ExpectedETag, await StoredETagAsync(write, cancellationToken));
            }

            return write.ExpectedETag + 1;
        }
        catch (Exception exception) when (PostgresFailures.IsUnavailable(exception, cancellationToken))
        {
            throw PostgresFailures.Unavailable($"write the state of {write.GrainId}", exception);
        }
    }

    /// <summary>
    /// Applies the writes of different grains in one transaction (one commit for all), each with its
    /// own ETag check. Commits and returns true only when every write applied; otherwise rolls back
    /// everything and returns false, and the caller retries them one by one.
    /// </summary>
    internal async Task<bool> TryWriteTogetherAsync(IReadOnlyList<PostgresStateWrite> writes, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);

        // BEGIN is not a round trip of its own: Npgsql sends it with the batch.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        var mustWriteOneRow = new List<NpgsqlBatchCommand>();

        // In key order, though the plan decides the order rows are locked in: two batches that
        // deadlock on shared rows are both rolled back below, and their writes go one by one.
        var updates = writes.Where(w => w.ExpectedETag != 0)
            .OrderBy(w => w.GrainType, StringComparer.Ordinal).ThenBy(w => w.GrainKey, StringComparer.Ordinal).ToList();
        var updateStates = updates.Count > 0 ? UpdateStatesCommand(updates) : null;
        if (updateStates is not null)
        {
            batch.BatchCommands.Add(updateStates);
        }

        foreach (var write in writes)
        {
            if (write.ExpectedETag == 0)
            {
                var insert = new NpgsqlBatchCommand(InsertStateSql)
                {
                    Parameters =
                    {
                        Text(write.GrainType),
                        Text(write.GrainKey),
                        Int(write.Partition),
                        Jsonb(write.StateJson),
                        NullableText(write.Label),
                        NullableInstant(write.Deadline),
                    },
                };
                batch.BatchCommands.Add(insert);
                mustWriteOneRow.Add(insert);
            }

        }

        var ledgerRows = writes.Sum(w => w.Ledger.Count);
        var insertLedger = ledgerRows > 0 ? InsertLedgerCommand(writes, ledgerRows) : null;
        if (insertLedger is not null)
        {
            batch.BatchCommands.Add(insertLedger);
        }

        bool applied;
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);

            // Each state write and each ledger row must have written exactly one row.
            applied = mustWriteOneRow.All(command => command.RecordsAffected == 1)
                && (updateStates is null || updateStates.RecordsAffected == updates.Count)
                && (insertLedger is null || insertLedger.RecordsAffected == ledgerRows);
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
        return true;
    }

    /// <summary>The row's ETag for a conflict's message, or null when there is no row or it cannot be read.</summary>
    private async Task<long?> StoredETagAsync(PostgresStateWrite write, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            return await ReadETagAsync(connection, write.GrainType, write.GrainKey, cancellationToken);
        }
        catch (Exception exception) when (PostgresFailures.IsUnavailable(exception, cancellationToken))
        {
            return null;
        }
    }

    private static async Task<long?> ReadETagAsync(NpgsqlConnection connection, string type, string key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(ReadETagSql, connection) { Parameters = { Text(type), Text(key) } };
        return await command.ExecuteScalarAsync(cancellationToken) is long etag ? etag : null;
    }

    private static NpgsqlBatchCommand InsertLedgerCommand(IReadOnlyList<PostgresStateWrite> writes, int rows)
    {
        var chains = new string[rows];
        var seqs = new long[rows];
        var partitions = new int[rows];
        var entries = new string[rows];
        var hashes = new string[rows];
        var i = 0;
        foreach (var write in writes)
        {
            foreach (var entry in write.Ledger)
            {
                chains[i] = entry.ChainId;
                seqs[i] = entry.Seq;
                partitions[i] = write.Partition;
                entries[i] = entry.EntryJson;
                hashes[i] = entry.EntryHash;
                i++;
            }
        }

        return new NpgsqlBatchCommand(InsertLedgerSql)
        {
            Parameters =
            {
                new NpgsqlParameter<string[]> { TypedValue = chains, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                new NpgsqlParameter<long[]> { TypedValue = seqs },
                new NpgsqlParameter<int[]> { TypedValue = partitions },
                new NpgsqlParameter<string[]> { TypedValue = entries, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                new NpgsqlParameter<string[]> { TypedValue = hashes, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
            },
        };
    }

    private static NpgsqlBatchCommand UpdateStatesCommand(List<PostgresStateWrite> updates)
    {
        var types = new string[updates.Count];
        var keys = new string[updates.Count];
        var etags = new long[updates.Count];
        var states = new string[updates.Count];
        var labels = new string?[updates.Count];
        var deadlines = new DateTimeOffset?[updates.Count];
        for (var i = 0; i < updates.Count; i++)
        {
            var write = updates[i];
            types[i] = write.GrainType;
            keys[i] = write.GrainKey;
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
}
