namespace Governance.Grains.Wire;

/// <summary>How far a drift monitor got: observations applied and the last stream seq.</summary>
[GenerateSerializer, Immutable, Alias("gov.DriftProgress")]
public sealed record DriftProgress([property: Id(0)] long Observations, [property: Id(1)] long LastSeq);
