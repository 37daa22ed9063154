namespace Governance.Grains.Wire;

/// <summary>The latest drift observation of a model, its result and the alert it raised (if drifted).</summary>
public sealed record DriftView(string EventId, string ObservedAt, DriftResult Result, DriftAlert? Alert);
