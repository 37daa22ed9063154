using Governance.Runtime.Storage;

namespace Governance.Runtime.Activation;

/// <summary>
/// The single in-memory instance of one grain: its turn lock, its instance once loaded, and when it
/// was last used. One turn runs at a time; read-only calls bypass the turn once the state is loaded.
/// </summary>
internal sealed class GrainActivation(GrainId id)
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private object? _grain;
    private volatile bool _ready;
    private volatile bool _stale;
    private volatile bool _deactivated;
    private long _lastUsed;

    public GrainId Id { get; } = id;

    public bool IsDeactivated => _deactivated;

    public long LastUsed => Volatile.Read(ref _lastUsed);

    /// <summary>The loaded grain, when a call may run against its snapshot without a turn.</summary>
    public object? ReadyGrain => _ready && !_stale && !_deactivated ? _grain : null;

    public void Touch(long timestamp) => Volatile.Write(ref _lastUsed, timestamp);

    public Task EnterTurnAsync(CancellationToken cancellationToken) => _turn.WaitAsync(cancellationToken);

    public bool TryEnterTurn() => _turn.Wait(0);

    public void ExitTurn() => _turn.Release();

    /// <summary>Inside a turn: creates and loads the grain, or reloads a stale one.</summary>
    public async Task<object> EnsureLoadedAsync(Func<GrainId, object> create, IGrainStorage storage, CancellationToken cancellationToken)
    {
        if (_grain is null)
        {
            var grain = create(Id);
            var lifecycle = (IGrainLifecycle)grain;
            lifecycle.Bind(new GrainContext(Id, storage));
            await lifecycle.LoadAsync(activate: true, cancellationToken);
            _grain = grain;
            _ready = true;
        }
        else if (_stale)
        {
            await ((IGrainLifecycle)_grain).LoadAsync(activate: false, cancellationToken);
            _stale = false;
        }

        return _grain;
    }

    /// <summary>The in-memory state may differ from the store (a conflict or an unacknowledged write).</summary>
    public void MarkStale() => _stale = true;

    /// <summary>Inside a turn: no further calls reach this instance.</summary>
    public void MarkDeactivated() => _deactivated = true;

    /// <summary>A loaded grain with nothing stored or unsaved: its activation need not stay.</summary>
    public bool HoldsNothing => _grain is IGrainLifecycle { KeepsActivation: false };

    /// <summary>The grain holds state it has not written yet.</summary>
    public bool HoldsUnsavedState => _grain is IGrainLifecycle { HasUnsavedState: true };
}
