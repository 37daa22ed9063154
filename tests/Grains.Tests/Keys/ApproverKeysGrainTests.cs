using Governance.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using System.Text.Json;
using Governance.Crypto;
using Governance.Grains.Keys;
using Governance.Grains.Ledger;
using Governance.Grains.Tests.Canonical;
using Governance.Grains.Tests.Models;
using Governance.Grains.Wire;
using static Governance.Grains.Tests.Models.TestModels;

namespace Governance.Grains.Tests.Keys;

/// <summary>Key ids are unique per principal forever (DESIGN §5.7), and so is a public key across principals.</summary>
[Trait("Category", "Unit")]
public class ApproverKeysGrainTests
{
    [Fact]
    public async Task Re_registering_the_same_key_is_a_no_op_and_another_key_or_a_revoked_id_is_key_exists()
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync();
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

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0100000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a")]
    [InlineData("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")]
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")]
    public async Task Row8_a_weak_public_key_is_invalid_request_naming_public_key(string hex)
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync();

        var refused = await Assert.ThrowsAsync<GovernanceException>(() => Register(runtime, Alice, KeyId, Convert.FromHexString(hex)));

        Assert.Equal((ErrorCodes.InvalidRequest, "public_key"), (refused.Code, refused.Field));
        Assert.Null(await runtime.Grains.GetGrain<IApproverKeysGrain>(Alice).GetKey(KeyId));
    }

    [Fact]
    public async Task Row9_a_key_stored_verbatim_in_non_canonical_base64_compares_by_its_bytes()
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync();
        var publicKey = KeyPair(Alice).PublicKey;
        var canonical = Convert.ToBase64String(publicKey);
        var verbatim = canonical[..22] + "\n" + CanonicalBase64Tests.WithTrailingBits(canonical, 1)[22..];
        await StoreKeyRingAsync(runtime, Alice, KeyId, verbatim);
        var keys = runtime.Grains.GetGrain<IApproverKeysGrain>(Alice);

        var refused = await Assert.ThrowsAsync<GovernanceException>(() => keys.RegisterKey(As(Alice), KeyId, new KeyRegistrationRequest(verbatim)));
        var repeat = await keys.RegisterKey(As(Alice), KeyId, new KeyRegistrationRequest(canonical));
        var underAnotherId = await Assert.ThrowsAsync<GovernanceException>(() => Register(runtime, Alice, "k2", publicKey));

        Assert.Equal((ErrorCodes.InvalidRequest, "public_key"), (refused.Code, refused.Field));
        Assert.False(repeat.Created);
        Assert.Equal(canonical, repeat.Key.PublicKey);
        Assert.Equal((ErrorCodes.KeyExists, "public_key"), (underAnotherId.Code, underAnotherId.Field));
    }

    [Fact]
    public async Task Row10_a_public_key_belongs_to_one_principal_and_one_key_id_even_after_its_revocation()
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync();
        var publicKey = KeyPair(Alice).PublicKey;

        Assert.True((await Register(runtime, Alice, KeyId, publicKey)).Created);
        var bob = await Assert.ThrowsAsync<GovernanceException>(() => Register(runtime, Bob, KeyId, publicKey));
        var secondId = await Assert.ThrowsAsync<GovernanceException>(() => Register(runtime, Alice, "k2", publicKey));
        Assert.False((await Register(runtime, Alice, KeyId, publicKey)).Created);
        await runtime.Grains.GetGrain<IApproverKeysGrain>(Alice).RevokeKey(As("admin"), KeyId);
        var bobAfterRevocation = await Assert.ThrowsAsync<GovernanceException>(() => Register(runtime, Carol, KeyId, publicKey));
        var aliceAfterRevocation = await Assert.ThrowsAsync<GovernanceException>(() => Register(runtime, Alice, "k3", publicKey));

        Assert.All([bob, secondId, bobAfterRevocation, aliceAfterRevocation], e => Assert.Equal((ErrorCodes.KeyExists, "public_key"), (e.Code, e.Field)));
        Assert.Null(await runtime.Grains.GetGrain<IApproverKeysGrain>(Bob).GetKey(KeyId));
        Assert.Null(await runtime.Grains.GetGrain<IApproverKeysGrain>(Carol).GetKey(KeyId));
    }

    [Fact]
    public async Task Row10_concurrent_registrations_of_one_public_key_by_three_principals_store_it_once()
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync();
        string[] principals = [Alice, Bob, Carol];

        for (var round = 0; round < 20; round++)
        {
            var publicKey = Ed25519.GenerateKeyPair().PublicKey;
            var keyId = $"k-{round}";

            var outcomes = await Task.WhenAll(principals.Select(p => Outcome(Register(runtime, p, keyId, publicKey))));

            Assert.Equal(1, outcomes.Count(o => o == "created"));
            Assert.Equal(2, outcomes.Count(o => o == ErrorCodes.KeyExists));
            var stored = await Task.WhenAll(principals.Select(p => runtime.Grains.GetGrain<IApproverKeysGrain>(p).GetKey(keyId)));
            Assert.Single(stored, k => k is not null);
        }
    }

    [Fact]
    public async Task Row10_a_key_ring_write_that_fails_after_the_claim_leaves_the_key_to_its_principal_whose_retry_stores_it()
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync();
        var publicKey = KeyPair(Alice).PublicKey;
        runtime.FailNextWrites(1, "approver-keys");

        Assert.Equal(ErrorCodes.Unavailable, (await Assert.ThrowsAsync<GovernanceException>(() => Register(runtime, Alice, KeyId, publicKey))).Code);
        var bob = await Assert.ThrowsAsync<GovernanceException>(() => Register(runtime, Bob, KeyId, publicKey));
        var retry = await Register(runtime, Alice, KeyId, publicKey);

        Assert.Equal((ErrorCodes.KeyExists, "public_key"), (bob.Code, bob.Field));
        Assert.True(retry.Created);
        Assert.Null(await runtime.Grains.GetGrain<IApproverKeysGrain>(Bob).GetKey(KeyId));
    }

    [Theory]
    [InlineData(Trainer)]
    [InlineData("admin")]
    [InlineData("nobody")]
    [InlineData("_x")]
    [InlineData("_keys:alice")]
    public async Task Row11_keys_are_registered_for_configured_approvers_only(string principal)
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync();

        var refused = await Assert.ThrowsAsync<GovernanceException>(() => Register(runtime, principal, KeyId, Ed25519.GenerateKeyPair().PublicKey));

        Assert.Equal((ErrorCodes.InvalidRequest, "principal"), (refused.Code, refused.Field));
        Assert.Null(await runtime.Grains.GetGrain<IApproverKeysGrain>(principal).GetKey(KeyId));
    }

    private static Task<KeyRegistrationResult> Register(GovernanceTestRuntime runtime, string principal, string keyId, byte[] publicKey) =>
        runtime.Grains.GetGrain<IApproverKeysGrain>(principal).RegisterKey(As("admin"), keyId, new KeyRegistrationRequest(Convert.ToBase64String(publicKey)));

    private static async Task<string> Outcome(Task<KeyRegistrationResult> registration)
    {
        try
        {
            return (await registration).Created ? "created" : "repeated";
        }
        catch (GovernanceException refused)
        {
            return refused.Code;
        }
    }

    /// <summary>A key ring as registration stored it before issue 9: the public key's text verbatim.</summary>
    private static async Task StoreKeyRingAsync(GovernanceTestRuntime runtime, string principal, string keyId, string publicKeyText)
    {
        var state = new KeyRingState(
            KeyRingState.CurrentSchemaVersion, principal,
            new Dictionary<string, ApproverKeyRecord>(StringComparer.Ordinal) { [keyId] = new(publicKeyText, "admin", T0, null, null) },
            0, LedgerChain.GenesisHash);
        var stored = new EvidencedState<KeyRingState>();
        stored.Stage(state, [], null, null);
        await runtime.SiloServices.GetRequiredKeyedService<IGrainStorage>(GovernanceStorageNames.GrainStorage)
            .WriteStateAsync("state", GrainId.Create("approver-keys", principal), new GrainState<EvidencedState<KeyRingState>>(stored));
    }
}
