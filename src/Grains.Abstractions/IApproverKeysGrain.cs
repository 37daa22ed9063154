using Governance.Grains.Wire;
using Governance.Runtime;

namespace Governance.Grains;

/// <summary>The registered Ed25519 keys of one approver principal, keyed by principal.</summary>
public interface IApproverKeysGrain : IEvidenceGrain
{
    Task<KeyRegistrationResult> RegisterKey(Caller caller, string keyId, KeyRegistrationRequest request);

    Task<KeyView> RevokeKey(Caller caller, string keyId);

    [ReadOnly]
    Task<KeyView?> GetKey(string keyId);
}
