using System.Net;
using System.Text;
using System.Text.Json;
using Governance.Gateway.Tests.Infrastructure;

namespace Governance.Gateway.Tests;

/// <summary>The three planes end to end: training, M-of-N signed approval, deployment, verify, revoke, evidence.</summary>
[Trait("Category", "Integration")]
public sealed class GovernancePlanesTests(SiloFixture<GovernancePlanesTests> silo) : IClassFixture<SiloFixture<GovernancePlanesTests>>
{
    private readonly Workflow _flow = new(silo);

    [Fact]
    public async Task Trained_model_is_approved_by_two_signatures_deployed_verified_revoked_and_its_evidence_chain_recomputes()
    {
        var modelId = Workflow.NewModelId();
        var weightsHash = Workflow.NewWeightsHash();

        var training = (await silo.As(DevTokens.Trainer).PostAsync($"/v1/models/{modelId}/training", new
        {
            weights_hash = weightsHash,
            metrics = new { accuracy = 0.97, loss = 0.12 },
            card = new { name = "fraud-scorer", intended_use = "card payments" },
            correlation_id = "run-42",
        })).AssertStatus(HttpStatusCode.Created);
        Assert.Equal(modelId, training.Json.Text("model_id"));
        Assert.Equal(weightsHash, training.Json.Text("weights_hash"));
        Assert.Equal("trainer-1", training.Json.Text("trained_by"));
        Assert.Equal(0.97, training["metrics"].Field("accuracy").GetDouble());

        var submitted = (await silo.As(DevTokens.Alice).PostAsync($"/v1/models/{modelId}/approval", new
        {
            approved_environments = new[] { "staging", "production", "staging" },
            required_approvers = 2,
        })).AssertStatus(HttpStatusCode.Created);
        var approvalId = submitted.Json.Text("approval_id")!;
        Assert.Equal("pending", submitted.Json.Text("status"));
        Assert.Equal(modelId, submitted.Json.Text("model_id"));
        Assert.Equal(weightsHash, submitted.Json.Text("weights_hash"));
        Assert.Equal("alice", submitted.Json.Text("approved_by"));
        Assert.Equal("default", submitted.Json.Text("profile"));
        Assert.Equal("run-42", submitted.Json.Text("correlation_id"));
        Assert.Equal(["production", "staging"], submitted.Json.Texts("approved_environments"));
        Assert.Equal(JsonValueKind.Null, submitted["approved_scopes"].ValueKind);
        Assert.Equal(2, submitted["required_approvers"].GetInt32());
        Assert.Empty(submitted["approver_signatures"].EnumerateObject());
        Assert.True(DateTimeOffset.Parse(submitted.Json.Text("expires_at")!) > DateTimeOffset.Parse(submitted.Json.Text("approved_at")!));

        var document = (await silo.As(DevTokens.Registry).GetAsync($"/v1/models/{modelId}/approval/document")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(approvalId, document.Json.Text("approval_id"));
        var documentText = document.Json.Text("document")!;
        var signingInput = Convert.FromBase64String(document.Json.Text("signing_input")!);
        Assert.Equal("model-governance/approval/v1\n" + documentText, Encoding.UTF8.GetString(signingInput));
        using (var parsed = JsonDocument.Parse(documentText))
        {
            var fields = parsed.RootElement;
            Assert.Equal(approvalId, fields.Text("approval_id"));
            Assert.Equal(modelId, fields.Text("model_id"));
            Assert.Equal(weightsHash, fields.Text("weights_hash"));
            Assert.Equal("trainer-1", fields.Text("trained_by"));
            Assert.Equal("alice", fields.Text("submitted_by"));
            Assert.Equal(submitted.Json.Text("expires_at"), fields.Text("expires_at"));
            Assert.Equal(JsonValueKind.Null, fields.Field("approved_scopes").ValueKind);
            Assert.Equal(2, fields.Field("required_approvers").GetInt32());
        }

        var alice = ApproverKey.Create("alice", DevTokens.Alice);
        var bob = ApproverKey.Create("bob", DevTokens.Bob);
        var admin = silo.As(DevTokens.Admin);
        var registered = (await admin.PutAsync($"/v1/approvers/alice/keys/{alice.KeyId}", new { public_key = alice.PublicKeyBase64 }))
            .AssertStatus(HttpStatusCode.Created);
        Assert.Equal("alice", registered.Json.Text("principal"));
        Assert.Equal(alice.KeyId, registered.Json.Text("key_id"));
        Assert.Equal(alice.PublicKeyBase64, registered.Json.Text("public_key"));
        Assert.Null(registered.Json.Text("revoked_at"));
        (await admin.PutAsync($"/v1/approvers/alice/keys/{alice.KeyId}", new { public_key = alice.PublicKeyBase64 }))
            .AssertStatus(HttpStatusCode.OK);
        (await admin.PutAsync($"/v1/approvers/alice/keys/{alice.KeyId}", new { public_key = ApproverKey.Create("alice", DevTokens.Alice).PublicKeyBase64 }))
            .AssertProblem(HttpStatusCode.Conflict, "key_exists");
        (await admin.PutAsync($"/v1/approvers/bob/keys/{bob.KeyId}", new { public_key = bob.PublicKeyBase64 }))
            .AssertStatus(HttpStatusCode.Created);

        var first = (await silo.As(DevTokens.Alice).PostAsync($"/v1/models/{modelId}/approval/signatures", new
        {
            approval_id = approvalId,
            key_id = alice.KeyId,
            signature = alice.SignBase64(signingInput),
        })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("pending", first.Json.Text("status"));
        Assert.Equal(alice.SignBase64(signingInput), first["approver_signatures"].Text("alice"));

        var second = (await silo.As(DevTokens.Bob).PostAsync($"/v1/models/{modelId}/approval/signatures", new
        {
            approval_id = approvalId,
            key_id = bob.KeyId,
            signature = bob.SignBase64(signingInput),
        })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("quorum_reached", second.Json.Text("status"));
        Assert.Equal(["alice", "bob"], second["approver_signatures"].EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal([alice.KeyId, bob.KeyId], second["signatures"].EnumerateArray().Select(s => s.Text("key_id")));

        var model = (await silo.As(DevTokens.Monitor).GetAsync($"/v1/models/{modelId}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("quorum_reached", model.Json.Text("status"));
        Assert.Equal(approvalId, model["approval"].Text("approval_id"));

        var promotion = (await silo.As(DevTokens.Deployer).PostAsync($"/v1/models/{modelId}/deployments", new
        {
            approval_id = approvalId,
            environment = "production",
            scope = "eu-west",
            weights_hash = weightsHash,
        })).AssertStatus(HttpStatusCode.Created);
        Assert.Equal(modelId, promotion.Json.Text("model_id"));
        Assert.Equal(approvalId, promotion.Json.Text("approval_id"));
        Assert.Equal("production", promotion.Json.Text("environment"));
        Assert.Equal("eu-west", promotion.Json.Text("scope"));
        Assert.True(promotion["promoted"].GetBoolean());
        Assert.Equal("deployer-1", promotion.Json.Text("deployed_by"));
        Assert.True(DateTimeOffset.TryParse(promotion.Json.Text("promoted_at"), out _));
        var deployedSeq = promotion["evidence_seq"].GetInt64();

        var verify = (await silo.As(DevTokens.Registry).GetAsync($"/v1/models/{modelId}/verify?environment=production&weights_hash={weightsHash}"))
            .AssertStatus(HttpStatusCode.OK);
        Assert.True(verify["allowed"].GetBoolean(), verify.ToString());
        Assert.Equal("approved", verify.Json.Text("reason"));
        Assert.Equal("deployed", verify.Json.Text("status"));
        Assert.Equal(approvalId, verify.Json.Text("approval_id"));
        Assert.Equal(submitted.Json.Text("expires_at"), verify.Json.Text("expires_at"));

        var unknownModel = Workflow.NewModelId();
        var batch = (await silo.As(DevTokens.Registry).PostAsync("/v1/verify", new
        {
            items = new object[]
            {
                new { model_id = modelId, environment = "production", weights_hash = weightsHash },
                new { model_id = modelId, environment = "dev" },
                new { model_id = unknownModel, environment = "production" },
                new { model_id = modelId, environment = "staging", scope = "us-east", weights_hash = Workflow.NewWeightsHash() },
                new { model_id = modelId, environment = "staging" },
            },
        })).AssertStatus(HttpStatusCode.OK);
        var decisions = batch["decisions"].EnumerateArray().ToArray();
        Assert.Equal([modelId, modelId, unknownModel, modelId, modelId], decisions.Select(d => d.Text("model_id")));
        Assert.Equal([true, false, false, false, true], decisions.Select(d => d.Field("allowed").GetBoolean()));
        Assert.Equal(["approved", "environment_not_approved", "not_found", "weights_mismatch", "approved"], decisions.Select(d => d.Text("reason")));

        var revoked = (await silo.As(DevTokens.Alice).PostAsync($"/v1/models/{modelId}/revocation", new { reason = "bias found in audit" }))
            .AssertStatus(HttpStatusCode.OK);
        Assert.Equal("revoked", revoked.Json.Text("status"));
        Assert.Equal("bias found in audit", revoked["revocation"].Text("reason"));
        Assert.Equal("alice", revoked["revocation"].Text("revoked_by"));

        var denied = (await silo.As(DevTokens.Registry).GetAsync($"/v1/models/{modelId}/verify?environment=production&weights_hash={weightsHash}"))
            .AssertStatus(HttpStatusCode.OK);
        Assert.False(denied["allowed"].GetBoolean());
        Assert.Equal("approval_revoked", denied.Json.Text("reason"));
        Assert.Equal("revoked", denied.Json.Text("status"));

        var documentAfterRevocation = (await silo.As(DevTokens.Registry).GetAsync($"/v1/models/{modelId}/approval/document")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(documentText, documentAfterRevocation.Json.Text("document"));

        var entries = await _flow.EvidenceAsync(modelId);
        Assert.All(entries, e => Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", e.Text("at")));
        Assert.Equal(
            ["training_completed", "policy_evaluated", "approval_submitted", "signature_added", "signature_added", "quorum_reached", "model_deployed", "approval_revoked"],
            entries.Select(e => e.Text("event")));
        Assert.Equal(
            ["trainer-1", "alice", "alice", "alice", "bob", "bob", "deployer-1", "alice"],
            entries.Select(e => e.Text("actor")));
        AssertDataFields(entries[0], "weights_hash", "metrics", "correlation_id");
        AssertDataFields(entries[1], "profile", "version", "profile_sha256", "inputs_sha256", "passed", "failures");
        AssertDataFields(entries[2], "approval_id", "weights_hash", "required_approvers", "approved_environments", "approved_scopes", "expires_at", "profile");
        AssertDataFields(entries[3], "approval_id", "principal", "key_id");
        AssertDataFields(entries[5], "approval_id", "signers");
        AssertDataFields(entries[6], "approval_id", "environment", "scope");
        AssertDataFields(entries[7], "approval_id", "reason");
        Assert.Equal(weightsHash, entries[0].Field("data").Text("weights_hash"));
        Assert.Equal(0.97, entries[0].Field("data").Field("metrics").Field("accuracy").GetDouble());
        Assert.True(entries[1].Field("data").Field("passed").GetBoolean());
        Assert.Equal(submitted.Json.Text("expires_at"), entries[2].Field("data").Text("expires_at"));
        Assert.Equal([alice.KeyId, bob.KeyId], entries.Skip(3).Take(2).Select(e => e.Field("data").Text("key_id")));
        Assert.Equal(["alice", "bob"], entries[5].Field("data").Texts("signers"));
        Assert.Equal(deployedSeq, entries[6].Field("seq").GetInt64());
        Assert.Equal("production", entries[6].Field("data").Text("environment"));
        Assert.Equal("eu-west", entries[6].Field("data").Text("scope"));
        Assert.Equal("bias found in audit", entries[7].Field("data").Text("reason"));
        Assert.All(entries.Skip(2), e => Assert.Equal(approvalId, e.Field("data").Text("approval_id")));

        var head = EvidenceChain.AssertValid(modelId, entries);
        var chain = (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{modelId}/evidence/verify")).AssertStatus(HttpStatusCode.OK);
        Assert.True(chain["valid"].GetBoolean(), chain.ToString());
        Assert.Equal(entries.Count, chain["entries"].GetInt64());
        Assert.Equal(head, chain.Json.Text("head_hash"));
        Assert.Equal(JsonValueKind.Null, chain["first_invalid_seq"].ValueKind);

        var final = (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{modelId}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(entries.Count, final["evidence_seq"].GetInt64());
        Assert.Equal(head, final.Json.Text("evidence_head"));
    }

    [Fact]
    public async Task An_approval_is_deployed_to_several_environments_and_scopes()
    {
        var approved = await _flow.ApprovedModelAsync();
        var deployer = silo.As(DevTokens.Deployer);

        var first = (await deployer.PostAsync($"/v1/models/{approved.ModelId}/deployments", new
        {
            approval_id = approved.ApprovalId,
            environment = "staging",
            weights_hash = approved.WeightsHash,
        })).AssertStatus(HttpStatusCode.Created);
        var second = (await deployer.PostAsync($"/v1/models/{approved.ModelId}/deployments", new
        {
            approval_id = approved.ApprovalId,
            environment = "production",
            scope = "us",
            weights_hash = approved.WeightsHash,
        })).AssertStatus(HttpStatusCode.Created);

        Assert.True(second["evidence_seq"].GetInt64() > first["evidence_seq"].GetInt64());
        var model = (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{approved.ModelId}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("deployed", model.Json.Text("status"));
        var deployments = model["approval"].Field("deployments").EnumerateArray().ToArray();
        Assert.Equal(["staging", "production"], deployments.Select(d => d.Text("environment")));
        Assert.Equal([null, "us"], deployments.Select(d => d.Text("scope")));
        Assert.All(deployments, d => Assert.Equal("deployer-1", d.Text("deployed_by")));
        Assert.Equal(2, (await _flow.EventsAsync(approved.ModelId)).Count(e => e == "model_deployed"));
    }

    [Theory]
    [InlineData("approval_ttl_seconds", 3600, 3600)]
    [InlineData("approval_ttl_days", 0.5, 43_200)]
    [InlineData("approval_ttl_days", 2, 172_800)]
    [InlineData(null, 0, 7_776_000)]
    public async Task Expires_at_is_the_submission_second_plus_the_ttl(string? ttlField, double ttl, long expectedSeconds)
    {
        var modelId = Workflow.NewModelId();
        await _flow.TrainAsync(modelId);
        var request = new Dictionary<string, object>
        {
            ["approved_environments"] = new[] { "production" },
            ["required_approvers"] = 1,
        };
        if (ttlField is not null)
        {
            request[ttlField] = ttl;
        }

        var approval = await _flow.SubmitAsync(modelId, request);

        const string SecondsFormat = @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$";
        Assert.Matches(SecondsFormat, approval.Text("approved_at"));
        Assert.Matches(SecondsFormat, approval.Text("expires_at"));
        Assert.Equal(approval.Text("approved_at"), approval.Text("submitted_at"));
        var lifetime = DateTimeOffset.Parse(approval.Text("expires_at")!) - DateTimeOffset.Parse(approval.Text("approved_at")!);
        Assert.Equal(expectedSeconds, (long)lifetime.TotalSeconds);
    }

    [Fact]
    public async Task Evidence_pages_oldest_first_with_page_tokens()
    {
        var approved = await _flow.ApprovedModelAsync();

        var all = await _flow.EvidenceAsync(approved.ModelId);
        var paged = await _flow.EvidenceAsync(approved.ModelId, pageSize: 2);

        Assert.Equal(all.Select(e => e.Text("entry_hash")), paged.Select(e => e.Text("entry_hash")));
        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all.Select(e => e.Field("seq").GetInt64()));
        EvidenceChain.AssertValid(approved.ModelId, paged);
    }

    private static void AssertDataFields(JsonElement entry, params string[] fields)
    {
        var data = entry.Field("data");
        var missing = fields.Where(f => !data.TryGetProperty(f, out _)).ToArray();
        Assert.True(missing.Length == 0, $"{entry.Text("event")} lacks data field(s) {string.Join(", ", missing)}: {entry}");
    }
}
