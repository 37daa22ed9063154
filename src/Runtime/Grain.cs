using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Governance.Runtime.Activation;
using Governance.Runtime.Storage;

namespace Governance.Runtime;

/// <summary>
/// Base class of grains with persistent state. <see cref="State"/> is an immutable snapshot, so
/// read-only methods may run outside a turn. It is replaced after a write has committed, or by
/// <see cref="KeepUnsaved"/> with state that is not stored yet: read-only methods see that state
/// too, and after a crash it is back only once the grain rebuilt it.
/// </summary>
public abstract class Grain<TState> : IGrainLifecycle
    where TState : class
{
    private GrainContext? _context;
    private volatile TState? _state;
    private long _etag;
    private bool _unsaved;
    private bool _unsavedLost;

    /// <summary>The grain's key.</summary>
    protected string GrainKey => Context.Id.Key;

    /// <summary>
    /// The current state: the last committed one (or the empty state when nothing was ever written),
    /// or one kept unsaved by <see cref="KeepUnsaved"/>.
    /// </summary>
    protected TState State => _state ?? throw new InvalidOperationException("The grain is not activated.");

    /// <summary>True when the grain has stored state.</summary>
    protected bool HasStoredState => Volatile.Read(ref _etag) != 0;

    /// <summary>The ETag of the stored state (0 when never written).</summary>
    protected long ETag => Volatile.Read(ref _etag);

    /// <summary>Source-generated serialization metadata of the state record.</summary>
    protected abstract JsonTypeInfo<TState> StateTypeInfo { get; }

    private GrainContext Context => _context ?? throw new InvalidOperationException("The grain is not bound to an activation.");

    /// <summary>The state of a grain that has never been written.</summary>
    protected abstract TState CreateEmptyState();

    /// <summary>The listing projection stored beside the state (see <see cref="GrainWrite"/>).</summary>
    protected virtual (string? Label, DateTimeOffset? Deadline) Project(TState state) => (null, null);

    /// <summary>Called once after the state is loaded, inside the first turn.</summary>
    protected virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Persists <paramref name="state"/> with its ledger entries and reminder changes in one
    /// transaction, then makes it the current snapshot. Throws before changing anything when the
    /// store refuses the write.
    /// </summary>
    protected async Task WriteStateAsync(
        TState state,
        IReadOnlyList<LedgerRecord> ledger,
        IReadOnlyList<ReminderChange> reminders,
        CancellationToken cancellationToken = default)
    {
        var (label, deadline) = Project(state);
        var json = JsonSerializer.Serialize(state, StateTypeInfo);
        var write = new GrainWrite(json, _etag, ledger, reminders, label, deadline);
        var newETag = await Context.Storage.WriteAsync(Context.Id, write, cancellationToken);
        Volatile.Write(ref _etag, newETag);
        _state = state;
        _unsaved = false;
    }

    /// <summary>
    /// Makes <paramref name="state"/> the current snapshot without writing it; the next
    /// <see cref="WriteStateAsync"/> or <see cref="SaveUnsavedStateAsync"/> writes it. Only for state
    /// the grain can rebuild (for example by a stream's replay): a reload after a failed write drops
    /// it (see <see cref="TakeUnsavedStateLost"/>). The runtime never collects an activation that
    /// holds unsaved state.
    /// </summary>
    protected void KeepUnsaved(TState state)
    {
        _state = state;
        _unsaved = true;
    }

    /// <summary>Writes the state kept by <see cref="KeepUnsaved"/>, if any.</summary>
    protected Task SaveUnsavedStateAsync(CancellationToken cancellationToken = default) =>
        _unsaved ? WriteStateAsync(State, [], [], cancellationToken) : Task.CompletedTask;

    /// <summary>Whether a reload dropped unsaved state since the last call (and forgets that it did).</summary>
    protected bool TakeUnsavedStateLost()
    {
        var lost = _unsavedLost;
        _unsavedLost = false;
        return lost;
    }

    /// <summary>Reads committed ledger rows of a chain, oldest first.</summary>
    protected Task<IReadOnlyList<LedgerRecord>> ReadLedgerAsync(
        string chainId, long afterSeq, int limit, CancellationToken cancellationToken = default) =>
        Context.Storage.ReadLedgerAsync(chainId, afterSeq, limit, cancellationToken);

    // Until the grain learnt of a loss, collecting it would forget the loss too.
    bool IGrainLifecycle.HasUnsavedState => _unsaved || _unsavedLost;

    bool IGrainLifecycle.KeepsActivation => HasStoredState || _unsaved || _unsavedLost;

    void IGrainLifecycle.Bind(GrainContext context) => _context = context;

    async Task IGrainLifecycle.LoadAsync(bool activate, CancellationToken cancellationToken)
    {
        var stored = await Context.Storage.ReadAsync(Context.Id, cancellationToken);
        if (_unsaved)
        {
            _unsavedLost = true;
            _unsaved = false;
        }

        _state = stored is null
            ? CreateEmptyState()
            : JsonSerializer.Deserialize(stored.Json, StateTypeInfo)
                ?? throw new InvalidOperationException($"Stored state of {Context.Id} is null.");
        Volatile.Write(ref _etag, stored?.ETag ?? 0);
        if (activate)
        {
            await OnActivateAsync(cancellationToken);
        }
    }
}
