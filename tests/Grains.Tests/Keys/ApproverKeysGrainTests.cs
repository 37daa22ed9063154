using Governance.Grains.Ledger;
using Governance.Grains.Tests.Models;
using Governance.Grains.Wire;
using static Governance.Grains.Tests.Models.TestModels;

namespace Governance.Grains.Tests.Keys;

/// <summary>Key ids are unique per principal forever (DESIGN §5.7).</summary>
[Trait("Category", "Unit")]
public class ApproverKeysGrainTests
{
    [Fact]
    public async Task Re_registering_the_same_key_is_a_no_op_and_another_key_or_a_revoked_id_is_key_exists()
    {
        await using var runtime = new GovernanceTestRuntime();
        var keys = runtime.Grains.GetGrain<IApproverKeysGrain>(Alice);
        var publicKey = new KeyRegistrationRequest(Convert.ToBase64String(KeyPair(Alice).PublicKey));
        var otherKey = new KeyRegistrationRequest(Convert.ToBase64String(KeyPair(Alice, "k2").PublicKey));

        Assert.True((await keys.RegisterKey(As(Alice), KeyId, publicKey)).Created);
        Assert.False((await keys.RegisterKey(As(Alice), KeyId, publicKey)).Created);
        var replaced = await Assert.ThrowsAsync<GovernanceException>(() => keys.RegisterKey(As(Alice), KeyId, otherKey));
        await keys.RevokeKey(As(Alice), KeyId);
        var reused = await Assert.ThrowsAsync<GovernanceException>(() => keys.RegisterKey(As(Alice), KeyId, publicKey));

        Assert.Equal(ErrorCodes.KeyExists, replaced.Code);
        Assert.Equal(ErrorCodes.KeyExists, reused.Code);
        var entries = (await keys.GetEvidence(0, 10)).Entries;
        Assert.Equal([LedgerEvents.KeyRegistered, LedgerEvents.KeyRevoked], entries.Select(e => e.GetProperty("event").GetString()));
        Assert.True((await keys.VerifyEvidence()).Valid);
    }
}
