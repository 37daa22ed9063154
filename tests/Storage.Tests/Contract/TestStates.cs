namespace Governance.Storage.Tests.Contract;

/// <summary>Grain ids and grain states for driving an <c>IGrainStorage</c> directly, as Orleans would.</summary>
public static class TestStates
{
    public static GrainId NewGrain(string purpose) => GrainId.Create("storage-test-" + purpose, Guid.NewGuid().ToString("N"));

    /// <summary>The chain of the test grain's ledger rows: its key.</summary>
    public static string ChainOf(GrainId grain) => grain.Key.ToString()!;

    public static TestGrainState Empty() => new();

    /// <summary>A state of <paramref name="grain"/> that holds <paramref name="etag"/> and stages <paramref name="value"/> with <paramref name="ledger"/>.</summary>
    public static TestGrainState Staged(
        string? etag, TestValue value, IReadOnlyList<LedgerRecord>? ledger = null, string? label = null, DateTimeOffset? deadline = null)
    {
        var state = Empty();
        state.ETag = etag;
        state.RecordExists = etag is not null;
        state.State.Stage(value, ledger ?? [], label, deadline);
        return state;
    }

    public static LedgerRecord Row(GrainId grain, long seq, string? text = null) =>
        new(ChainOf(grain), seq, text ?? $"{{\"seq\":{seq},\"text\":  \"kept as written\"}}", $"hash-{seq}");
}
