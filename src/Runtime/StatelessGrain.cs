using Governance.Runtime.Activation;

namespace Governance.Runtime;

/// <summary>
/// Base class of grains without persistent state: activation reads nothing from storage, and the
/// grain keeps only what it can rebuild (a cache) or asks other grains for.
/// </summary>
public abstract class StatelessGrain : IGrainLifecycle
{
    private GrainContext? _context;

    /// <summary>The grain's key.</summary>
    protected string GrainKey => (_context ?? throw new InvalidOperationException("The grain is not bound to an activation.")).Id.Key;

    /// <summary>Called once when the activation is created, inside its first turn.</summary>
    protected virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    bool IGrainLifecycle.HasUnsavedState => false;

    bool IGrainLifecycle.KeepsActivation => true;

    void IGrainLifecycle.Bind(GrainContext context) => _context = context;

    Task IGrainLifecycle.LoadAsync(bool activate, CancellationToken cancellationToken) =>
        activate ? OnActivateAsync(cancellationToken) : Task.CompletedTask;
}
