using Governance.Grains.Wire;
using Governance.Runtime;

namespace Governance.Grains;

/// <summary>A grain that owns one evidence chain.</summary>
public interface IEvidenceGrain : IGrainWithStringKey
{
    /// <summary>Entries with seq greater than <paramref name="afterSeq"/>, oldest first.</summary>
    [ReadOnly]
    Task<EvidencePage> GetEvidence(long afterSeq, int limit);

    /// <summary>Recomputes the whole chain and compares it with the head stored in the grain's state.</summary>
    Task<ChainVerification> VerifyEvidence();
}
