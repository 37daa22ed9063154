namespace Governance.Grains.Keys;

/// <summary>
/// The persisted owner of one public key (<see cref="PublicKeyIndexGrain"/>): null until claimed.
/// A claim is written before the key is stored in its owner's key ring, so it may outlive a
/// registration whose write then failed; it is never released.
/// </summary>
public sealed record PublicKeyClaimState(int SchemaVersion, string? Principal, string? PublicKey, DateTimeOffset? ClaimedAt)
{
    public const int CurrentSchemaVersion = 1;
}
