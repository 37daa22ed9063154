namespace Governance.Grains.Wire;

/// <summary>The result of recomputing a ledger chain and comparing it with the stored head.</summary>
[GenerateSerializer, Immutable, Alias("gov.ChainVerification")]
public sealed record ChainVerification([property: Id(0)] bool Valid, [property: Id(1)] long Entries, [property: Id(2)] string HeadHash, [property: Id(3)] long? FirstInvalidSeq);
