using Microsoft.Extensions.DependencyInjection;
using System.Security.Cryptography;
using Governance.Storage;

namespace Governance.Grains.Keys;

/// <summary>
/// The owner of one public key across all principals (see <see cref="IPublicKeyIndexGrain"/>), so one
/// private key never counts as two approvers. Keyed by <see cref="KeyOf"/> of the key.
/// </summary>
[GrainType("public-key")]
public sealed class PublicKeyIndexGrain(
    [PersistentState("state", GovernanceStorageNames.GrainStorage)] IPersistentState<EvidencedState<PublicKeyClaimState>> storage,
    ILedgerReader ledger,
    [FromKeyedServices(GovernanceClock.ServiceKey)] TimeProvider clock)
    : GovernedGrain<PublicKeyClaimState>(storage, ledger), IPublicKeyIndexGrain
{
    /// <summary>The grain key of a public key: the lowercase hex SHA-256 of its bytes.</summary>
    public static string KeyOf(ReadOnlySpan<byte> publicKey) => Convert.ToHexStringLower(SHA256.HashData(publicKey));

    protected override PublicKeyClaimState CreateEmptyState() => new(PublicKeyClaimState.CurrentSchemaVersion, null, null, null);

    public async Task Claim(string principal, byte[] publicKey)
    {
        if (KeyOf(publicKey) != GrainKey)
        {
            throw new ArgumentException($"The public key does not hash to this index entry ({GrainKey}).", nameof(publicKey));
        }

        if (State.Principal is { } owner)
        {
            if (owner != principal)
            {
                throw new GovernanceException(ErrorCodes.KeyExists, "This public key is already registered to another principal.", "public_key");
            }

            return;
        }

        await WriteStateAsync(State with { Principal = principal, PublicKey = Convert.ToBase64String(publicKey), ClaimedAt = clock.GetUtcNow() }, []);
    }
}
