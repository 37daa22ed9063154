namespace Governance.Runtime.Activation;

/// <summary>What the runtime needs from a grain instance, kept off the grain's public surface.</summary>
internal interface IGrainLifecycle
{
    void Bind(GrainContext context);

    /// <summary>Loads (or reloads) the stored state; runs the activation hook when <paramref name="activate"/>.</summary>
    Task LoadAsync(bool activate, CancellationToken cancellationToken);

    /// <summary>
    /// The grain holds state it has not written, or has not learnt yet that a reload dropped such
    /// state: collecting the activation would drop the state, or the news of its loss.
    /// </summary>
    bool HasUnsavedState { get; }

    /// <summary>
    /// False for a grain with nothing stored and nothing unsaved (an id nobody wrote): the runtime drops
    /// its activation after each turn, so unknown ids cost no memory.
    /// </summary>
    bool KeepsActivation { get; }
}
