namespace Governance.Client;

/// <summary>
/// A command reached the cluster, or may have, and no answer came back (the silo handling it died or
/// the call timed out): it may have been committed or not. <see cref="GovernanceClient"/> never
/// repeats it; read the model (or its evidence) to learn which, then decide.
/// </summary>
public sealed class GovernanceOutcomeUnknownException(string operation, string target, Exception inner)
    : Exception($"The outcome of {operation} on {target} is unknown: the cluster did not answer ({inner.Message}). Read its state before repeating it.", inner)
{
    public string Operation { get; } = operation;

    /// <summary>The model id, or the principal of a key registration.</summary>
    public string Target { get; } = target;
}
