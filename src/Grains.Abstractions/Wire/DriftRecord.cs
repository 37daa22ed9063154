namespace Governance.Grains.Wire;

/// <summary>A computed drift result for one stream event (<see cref="Seq"/> orders and deduplicates them).</summary>
public sealed record DriftRecord(string EventId, long Seq, string ObservedAt, DriftResult Result);
