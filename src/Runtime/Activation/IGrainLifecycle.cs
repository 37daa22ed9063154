namespace Governance.Runtime.Activation;

/// <summary>What the runtime needs from a grain instance, kept off the grain's public surface.</summary>
internal interface IGrainLifecycle
{
    void Bind(GrainContext context);

    /// <summary>Loads (or reloads) the stored state; runs the activation hook when <paramref name="activate"/>.</summary>
    Task LoadAsync(bool activate, CancellationToken cancellationToken);

    /// <summary>The grain holds state it has not written: collecting the activation would drop it.</summary>
    bool HasUnsavedState { get; }
}
