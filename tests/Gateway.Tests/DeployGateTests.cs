using System.Net;
using Governance.Gateway.Tests.Infrastructure;

namespace Governance.Gateway.Tests;

/// <summary>The deploy gates in their order (DESIGN §5.4) and verify's answers (§5.7).</summary>
[Trait("Category", "Integration")]
public sealed class DeployGateTests(ClockOnlySilo silo) : IClassFixture<ClockOnlySilo>
{
    private static readonly object ScopedSubmission = new
    {
        approved_environments = new[] { "staging", "production" },
        approved_scopes = new[] { "us", "eu" },
        required_approvers = 2,
    };

    private readonly Workflow _flow = new(silo);

    [Fact]
    public async Task Deploying_a_model_without_approval_is_approval_not_found()
    {
        var modelId = Workflow.NewModelId();
        var weightsHash = await _flow.TrainAsync(modelId);

        (await DeployAsync(modelId, Guid.CreateVersion7().ToString(), "production", weightsHash))
            .AssertProblem(HttpStatusCode.NotFound, "approval_not_found");
    }

    [Fact]
    public async Task Deploying_an_unknown_model_is_not_found()
    {
        (await DeployAsync(Workflow.NewModelId(), Guid.CreateVersion7().ToString(), "production", Workflow.NewWeightsHash()))
            .AssertProblem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Deploying_another_approval_id_is_approval_mismatch()
    {
        var approved = await _flow.ApprovedModelAsync();

        (await DeployAsync(approved.ModelId, Guid.CreateVersion7().ToString(), "production", approved.WeightsHash))
            .AssertProblem(HttpStatusCode.Conflict, "approval_mismatch", "approval_id");
    }

    [Fact]
    public async Task Deploying_a_revoked_approval_is_approval_revoked()
    {
        var approved = await _flow.ApprovedModelAsync();
        (await silo.As(DevTokens.Admin).PostAsync($"/v1/models/{approved.ModelId}/revocation", new { reason = "withdrawn" })).AssertStatus(HttpStatusCode.OK);

        (await DeployAsync(approved.ModelId, approved.ApprovalId, "production", approved.WeightsHash))
            .AssertProblem(HttpStatusCode.Conflict, "approval_revoked");
    }

    [Fact]
    public async Task Deploying_an_expired_approval_is_approval_expired()
    {
        var modelId = Workflow.NewModelId();
        var weightsHash = await _flow.TrainAsync(modelId);
        var approval = await _flow.SubmitAsync(modelId, new { approved_environments = new[] { "production" }, required_approvers = 2, approval_ttl_seconds = 1 });
        await Eventually.UntilAsync(
            () => VerifyAsync(modelId, "environment=production"),
            r => r.Json.Text("reason") == "approval_expired",
            TimeSpan.FromSeconds(10),
            $"verify of {modelId} to answer approval_expired after expires_at {approval.Text("expires_at")}");

        (await DeployAsync(modelId, approval.Text("approval_id")!, "production", weightsHash))
            .AssertProblem(HttpStatusCode.Conflict, "approval_expired");
    }

    [Fact]
    public async Task Deploying_before_the_quorum_is_quorum_not_met()
    {
        var modelId = Workflow.NewModelId();
        var alice = await _flow.RegisterKeyAsync("alice", DevTokens.Alice);
        var weightsHash = await _flow.TrainAsync(modelId);
        var approval = await _flow.SubmitAsync(modelId, new { approved_environments = new[] { "production" }, required_approvers = 2 });
        (await _flow.SignAsync(modelId, alice)).AssertStatus(HttpStatusCode.OK);

        (await DeployAsync(modelId, approval.Text("approval_id")!, "production", weightsHash))
            .AssertProblem(HttpStatusCode.Conflict, "quorum_not_met");
    }

    [Fact]
    public async Task Deploying_to_an_environment_not_approved_is_environment_not_approved()
    {
        var approved = await _flow.ApprovedModelAsync();

        (await DeployAsync(approved.ModelId, approved.ApprovalId, "dev", approved.WeightsHash))
            .AssertProblem(HttpStatusCode.Conflict, "environment_not_approved");
    }

    [Fact]
    public async Task Deploying_to_a_scope_not_approved_or_without_scope_is_scope_not_approved()
    {
        var approved = await _flow.ApprovedModelAsync(ScopedSubmission);

        (await DeployAsync(approved.ModelId, approved.ApprovalId, "production", approved.WeightsHash, scope: "apac"))
            .AssertProblem(HttpStatusCode.Conflict, "scope_not_approved");
        (await DeployAsync(approved.ModelId, approved.ApprovalId, "production", approved.WeightsHash))
            .AssertProblem(HttpStatusCode.Conflict, "scope_not_approved");
        var promotion = (await DeployAsync(approved.ModelId, approved.ApprovalId, "production", approved.WeightsHash, scope: "eu"))
            .AssertStatus(HttpStatusCode.Created);
        Assert.Equal("eu", promotion.Json.Text("scope"));
    }

    [Fact]
    public async Task Deploying_other_weights_is_weights_mismatch()
    {
        var approved = await _flow.ApprovedModelAsync();

        (await DeployAsync(approved.ModelId, approved.ApprovalId, "production", Workflow.NewWeightsHash()))
            .AssertProblem(HttpStatusCode.Conflict, "weights_mismatch");
    }

    [Fact]
    public async Task Deploying_without_weights_hash_is_invalid_request()
    {
        var approved = await _flow.ApprovedModelAsync();

        (await silo.As(DevTokens.Deployer).PostAsync($"/v1/models/{approved.ModelId}/deployments", new { approval_id = approved.ApprovalId, environment = "production" }))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_request", "weights_hash");
    }

    [Fact]
    public async Task Deploying_as_a_signer_is_separation_of_duties()
    {
        var (modelId, approvalId, weightsHash) = await SignedByAliceAndOmniAsync();

        (await DeployAsync(modelId, approvalId, "production", weightsHash, scope: "eu", token: DevTokens.Omni))
            .AssertProblem(HttpStatusCode.Forbidden, "separation_of_duties");
        (await DeployAsync(modelId, approvalId, "production", weightsHash, scope: "eu"))
            .AssertStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task The_first_failing_gate_wins()
    {
        var (modelId, approvalId, weightsHash) = await SignedByAliceAndOmniAsync();
        var otherWeights = Workflow.NewWeightsHash();

        (await DeployAsync(modelId, Guid.CreateVersion7().ToString(), "dev", otherWeights, scope: "apac", token: DevTokens.Omni))
            .AssertProblem(HttpStatusCode.Conflict, "approval_mismatch");
        (await DeployAsync(modelId, approvalId, "dev", otherWeights, scope: "apac", token: DevTokens.Omni))
            .AssertProblem(HttpStatusCode.Conflict, "environment_not_approved");
        (await DeployAsync(modelId, approvalId, "production", otherWeights, scope: "apac", token: DevTokens.Omni))
            .AssertProblem(HttpStatusCode.Conflict, "scope_not_approved");
        (await DeployAsync(modelId, approvalId, "production", otherWeights, scope: "eu", token: DevTokens.Omni))
            .AssertProblem(HttpStatusCode.Conflict, "weights_mismatch");
        (await DeployAsync(modelId, approvalId, "production", weightsHash, scope: "eu", token: DevTokens.Omni))
            .AssertProblem(HttpStatusCode.Forbidden, "separation_of_duties");

        (await silo.As(DevTokens.Alice).PostAsync($"/v1/models/{modelId}/revocation", new { reason = "test" })).AssertStatus(HttpStatusCode.OK);
        (await DeployAsync(modelId, approvalId, "dev", otherWeights, scope: "apac", token: DevTokens.Omni))
            .AssertProblem(HttpStatusCode.Conflict, "approval_revoked");
    }

    [Fact]
    public async Task Quorum_is_checked_before_environment_and_weights()
    {
        var modelId = Workflow.NewModelId();
        await _flow.TrainAsync(modelId);
        var approval = await _flow.SubmitAsync(modelId, new { approved_environments = new[] { "production" }, required_approvers = 2 });

        (await DeployAsync(modelId, approval.Text("approval_id")!, "dev", Workflow.NewWeightsHash()))
            .AssertProblem(HttpStatusCode.Conflict, "quorum_not_met");
    }

    [Fact]
    public async Task Verify_of_an_unknown_model_is_not_found()
    {
        var verify = await VerifyAsync(Workflow.NewModelId(), "environment=production");

        Assert.False(verify["allowed"].GetBoolean());
        Assert.Equal("not_found", verify.Json.Text("reason"));
    }

    [Fact]
    public async Task Verify_of_a_model_without_approval_is_approval_not_found()
    {
        var modelId = Workflow.NewModelId();
        await _flow.TrainAsync(modelId);

        var verify = await VerifyAsync(modelId, "environment=production");

        Assert.False(verify["allowed"].GetBoolean());
        Assert.Equal("approval_not_found", verify.Json.Text("reason"));
        Assert.Equal("trained", verify.Json.Text("status"));
    }

    [Fact]
    public async Task Verify_of_a_pending_approval_is_quorum_not_met()
    {
        var modelId = Workflow.NewModelId();
        await _flow.TrainAsync(modelId);
        await _flow.SubmitAsync(modelId, new { approved_environments = new[] { "production" }, required_approvers = 1 });

        var verify = await VerifyAsync(modelId, "environment=production");

        Assert.False(verify["allowed"].GetBoolean());
        Assert.Equal("quorum_not_met", verify.Json.Text("reason"));
        Assert.Equal("pending", verify.Json.Text("status"));
    }

    [Fact]
    public async Task Verify_without_scope_is_denied_when_the_approval_restricts_scopes()
    {
        var approved = await _flow.ApprovedModelAsync(ScopedSubmission);

        Assert.Equal("scope_not_approved", (await VerifyAsync(approved.ModelId, "environment=production")).Json.Text("reason"));
        Assert.Equal("scope_not_approved", (await VerifyAsync(approved.ModelId, "environment=production&scope=apac")).Json.Text("reason"));
        var allowed = await VerifyAsync(approved.ModelId, "environment=production&scope=us");
        Assert.True(allowed["allowed"].GetBoolean(), allowed.ToString());
    }

    [Fact]
    public async Task Verify_without_weights_hash_skips_the_weights_check()
    {
        var approved = await _flow.ApprovedModelAsync();

        var withoutWeights = await VerifyAsync(approved.ModelId, "environment=staging");
        Assert.True(withoutWeights["allowed"].GetBoolean(), withoutWeights.ToString());
        Assert.Equal("approved", withoutWeights.Json.Text("reason"));
        var otherWeights = await VerifyAsync(approved.ModelId, $"environment=staging&weights_hash={Workflow.NewWeightsHash()}");
        Assert.False(otherWeights["allowed"].GetBoolean());
        Assert.Equal("weights_mismatch", otherWeights.Json.Text("reason"));
    }

    [Fact]
    public async Task Verify_stops_allowing_at_expires_at_by_the_clock()
    {
        var approved = await _flow.ApprovedModelAsync(new { approved_environments = new[] { "production" }, required_approvers = 2, approval_ttl_seconds = 3 });
        var expiresAt = DateTimeOffset.Parse(approved.ExpiresAt);
        var query = $"environment=production&weights_hash={approved.WeightsHash}";

        var lastAllowedSentAt = DateTimeOffset.MinValue;
        var denied = await Eventually.UntilAsync(
            async () =>
            {
                var sentAt = DateTimeOffset.UtcNow;
                var answer = await VerifyAsync(approved.ModelId, query);
                if (answer["allowed"].GetBoolean())
                {
                    lastAllowedSentAt = sentAt;
                }

                return answer;
            },
            r => !r["allowed"].GetBoolean(),
            TimeSpan.FromSeconds(10),
            $"verify of {approved.ModelId} to stop allowing at expires_at {approved.ExpiresAt}");
        var deniedSeenAt = DateTimeOffset.UtcNow;

        Assert.Equal("approval_expired", denied.Json.Text("reason"));
        Assert.Equal("expired", denied.Json.Text("status"));
        Assert.True(lastAllowedSentAt < expiresAt, $"verify allowed a request sent at {lastAllowedSentAt:O}, after expires_at {approved.ExpiresAt}");
        Assert.True(deniedSeenAt >= expiresAt, $"verify denied at {deniedSeenAt:O}, before expires_at {approved.ExpiresAt}");
        // Orleans' reminder fires at expires_at too, so its row may be there already; it is never earlier.
        // (That the denial needs no timer at all is the grain test At_expires_at_verify_denies_...: no timer runs there.)
        await using var command = silo.Database.CreateCommand(
            "SELECT (entry::jsonb ->> 'at') FROM ledger WHERE chain_id = $1 AND (entry::jsonb ->> 'event') = 'approval_expired'");
        command.Parameters.AddWithValue(approved.ModelId);
        if (await command.ExecuteScalarAsync() is string recordedAt)
        {
            Assert.True(DateTimeOffset.Parse(recordedAt) >= expiresAt, $"approval_expired recorded at {recordedAt}, before expires_at {approved.ExpiresAt}");
        }
    }

    private async Task<(string ModelId, string ApprovalId, string WeightsHash)> SignedByAliceAndOmniAsync()
    {
        var modelId = Workflow.NewModelId();
        var alice = await _flow.RegisterKeyAsync("alice", DevTokens.Alice);
        var omni = await _flow.RegisterKeyAsync("omni", DevTokens.Omni);
        var weightsHash = await _flow.TrainAsync(modelId);
        var approval = await _flow.SubmitAsync(modelId, new { approved_environments = new[] { "production" }, approved_scopes = new[] { "eu" }, required_approvers = 2 });
        (await _flow.SignAsync(modelId, alice)).AssertStatus(HttpStatusCode.OK);
        (await _flow.SignAsync(modelId, omni)).AssertStatus(HttpStatusCode.OK);
        return (modelId, approval.Text("approval_id")!, weightsHash);
    }

    [Fact]
    public async Task Row6_repeated_deploys_keep_the_latest_deployment_per_environment_and_scope_and_ledger_every_one()
    {
        var approved = await _flow.ApprovedModelAsync(ScopedSubmission);
        for (var i = 0; i < 20; i++)
        {
            (await DeployAsync(approved.ModelId, approved.ApprovalId, "production", approved.WeightsHash, scope: "eu")).AssertStatus(HttpStatusCode.Created);
        }

        var last = (await DeployAsync(approved.ModelId, approved.ApprovalId, "production", approved.WeightsHash, scope: "us")).AssertStatus(HttpStatusCode.Created);
        var latestEu = (await DeployAsync(approved.ModelId, approved.ApprovalId, "production", approved.WeightsHash, scope: "eu")).AssertStatus(HttpStatusCode.Created);

        var model = (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{approved.ModelId}")).AssertStatus(HttpStatusCode.OK);
        var deployments = model.Json.Field("approval").Field("deployments").EnumerateArray().ToList();
        Assert.Equal(["production/us", "production/eu"], deployments.Select(d => $"{d.Text("environment")}/{d.Text("scope")}"));
        Assert.Equal(last.Json.Field("evidence_seq").GetInt64(), deployments[0].Field("evidence_seq").GetInt64());
        Assert.Equal(latestEu.Json.Field("evidence_seq").GetInt64(), deployments[1].Field("evidence_seq").GetInt64());
        Assert.Equal(22, (await _flow.EventsAsync(approved.ModelId)).Count(e => e == "model_deployed"));
    }

    private Task<ApiResponse> DeployAsync(
        string modelId, string approvalId, string environment, string weightsHash, string? scope = null, string token = DevTokens.Deployer) =>
        silo.As(token).PostAsync($"/v1/models/{modelId}/deployments", new { approval_id = approvalId, environment, scope, weights_hash = weightsHash });

    private async Task<ApiResponse> VerifyAsync(string modelId, string query) =>
        (await silo.As(DevTokens.Registry).GetAsync($"/v1/models/{modelId}/verify?{query}")).AssertStatus(HttpStatusCode.OK);
}
