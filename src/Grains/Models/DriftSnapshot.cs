using Governance.Grains.Wire;

namespace Governance.Grains.Models;

/// <summary>The latest drift observation recorded on the model, and the stream seq that carried it.</summary>
public sealed record DriftSnapshot(string EventId, long Seq, string ObservedAt, DriftResult Result, DriftAlert? Alert);
