using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Governance.Storage.Serialization;

namespace Governance.Storage;

/// <summary>
/// The persistent state of a grain kept by the <c>governance</c> grain storage: an immutable value
/// (stored as JSON in the state row) plus, for the next write only, the ledger rows and listing
/// columns that commit with it.
/// </summary>
public sealed class EvidencedState<TValue> : IEvidencedState
    where TValue : class
{
    private IReadOnlyList<LedgerRecord> _pendingLedger = [];

    /// <summary>The stored value; null when nothing was ever written.</summary>
    public TValue? Value { get; private set; }

    public bool HasValue => Value is not null;

    public IReadOnlyList<LedgerRecord> PendingLedger => _pendingLedger;

    public string? Label { get; private set; }

    public DateTimeOffset? Deadline { get; private set; }

    /// <summary>Stages the value to write with its ledger rows and listing columns.</summary>
    public void Stage(TValue value, IReadOnlyList<LedgerRecord> ledger, string? label, DateTimeOffset? deadline)
    {
        Value = value;
        _pendingLedger = ledger;
        Label = label;
        Deadline = deadline;
    }

    public string SerializeValue(JsonSerializerOptions options) =>
        JsonSerializer.Serialize(Value ?? throw new InvalidOperationException("No value to store."), TypeInfo(options));

    public void LoadValue(string json, JsonSerializerOptions options)
    {
        using var repeats = SharedStrings.BeginState();
        Value = JsonSerializer.Deserialize(json, TypeInfo(options))
            ?? throw new InvalidOperationException($"The stored {typeof(TValue).Name} is null.");
        _pendingLedger = [];
    }

    public void ClearPendingLedger() => _pendingLedger = [];

    private static JsonTypeInfo<TValue> TypeInfo(JsonSerializerOptions options) =>
        (JsonTypeInfo<TValue>)options.GetTypeInfo(typeof(TValue));
}
