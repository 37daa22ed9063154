using Governance.Storage;

namespace Governance.Grains;

/// <summary>
/// Base of the grains whose state and evidence commit together through the <c>governance</c> grain
/// storage. <see cref="State"/> is an immutable snapshot of the last committed state (or the empty
/// state when nothing is stored), replaced only after a write commits, so interleaved queries never
/// see a half-done command. A failed write deactivates the grain: the next call reloads what is
/// stored. A grain with nothing stored keeps no activation once its call is done.
/// <para>
/// A grain may also keep changes it can be given again unsaved (<see cref="KeepUnsaved"/>): they become
/// the snapshot at once and are written with the next write, by <see cref="SaveUnsavedAsync"/>, or at
/// deactivation. While it holds such changes a failed write does not deactivate the grain (that would
/// drop them): the next call first reads the stored state again and applies them to it
/// (<see cref="Rebase"/>).
/// </para>
/// </summary>
public abstract class GovernedGrain<TState> : Grain, IIncomingGrainCallFilter
    where TState : class
{
    private readonly IPersistentState<EvidencedState<TState>> _storage;
    private readonly ILedgerReader _ledger;
    private TState? _state;
    private bool _unsaved;
    private bool _reloadNeeded;
    private Task? _reload;

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

    /// <summary>True while the snapshot holds changes that are not written yet.</summary>
    protected bool HasUnsavedState => _unsaved;

    /// <summary>The version of the stored state (0 when never written).</summary>
    protected long ETag => long.TryParse(_storage.Etag, out var etag) ? etag : 0;

    /// <summary>The state of a grain that has never been written.</summary>
    protected abstract TState CreateEmptyState();

    /// <summary>The listing columns stored beside the state.</summary>
    protected virtual (string? Label, DateTimeOffset? Deadline) Project(TState state) => (null, null);

    /// <summary>
    /// The state to go on from after the stored one was read again while unsaved changes were held:
    /// <paramref name="stored"/> with those changes applied (those it already holds skipped).
    /// </summary>
    protected virtual TState Rebase(TState stored) => stored;

    /// <summary>Unsaved changes could not be written at deactivation: they are gone from this activation.</summary>
    protected virtual void OnUnsavedStateLost(Exception exception)
    {
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _state, _storage.State.Value ?? CreateEmptyState());
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (!_unsaved)
        {
            return;
        }

        try
        {
            await SaveUnsavedAsync();
        }
#pragma warning disable CA1031 // Deactivation goes on; the grain says what it lost.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            OnUnsavedStateLost(exception);
        }
    }

    /// <summary>
    /// Makes <paramref name="state"/> the snapshot without writing it. Only for changes that come again
    /// if they are lost with the activation (a stream delivers again what its checkpoint did not pass):
    /// they carry no ledger rows, and the listing columns are written with them later.
    /// </summary>
    protected void KeepUnsaved(TState state)
    {
        Volatile.Write(ref _state, state);
        _unsaved = true;
    }

    /// <summary>Writes the unsaved changes, if any.</summary>
    protected async Task SaveUnsavedAsync()
    {
        if (!_unsaved)
        {
            return;
        }

        await ReloadIfNeededAsync();
        await WriteStateAsync(State, []);
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
            // The outcome may be unknown (a lost connection after the commit): only a reload knows. With
            // unsaved changes the activation stays and reloads itself, so they are not dropped.
            if (_unsaved)
            {
                _reloadNeeded = true;
            }
            else
            {
                DeactivateOnIdle();
            }

            throw;
        }

        Volatile.Write(ref _state, state);
        _unsaved = false;
    }

    /// <summary>After a failed write with unsaved changes: one read of the stored state, shared by the calls that wait for it.</summary>
    private Task ReloadIfNeededAsync()
    {
        if (!_reloadNeeded)
        {
            return Task.CompletedTask;
        }

        if (_reload is not { IsCompleted: false })
        {
            _reload = ReloadAsync();
        }

        return _reload;

        async Task ReloadAsync()
        {
            await _storage.ReadStateAsync();
            Volatile.Write(ref _state, Rebase(_storage.State.Value ?? CreateEmptyState()));
            _reloadNeeded = false;
        }
    }

    /// <summary>Reads committed ledger rows of a chain, oldest first.</summary>
    protected Task<IReadOnlyList<LedgerRecord>> ReadLedgerAsync(string chainId, long afterSeq, int limit) =>
        _ledger.ReadAsync(chainId, afterSeq, limit, CancellationToken.None);

    async Task IIncomingGrainCallFilter.Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await ReloadIfNeededAsync();
            await context.Invoke();
        }
        finally
        {
            if (!HasStoredState && !_unsaved)
            {
                DeactivateOnIdle();
            }
        }
    }
}
