using Governance.Grains.Calls;
using Governance.Grains.Wire;

namespace Governance.Grains;

/// <summary>A grain that owns one evidence chain.</summary>
[Alias("gov.IEvidenceGrain")]
public interface IEvidenceGrain : IGrainWithStringKey
{
    /// <summary>Entries with seq greater than <paramref name="afterSeq"/>, oldest first.</summary>
    [AlwaysInterleave, RequiresRole(Roles.Auditor, Roles.Admin), Alias("GetEvidence")]
    Task<EvidencePage> GetEvidence(long afterSeq, int limit);

    /// <summary>Recomputes the whole chain and compares it with the head stored in the grain's state.</summary>
    [AlwaysInterleave, RequiresRole(Roles.Auditor, Roles.Admin), Alias("VerifyEvidence")]
    Task<ChainVerification> VerifyEvidence();
}
