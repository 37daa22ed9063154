namespace Governance.Grains.Wire;

/// <summary>How far a drift monitor got: observations applied and the last stream seq.</summary>
public sealed record DriftProgress(long Observations, long LastSeq);
