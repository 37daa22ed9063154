using System.Net;
using Governance.Gateway.Tests.Infrastructure;

namespace Governance.Gateway.Tests;

/// <summary>Submission through the shipped policy profiles (DESIGN §5.6): every evaluation is in the ledger.</summary>
[Trait("Category", "Integration")]
public sealed class PolicyTests(SiloFixture<PolicyTests> silo) : IClassFixture<SiloFixture<PolicyTests>>
{
    private readonly Workflow _flow = new(silo);

    [Fact]
    public async Task A_strict_submission_that_breaks_rules_is_policy_violation_listing_every_failure_and_is_recorded()
    {
        var modelId = Workflow.NewModelId();
        await _flow.TrainAsync(modelId);

        var refused = (await silo.As(DevTokens.Alice).PostAsync($"/v1/models/{modelId}/approval", new
        {
            profile = "strict",
            approved_environments = new[] { "dev", "production" },
            required_approvers = 1,
            approval_ttl_days = 120,
        })).AssertProblem(HttpStatusCode.UnprocessableEntity, "policy_violation");

        var rules = refused["failures"].EnumerateArray().Select(f => f.Text("rule")!).ToArray();
        Assert.Contains("environment", rules);
        Assert.Contains("min_approvers", rules);
        Assert.Contains("max_ttl_days", rules);
        Assert.Contains("metrics.fairness_subgroup_delta", rules);
        Assert.Contains("metrics.harmful_rate", rules);
        Assert.DoesNotContain("metrics.accuracy.min", rules);
        var model = (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{modelId}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("trained", model.Json.Text("status"));
        var evaluated = (await _flow.EvidenceAsync(modelId))[^1];
        Assert.Equal("policy_evaluated", evaluated.Text("event"));
        Assert.False(evaluated.Field("data").Field("passed").GetBoolean());
        Assert.Equal("strict", evaluated.Field("data").Text("profile"));
        Assert.Equal(rules, evaluated.Field("data").Field("failures").EnumerateArray().Select(f => f.Text("rule")!));
    }

    [Fact]
    public async Task A_strict_submission_that_meets_the_rules_gets_the_profiles_default_ttl()
    {
        var modelId = Workflow.NewModelId();
        (await silo.As(DevTokens.Trainer).PostAsync($"/v1/models/{modelId}/training", new
        {
            weights_hash = Workflow.NewWeightsHash(),
            metrics = new { accuracy = 0.95, fairness_subgroup_delta = 0.01, harmful_rate = 0.001 },
            card = new { name = "strict-model" },
        })).AssertStatus(HttpStatusCode.Created);

        var approval = await _flow.SubmitAsync(modelId, new { profile = "strict", approved_environments = new[] { "production" }, required_approvers = 2 });

        Assert.Equal("strict", approval.Text("profile"));
        var lifetime = DateTimeOffset.Parse(approval.Text("expires_at")!) - DateTimeOffset.Parse(approval.Text("approved_at")!);
        Assert.Equal(TimeSpan.FromDays(30), lifetime);
        var evaluated = Assert.Single(await _flow.EvidenceAsync(modelId), e => e.Text("event") == "policy_evaluated");
        Assert.True(evaluated.Field("data").Field("passed").GetBoolean());
        Assert.Equal(approval.Text("approval_id"), evaluated.Field("data").Text("approval_id"));
        Assert.Matches("^[0-9a-f]{64}$", evaluated.Field("data").Text("profile_sha256"));
        Assert.Matches("^[0-9a-f]{64}$", evaluated.Field("data").Text("inputs_sha256"));
    }

    [Fact]
    public async Task An_unknown_profile_fails_closed()
    {
        var modelId = Workflow.NewModelId();
        await _flow.TrainAsync(modelId);

        var refused = (await silo.As(DevTokens.Alice).PostAsync($"/v1/models/{modelId}/approval", new
        {
            profile = "no-such-profile",
            approved_environments = new[] { "production" },
            required_approvers = 1,
        })).AssertProblem(HttpStatusCode.UnprocessableEntity, "policy_violation");

        Assert.Equal(["profile"], refused["failures"].EnumerateArray().Select(f => f.Text("rule")));
        Assert.Equal("policy_evaluated", (await _flow.EventsAsync(modelId))[^1]);
    }
}
