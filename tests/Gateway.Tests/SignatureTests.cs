using System.Net;
using System.Security.Cryptography;
using Governance.Gateway.Tests.Infrastructure;

namespace Governance.Gateway.Tests;

/// <summary>Adding Ed25519 signatures to an approval (DESIGN §5.3, §5.7).</summary>
[Trait("Category", "Integration")]
public sealed class SignatureTests(SiloFixture<SignatureTests> silo) : IClassFixture<SiloFixture<SignatureTests>>
{
    private readonly Workflow _flow = new(silo);

    [Fact]
    public async Task A_forged_signature_is_signature_invalid()
    {
        var modelId = await PendingModelAsync(requiredApprovers: 2);
        var alice = await _flow.RegisterKeyAsync("alice", DevTokens.Alice);
        var (approvalId, _) = await _flow.DocumentAsync(modelId);

        (await PostSignatureAsync(modelId, DevTokens.Alice, approvalId, alice.KeyId, Convert.ToBase64String(RandomNumberGenerator.GetBytes(64))))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "signature_invalid", "signature");
    }

    [Fact]
    public async Task A_signature_over_another_document_is_signature_invalid()
    {
        var modelId = await PendingModelAsync(requiredApprovers: 2);
        var alice = await _flow.RegisterKeyAsync("alice", DevTokens.Alice);
        var (approvalId, signingInput) = await _flow.DocumentAsync(modelId);
        signingInput[^2] ^= 1;

        (await PostSignatureAsync(modelId, DevTokens.Alice, approvalId, alice.KeyId, alice.SignBase64(signingInput)))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "signature_invalid", "signature");
    }

    [Fact]
    public async Task A_signature_with_an_unregistered_key_id_is_key_unknown()
    {
        var modelId = await PendingModelAsync(requiredApprovers: 2);
        var unregistered = ApproverKey.Create("alice", DevTokens.Alice);
        var (approvalId, signingInput) = await _flow.DocumentAsync(modelId);

        (await PostSignatureAsync(modelId, DevTokens.Alice, approvalId, unregistered.KeyId, unregistered.SignBase64(signingInput)))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "key_unknown", "key_id");
    }

    [Fact]
    public async Task Another_principals_key_is_key_unknown()
    {
        var modelId = await PendingModelAsync(requiredApprovers: 2);
        var bob = await _flow.RegisterKeyAsync("bob", DevTokens.Bob);
        var (approvalId, signingInput) = await _flow.DocumentAsync(modelId);

        (await PostSignatureAsync(modelId, DevTokens.Alice, approvalId, bob.KeyId, bob.SignBase64(signingInput)))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "key_unknown", "key_id");
    }

    [Fact]
    public async Task A_revoked_key_is_refused_but_a_signature_it_made_before_the_revocation_still_counts()
    {
        var modelId = await PendingModelAsync(requiredApprovers: 2);
        var alice = await _flow.RegisterKeyAsync("alice", DevTokens.Alice);
        var bob = await _flow.RegisterKeyAsync("bob", DevTokens.Bob);
        var carol = await _flow.RegisterKeyAsync("carol", DevTokens.Carol);
        (await _flow.SignAsync(modelId, bob)).AssertStatus(HttpStatusCode.OK);

        var revokedBob = (await silo.As(DevTokens.Admin).DeleteAsync($"/v1/approvers/bob/keys/{bob.KeyId}")).AssertStatus(HttpStatusCode.OK);
        Assert.NotNull(revokedBob.Json.Text("revoked_at"));
        (await silo.As(DevTokens.Admin).DeleteAsync($"/v1/approvers/carol/keys/{carol.KeyId}")).AssertStatus(HttpStatusCode.OK);

        (await _flow.SignAsync(modelId, carol)).AssertProblem(HttpStatusCode.UnprocessableEntity, "key_revoked", "key_id");
        var quorum = (await _flow.SignAsync(modelId, alice)).AssertStatus(HttpStatusCode.OK);

        Assert.Equal("quorum_reached", quorum.Json.Text("status"));
        Assert.Equal(["alice", "bob"], quorum["signatures"].EnumerateArray().Select(s => s.Text("principal")!).Order());
        Assert.Equal(["training_completed", "policy_evaluated", "approval_submitted", "signature_added", "signature_added", "quorum_reached"],
            await _flow.EventsAsync(modelId));
        Assert.Contains("key_revoked", await _flow.EventsAsync("_keys:bob"));
    }

    [Fact]
    public async Task A_second_different_signature_by_the_same_approver_is_a_conflict()
    {
        var modelId = await PendingModelAsync(requiredApprovers: 2);
        var first = await _flow.RegisterKeyAsync("alice", DevTokens.Alice);
        var second = await _flow.RegisterKeyAsync("alice", DevTokens.Alice);
        (await _flow.SignAsync(modelId, first)).AssertStatus(HttpStatusCode.OK);

        (await _flow.SignAsync(modelId, second)).AssertProblem(HttpStatusCode.Conflict, "conflict");

        var model = (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{modelId}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("pending", model.Json.Text("status"));
        Assert.Single(model["approval"].Field("signatures").EnumerateArray());
    }

    [Fact]
    public async Task An_identical_repeat_is_a_no_op_before_and_after_the_quorum()
    {
        var modelId = await PendingModelAsync(requiredApprovers: 2);
        var alice = await _flow.RegisterKeyAsync("alice", DevTokens.Alice);
        var bob = await _flow.RegisterKeyAsync("bob", DevTokens.Bob);
        (await _flow.SignAsync(modelId, alice)).AssertStatus(HttpStatusCode.OK);
        var afterFirst = await _flow.EvidenceAsync(modelId);

        var repeat = (await _flow.SignAsync(modelId, alice)).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("pending", repeat.Json.Text("status"));
        Assert.Single(repeat["signatures"].EnumerateArray());
        Assert.Equal(afterFirst.Select(e => e.Text("entry_hash")), (await _flow.EvidenceAsync(modelId)).Select(e => e.Text("entry_hash")));

        (await _flow.SignAsync(modelId, bob)).AssertStatus(HttpStatusCode.OK);
        var afterQuorum = await _flow.EvidenceAsync(modelId);
        var repeatAfterQuorum = (await _flow.SignAsync(modelId, alice)).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("quorum_reached", repeatAfterQuorum.Json.Text("status"));
        Assert.Equal(afterQuorum.Select(e => e.Text("entry_hash")), (await _flow.EvidenceAsync(modelId)).Select(e => e.Text("entry_hash")));
    }

    [Fact]
    public async Task An_identical_repeat_after_a_revocation_is_still_a_no_op()
    {
        var modelId = await PendingModelAsync(requiredApprovers: 2);
        var alice = await _flow.RegisterKeyAsync("alice", DevTokens.Alice);
        var bob = await _flow.RegisterKeyAsync("bob", DevTokens.Bob);
        (await _flow.SignAsync(modelId, alice)).AssertStatus(HttpStatusCode.OK);
        (await silo.As(DevTokens.Bob).PostAsync($"/v1/models/{modelId}/revocation", new { reason = "withdrawn" })).AssertStatus(HttpStatusCode.OK);
        var events = await _flow.EventsAsync(modelId);

        var repeat = (await _flow.SignAsync(modelId, alice)).AssertStatus(HttpStatusCode.OK);
        (await _flow.SignAsync(modelId, bob)).AssertProblem(HttpStatusCode.Conflict, "approval_not_pending");

        Assert.Equal("revoked", repeat.Json.Text("status"));
        Assert.Equal(events, await _flow.EventsAsync(modelId));
    }

    [Fact]
    public async Task A_new_signature_after_the_quorum_is_approval_not_pending()
    {
        var modelId = await PendingModelAsync(requiredApprovers: 1);
        var alice = await _flow.RegisterKeyAsync("alice", DevTokens.Alice);
        var bob = await _flow.RegisterKeyAsync("bob", DevTokens.Bob);
        (await _flow.SignAsync(modelId, alice)).AssertStatus(HttpStatusCode.OK);

        (await _flow.SignAsync(modelId, bob)).AssertProblem(HttpStatusCode.Conflict, "approval_not_pending");
    }

    [Fact]
    public async Task A_signature_for_another_approval_id_is_approval_mismatch()
    {
        var modelId = await PendingModelAsync(requiredApprovers: 2);
        var alice = await _flow.RegisterKeyAsync("alice", DevTokens.Alice);
        var (_, signingInput) = await _flow.DocumentAsync(modelId);

        (await PostSignatureAsync(modelId, DevTokens.Alice, Guid.CreateVersion7().ToString(), alice.KeyId, alice.SignBase64(signingInput)))
            .AssertProblem(HttpStatusCode.Conflict, "approval_mismatch", "approval_id");
    }

    [Fact]
    public async Task A_signature_for_a_model_without_approval_is_approval_not_found()
    {
        var modelId = Workflow.NewModelId();
        await _flow.TrainAsync(modelId);
        var alice = await _flow.RegisterKeyAsync("alice", DevTokens.Alice);

        (await PostSignatureAsync(modelId, DevTokens.Alice, Guid.CreateVersion7().ToString(), alice.KeyId, alice.SignBase64([1, 2, 3])))
            .AssertProblem(HttpStatusCode.NotFound, "approval_not_found");
    }

    public static TheoryData<string> MalformedSignatures =>
        ["not base64 at all!", "AAAA", "", Convert.ToBase64String(new byte[63]), Convert.ToBase64String(new byte[65])];

    [Theory]
    [MemberData(nameof(MalformedSignatures))]
    public async Task A_signature_that_is_not_base64_of_64_bytes_is_invalid_request(string signature)
    {
        var modelId = await PendingModelAsync(requiredApprovers: 2);
        var alice = await _flow.RegisterKeyAsync("alice", DevTokens.Alice);
        var (approvalId, _) = await _flow.DocumentAsync(modelId);

        (await PostSignatureAsync(modelId, DevTokens.Alice, approvalId, alice.KeyId, signature))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_request", "signature");
    }

    [Theory]
    [MemberData(nameof(Base64Respelling.All), MemberType = typeof(Base64Respelling))]
    public async Task Row9_a_valid_signature_in_non_canonical_base64_is_refused_and_its_canonical_text_then_signs_once(string how)
    {
        var modelId = await PendingModelAsync(requiredApprovers: 2);
        var alice = await _flow.RegisterKeyAsync("alice", DevTokens.Alice);
        var (approvalId, signingInput) = await _flow.DocumentAsync(modelId);
        var signature = alice.SignBase64(signingInput);

        (await PostSignatureAsync(modelId, DevTokens.Alice, approvalId, alice.KeyId, Base64Respelling.Respell(signature, how)))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_request", "signature");
        var signed = (await PostSignatureAsync(modelId, DevTokens.Alice, approvalId, alice.KeyId, signature)).AssertStatus(HttpStatusCode.OK);
        var events = await _flow.EventsAsync(modelId);
        (await PostSignatureAsync(modelId, DevTokens.Alice, approvalId, alice.KeyId, signature)).AssertStatus(HttpStatusCode.OK);

        Assert.Equal(signature, Assert.Single(signed["signatures"].EnumerateArray()).Text("signature"));
        Assert.Equal(events, await _flow.EventsAsync(modelId));
    }

    private async Task<string> PendingModelAsync(int requiredApprovers)
    {
        var modelId = Workflow.NewModelId();
        await _flow.TrainAsync(modelId);
        await _flow.SubmitAsync(modelId, new { approved_environments = new[] { "production" }, required_approvers = requiredApprovers });
        return modelId;
    }

    private Task<ApiResponse> PostSignatureAsync(string modelId, string token, string approvalId, string keyId, string signature) =>
        silo.As(token).PostAsync($"/v1/models/{modelId}/approval/signatures", new { approval_id = approvalId, key_id = keyId, signature });
}
