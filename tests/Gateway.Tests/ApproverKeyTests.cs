using System.Net;
using Governance.Gateway.Tests.Infrastructure;

namespace Governance.Gateway.Tests;

/// <summary>Approver keys: registration, revocation, and their evidence chain <c>_keys:{principal}</c> (DESIGN §5.7).</summary>
[Trait("Category", "Integration")]
public sealed class ApproverKeyTests(SiloFixture<ApproverKeyTests> silo) : IClassFixture<SiloFixture<ApproverKeyTests>>
{
    private readonly Workflow _flow = new(silo);

    [Fact]
    public async Task Registering_is_created_then_an_identical_repeat_is_ok_and_another_key_under_the_id_is_key_exists()
    {
        var key = ApproverKey.Create("carol", DevTokens.Carol);
        var admin = silo.As(DevTokens.Admin);
        var path = $"/v1/approvers/carol/keys/{key.KeyId}";

        var created = (await admin.PutAsync(path, new { public_key = key.PublicKeyBase64 })).AssertStatus(HttpStatusCode.Created);
        var repeated = (await admin.PutAsync(path, new { public_key = key.PublicKeyBase64 })).AssertStatus(HttpStatusCode.OK);
        (await admin.PutAsync(path, new { public_key = ApproverKey.Create("carol", DevTokens.Carol).PublicKeyBase64 }))
            .AssertProblem(HttpStatusCode.Conflict, "key_exists", "key_id");

        Assert.Equal(created.Json.Text("registered_at"), repeated.Json.Text("registered_at"));
        Assert.Equal(key.PublicKeyBase64, repeated.Json.Text("public_key"));
    }

    [Fact]
    public async Task A_revoked_key_id_cannot_be_registered_again_even_with_the_same_key()
    {
        var key = await _flow.RegisterKeyAsync("carol", DevTokens.Carol);
        var admin = silo.As(DevTokens.Admin);
        var path = $"/v1/approvers/carol/keys/{key.KeyId}";

        var revoked = (await admin.DeleteAsync(path)).AssertStatus(HttpStatusCode.OK);
        Assert.NotNull(revoked.Json.Text("revoked_at"));

        (await admin.PutAsync(path, new { public_key = key.PublicKeyBase64 })).AssertProblem(HttpStatusCode.Conflict, "key_exists", "key_id");
    }

    [Fact]
    public async Task The_key_chain_lists_registrations_and_revocations_for_auditors()
    {
        var first = await _flow.RegisterKeyAsync("alice", DevTokens.Alice);
        var second = await _flow.RegisterKeyAsync("alice", DevTokens.Alice);
        (await silo.As(DevTokens.Admin).DeleteAsync($"/v1/approvers/alice/keys/{first.KeyId}")).AssertStatus(HttpStatusCode.OK);

        var entries = await _flow.EvidenceAsync("_keys:alice");

        var ours = entries.Where(e => e.Field("data").Text("key_id") is { } id && (id == first.KeyId || id == second.KeyId)).ToArray();
        Assert.Equal(["key_registered", "key_registered", "key_revoked"], ours.Select(e => e.Text("event")));
        Assert.Equal([first.KeyId, second.KeyId, first.KeyId], ours.Select(e => e.Field("data").Text("key_id")));
        Assert.All(ours, e => Assert.Equal("alice", e.Field("data").Text("principal")));
        Assert.All(ours, e => Assert.Equal("admin", e.Text("actor")));
        EvidenceChain.AssertValid("_keys:alice", entries);
        var chain = (await silo.As(DevTokens.Admin).GetAsync("/v1/models/_keys:alice/evidence/verify")).AssertStatus(HttpStatusCode.OK);
        Assert.True(chain["valid"].GetBoolean(), chain.ToString());
        Assert.Equal(entries.Count, chain["entries"].GetInt64());
    }

