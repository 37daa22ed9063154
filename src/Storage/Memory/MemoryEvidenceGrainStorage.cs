using System.Text.Json;
using Orleans.Storage;

namespace Governance.Storage.Memory;

/// <summary>
/// The memory twin of <see cref="Postgres.PostgresGrainStorage"/>, on a <see cref="MemoryEvidenceStore"/>:
/// the same row keys, ETags ("1", "2", ...), conflicts (<see cref="InconsistentStateException"/>),
/// append-only ledger and all-or-nothing writes, without a database. For the embedded default and tests.
/// </summary>
/// <remarks>State JSON is kept as serialized (PostgreSQL's jsonb would normalise it).</remarks>
public sealed class MemoryEvidenceGrainStorage : IGrainStorage, IGovernanceStorageHealth
{
    private readonly MemoryEvidenceStore _store;
    private readonly JsonSerializerOptions _serializerOptions;

    public MemoryEvidenceGrainStorage(MemoryEvidenceStore store, GovernanceStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _serializerOptions = options.SerializerOptions;
        _serializerOptions.MakeReadOnly(populateMissingResolver: true);
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var state = GrainStateRows.Evidenced(grainState, grainId);
        var (type, key) = GrainStateRows.RowKey(grainId);
        if (_store.Read(type, key) is not { } row)
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
            return Task.CompletedTask;
        }

        state.LoadValue(row.Json, _serializerOptions);
        grainState.ETag = GrainStateRows.FormatETag(row.ETag);
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var state = GrainStateRows.Evidenced(grainState, grainId);
        var (type, key) = GrainStateRows.RowKey(grainId);
        var expected = GrainStateRows.ExpectedETag(grainState.ETag, grainId, GovernanceStorageNames.GrainStorage);
        var json = state.SerializeValue(_serializerOptions);
        var (applied, etag) = _store.TryWrite(type, key, expected, json, [.. state.PendingLedger], state.Label, state.Deadline);
        if (!applied)
        {
            throw GrainStateRows.Conflict(grainId, expected, etag);
        }

        grainState.ETag = GrainStateRows.FormatETag(etag);
        grainState.RecordExists = true;
        state.ClearPendingLedger();
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
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
        var (applied, stored) = _store.TryDelete(type, key, expected);
        if (!applied)
        {
            throw GrainStateRows.Conflict(grainId, expected, stored);
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    public Task CheckHealthAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
