using Governance.Grains.Calls;

namespace Governance.Grains;

/// <summary>
/// Which principal owns one Ed25519 public key, cluster-wide: keyed by the lowercase hex SHA-256 of
/// the key's 32 bytes, so one activation decides every claim on that key, one at a time. Called by
/// the approver keys grains only, before they store a key.
/// </summary>
[Alias("gov.IPublicKeyIndexGrain")]
public interface IPublicKeyIndexGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records <paramref name="principal"/> as the owner of <paramref name="publicKey"/>, for good
    /// (revoking the key does not release it). A claim by the owner again is a no-op; a claim by
    /// anyone else is refused with <c>key_exists</c> naming <c>public_key</c>.
    /// </summary>
    [ClusterOnly, Alias("Claim")]
    Task Claim(string principal, byte[] publicKey);
}
