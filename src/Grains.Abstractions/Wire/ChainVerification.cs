namespace Governance.Grains.Wire;

/// <summary>The result of recomputing a ledger chain and comparing it with the stored head.</summary>
public sealed record ChainVerification(bool Valid, long Entries, string HeadHash, long? FirstInvalidSeq);
