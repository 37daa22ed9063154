using Governance.Storage;

namespace Governance.Grains;

/// <summary>
/// Base of the grains whose state and evidence commit together through the <c>governance</c> grain
/// storage. <see cref="State"/> is an immutable snapshot of the last committed state (or the empty
/// state when nothing is stored), replaced only after a write commits, so interleaved queries never
/// see a half-done command. A failed write deactivates the grain: the next call reloads what is
/// stored. A grain with nothing stored keeps no activation once its call is done.
/// </summary>
public abstract class GovernedGrain<TState> : Grain, IIncomingGrainCallFilter
    where TState : class
{
    private readonly IPersistentState<EvidencedState<TState>> _storage;
    private readonly ILedgerReader _ledger;
    private TState? _state;

    protected GovernedGrain(IPersistentState<EvidencedState<TState>> storage, ILedgerReader ledger)
    {
        _storage = storage;
        _ledger = ledger;
    }

    /// <summary>The grain's key.</summary>
    protected string GrainKey => this.GetPrimaryKeyString();

    protected TState State => Volatile.Read(ref _state) ?? throw new InvalidOperationException("The grain is not activated.");

    /// <summary>True once the grain's state is stored.</summary>
    protected bool HasStoredState => _storage.RecordExists;

    /// <summary>The version of the stored state (0 when never written).</summary>
    protected long ETag => long.TryParse(_storage.Etag, out var etag) ? etag : 0;

    /// <summary>The state of a grain that has never been written.</summary>
    protected abstract TState CreateEmptyState();

    /// <summary>The listing columns stored beside the state.</summary>
    protected virtual (string? Label, DateTimeOffset? Deadline) Project(TState state) => (null, null);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _state, _storage.State.Value ?? CreateEmptyState());
        return Task.CompletedTask;
    }

    /// <summary>
    /// Commits <paramref name="state"/> with its ledger rows in one transaction (ETag-checked), then
    /// makes it the current snapshot. On failure nothing changes here and the grain deactivates.
    /// </summary>
    protected async Task WriteStateAsync(TState state, IReadOnlyList<LedgerRecord> ledger)
    {
        var (label, deadline) = Project(state);
        _storage.State.Stage(state, ledger, label, deadline);
        try
        {
            await _storage.WriteStateAsync();
        }
        catch
        {
            // The outcome may be unknown (a lost connection after the commit): only a reload knows.
            DeactivateOnIdle();
            throw;
        }

        Volatile.Write(ref _state, state);
    }

    /// <summary>Reads committed ledger rows of a chain, oldest first.</summary>
    protected Task<IReadOnlyList<LedgerRecord>> ReadLedgerAsync(string chainId, long afterSeq, int limit) =>
        _ledger.ReadAsync(chainId, afterSeq, limit, CancellationToken.None);

    async Task IIncomingGrainCallFilter.Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        finally
        {
            if (!HasStoredState)
            {
                DeactivateOnIdle();
            }
        }
    }
}
