using System.Text.Json;

namespace Governance.Storage;

/// <summary>
/// What the <c>governance</c> grain storage needs of a grain state (<see cref="EvidencedState{TValue}"/>):
/// the value as JSON, the ledger rows to append in the same transaction as the state row, and the
/// listing columns of that row.
/// </summary>
public interface IEvidencedState
{
    /// <summary>False until a value was set or read: nothing is stored for the grain.</summary>
    bool HasValue { get; }

    /// <summary>Ledger rows the next write appends, in the same transaction as the state row.</summary>
    IReadOnlyList<LedgerRecord> PendingLedger { get; }

    /// <summary>The row's <c>label</c> listing column (for a model: its status).</summary>
    string? Label { get; }

    /// <summary>The row's <c>deadline</c> listing column (for a model: the expiry of a live approval).</summary>
    DateTimeOffset? Deadline { get; }

    string SerializeValue(JsonSerializerOptions options);

    void LoadValue(string json, JsonSerializerOptions options);

    /// <summary>Called by the storage once the write that appended <see cref="PendingLedger"/> committed.</summary>
    void ClearPendingLedger();
}
