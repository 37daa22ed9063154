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
}