    [Fact]
    public async Task The_key_chain_is_forbidden_to_non_auditors_and_not_found_for_a_principal_without_keys()
    {
        await _flow.RegisterKeyAsync("bob", DevTokens.Bob);

        (await silo.As(DevTokens.Bob).GetAsync("/v1/models/_keys:bob/evidence")).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/_keys:nobody-{Guid.NewGuid():N}/evidence")).AssertProblem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Revoking_a_key_twice_keeps_one_revocation()
    {
        var key = await _flow.RegisterKeyAsync("bob", DevTokens.Bob);
        var path = $"/v1/approvers/bob/keys/{key.KeyId}";

        var first = (await silo.As(DevTokens.Admin).DeleteAsync(path)).AssertStatus(HttpStatusCode.OK);
        var second = (await silo.As(DevTokens.Admin).DeleteAsync(path)).AssertStatus(HttpStatusCode.OK);

        Assert.Equal(first.Json.Text("revoked_at"), second.Json.Text("revoked_at"));
        var revocations = (await _flow.EvidenceAsync("_keys:bob")).Count(e => e.Text("event") == "key_revoked" && e.Field("data").Text("key_id") == key.KeyId);
        Assert.Equal(1, revocations);
    }

    public static TheoryData<string> WeakPublicKeys =>
    [
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    ];

    [Theory]
    [MemberData(nameof(WeakPublicKeys))]
    public async Task Row8_weak_public_keys_are_refused_naming_public_key(string hex)
    {
        var keyId = $"k-{Guid.NewGuid():N}";

        (await silo.As(DevTokens.Admin).PutAsync($"/v1/approvers/alice/keys/{keyId}", new { public_key = Convert.ToBase64String(Convert.FromHexString(hex)) }))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_request", "public_key");

        Assert.DoesNotContain(await _flow.EvidenceAsync("_keys:alice"), e => e.Field("data").Text("key_id") == keyId);
    }

    [Theory]
    [MemberData(nameof(Base64Respelling.All), MemberType = typeof(Base64Respelling))]
    public async Task Row9_a_public_key_in_non_canonical_base64_is_refused_and_its_canonical_text_registers(string how)
    {
        var key = ApproverKey.Create("carol", DevTokens.Carol);
        var admin = silo.As(DevTokens.Admin);
        var path = $"/v1/approvers/carol/keys/{key.KeyId}";

        (await admin.PutAsync(path, new { public_key = Base64Respelling.Respell(key.PublicKeyBase64, how) }))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_request", "public_key");
        var created = (await admin.PutAsync(path, new { public_key = key.PublicKeyBase64 })).AssertStatus(HttpStatusCode.Created);
        (await admin.PutAsync(path, new { public_key = key.PublicKeyBase64 })).AssertStatus(HttpStatusCode.OK);

        Assert.Equal(key.PublicKeyBase64, created.Json.Text("public_key"));
    }

    [Fact]
    public async Task Row10_a_public_key_of_alice_is_key_exists_for_bob_so_one_private_key_never_signs_as_two_approvers()
    {
        var alice = await _flow.RegisterKeyAsync("alice", DevTokens.Alice);
        var bob = alice with { Principal = "bob", Token = DevTokens.Bob, KeyId = $"k-{Guid.NewGuid():N}" };
        var admin = silo.As(DevTokens.Admin);

        (await admin.PutAsync($"/v1/approvers/bob/keys/{bob.KeyId}", new { public_key = alice.PublicKeyBase64 }))
            .AssertProblem(HttpStatusCode.Conflict, "key_exists", "public_key");
        (await admin.PutAsync($"/v1/approvers/alice/keys/k-{Guid.NewGuid():N}", new { public_key = alice.PublicKeyBase64 }))
            .AssertProblem(HttpStatusCode.Conflict, "key_exists", "public_key");

        var modelId = Workflow.NewModelId();
        await _flow.TrainAsync(modelId);
        await _flow.SubmitAsync(modelId, new { approved_environments = new[] { "production" }, required_approvers = 2 });
        (await _flow.SignAsync(modelId, alice)).AssertStatus(HttpStatusCode.OK);
        (await _flow.SignAsync(modelId, bob)).AssertProblem(HttpStatusCode.UnprocessableEntity, "key_unknown", "key_id");
        var model = (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{modelId}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("pending", model.Json.Text("status"));
    }

    [Theory]
    [InlineData("trainer-1")]
    [InlineData("deployer-1")]
    [InlineData("admin")]
    [InlineData("nobody-configured")]
    [InlineData("_x")]
    [InlineData("_keys:alice")]
    public async Task Row11_keys_are_registered_only_for_configured_approvers_naming_principal(string principal)
    {
        var key = ApproverKey.Create(principal, "");

        (await silo.As(DevTokens.Admin).PutAsync($"/v1/approvers/{principal}/keys/{key.KeyId}", new { public_key = key.PublicKeyBase64 }))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_request", "principal");

        (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/_keys:{principal}/evidence")).AssertProblem(HttpStatusCode.NotFound, "not_found");
    }
}
