using Governance.Grains.Calls;
using Governance.Grains.Wire;

namespace Governance.Grains;

/// <summary>The registered Ed25519 keys of one approver principal, keyed by principal.</summary>
[Alias("gov.IApproverKeysGrain")]
public interface IApproverKeysGrain : IEvidenceGrain
{
    [RequiresRole(Roles.Admin), Alias("RegisterKey")]
    Task<KeyRegistrationResult> RegisterKey(string keyId, KeyRegistrationRequest request);

    [RequiresRole(Roles.Admin), Alias("RevokeKey")]
    Task<KeyView> RevokeKey(string keyId);

    /// <summary>The key, or null when the principal has no key of that id.</summary>
    [AlwaysInterleave, Alias("GetKey")]
    Task<KeyView?> GetKey(string keyId);
}
