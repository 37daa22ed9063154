using System.Net;
using Governance.Gateway.Tests.Infrastructure;

namespace Governance.Gateway.Tests;

/// <summary>Replacing a live approval, revoking without one, and submitting without training (DESIGN §5.1, §5.7).</summary>
[Trait("Category", "Integration")]
public sealed class SupersedeTests(SiloFixture<SupersedeTests> silo) : IClassFixture<SiloFixture<SupersedeTests>>
{
    private static readonly object Submission = new { approved_environments = new[] { "production" }, required_approvers = 1 };

    private readonly Workflow _flow = new(silo);

    [Fact]
    public async Task Submitting_while_an_approval_is_pending_is_approval_active()
    {
        var modelId = Workflow.NewModelId();
        await _flow.TrainAsync(modelId);
        var pending = await _flow.SubmitAsync(modelId, Submission);

        (await silo.As(DevTokens.Bob).PostAsync($"/v1/models/{modelId}/approval", Submission))
            .AssertProblem(HttpStatusCode.Conflict, "approval_active");

        var model = (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{modelId}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(pending.Text("approval_id"), model["approval"].Text("approval_id"));
    }

    [Fact]
    public async Task Submitting_with_supersede_ends_the_pending_approval_and_starts_a_new_one()
    {
        var modelId = Workflow.NewModelId();
        await _flow.TrainAsync(modelId);
        var old = await _flow.SubmitAsync(modelId, Submission);

        var created = (await silo.As(DevTokens.Bob).PostAsync($"/v1/models/{modelId}/approval", new
        {
            approved_environments = new[] { "staging" },
            required_approvers = 2,
            supersede = true,
        })).AssertStatus(HttpStatusCode.Created);

        var newId = created.Json.Text("approval_id");
        Assert.NotEqual(old.Text("approval_id"), newId);
        Assert.Equal("pending", created.Json.Text("status"));
        Assert.Equal("bob", created.Json.Text("approved_by"));
        var model = (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{modelId}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("pending", model.Json.Text("status"));
        Assert.Equal(newId, model["approval"].Text("approval_id"));
        var document = (await silo.As(DevTokens.Registry).GetAsync($"/v1/models/{modelId}/approval/document")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(newId, document.Json.Text("approval_id"));

        var entries = await _flow.EvidenceAsync(modelId);
        var superseded = Assert.Single(entries, e => e.Text("event") == "approval_superseded");
        Assert.Equal(old.Text("approval_id"), superseded.Field("data").Text("approval_id"));
        Assert.Equal(newId, superseded.Field("data").Text("superseded_by"));
        Assert.Equal("bob", superseded.Text("actor"));
        Assert.Equal(
            ["training_completed", "policy_evaluated", "approval_submitted", "policy_evaluated", "approval_superseded", "approval_submitted"],
            entries.Select(e => e.Text("event")));
        Assert.Equal(newId, entries[^1].Field("data").Text("approval_id"));
    }

    [Fact]
    public async Task Superseding_a_deployed_approval_stops_it_verifying_and_refuses_signatures_for_it()
    {
        var approved = await _flow.ApprovedModelAsync();
        (await silo.As(DevTokens.Deployer).PostAsync($"/v1/models/{approved.ModelId}/deployments", new
        {
            approval_id = approved.ApprovalId,
            environment = "production",
            weights_hash = approved.WeightsHash,
        })).AssertStatus(HttpStatusCode.Created);
        var carol = await _flow.RegisterKeyAsync("carol", DevTokens.Carol);

        var created = (await silo.As(DevTokens.Carol).PostAsync($"/v1/models/{approved.ModelId}/approval", new
        {
            approved_environments = new[] { "production" },
            required_approvers = 2,
            supersede = true,
        })).AssertStatus(HttpStatusCode.Created);

        var verify = (await silo.As(DevTokens.Registry).GetAsync($"/v1/models/{approved.ModelId}/verify?environment=production"))
            .AssertStatus(HttpStatusCode.OK);
        Assert.False(verify["allowed"].GetBoolean());
        Assert.Equal("quorum_not_met", verify.Json.Text("reason"));
        Assert.Equal(created.Json.Text("approval_id"), verify.Json.Text("approval_id"));
        (await silo.As(DevTokens.Deployer).PostAsync($"/v1/models/{approved.ModelId}/deployments", new
        {
            approval_id = approved.ApprovalId,
            environment = "production",
            weights_hash = approved.WeightsHash,
        })).AssertProblem(HttpStatusCode.Conflict, "approval_mismatch");
        (await silo.As(DevTokens.Carol).PostAsync($"/v1/models/{approved.ModelId}/approval/signatures", new
        {
            approval_id = approved.ApprovalId,
            key_id = carol.KeyId,
            signature = Convert.ToBase64String(new byte[64]),
        })).AssertProblem(HttpStatusCode.Conflict, "approval_mismatch");
        Assert.Single(await _flow.EventsAsync(approved.ModelId), e => e == "approval_superseded");
    }

    [Fact]
    public async Task A_new_training_output_leaves_the_live_approval_alone_and_is_the_next_submissions_candidate()
    {
        var approved = await _flow.ApprovedModelAsync();
        var retrained = await _flow.TrainAsync(approved.ModelId);

        var verify = (await silo.As(DevTokens.Registry).GetAsync($"/v1/models/{approved.ModelId}/verify?environment=production&weights_hash={approved.WeightsHash}"))
            .AssertStatus(HttpStatusCode.OK);
        Assert.True(verify["allowed"].GetBoolean(), verify.ToString());
        Assert.Equal("quorum_reached", verify.Json.Text("status"));

        var next = (await silo.As(DevTokens.Alice).PostAsync($"/v1/models/{approved.ModelId}/approval", new
        {
            approved_environments = new[] { "production" },
            required_approvers = 1,
            supersede = true,
        })).AssertStatus(HttpStatusCode.Created);
        Assert.Equal(retrained, next.Json.Text("weights_hash"));
    }

    [Fact]
    public async Task Supersede_without_a_live_approval_simply_submits()
    {
        var modelId = Workflow.NewModelId();
        await _flow.TrainAsync(modelId);

        (await silo.As(DevTokens.Alice).PostAsync($"/v1/models/{modelId}/approval", new
        {
            approved_environments = new[] { "production" },
            required_approvers = 1,
            supersede = true,
        })).AssertStatus(HttpStatusCode.Created);

        Assert.DoesNotContain("approval_superseded", await _flow.EventsAsync(modelId));
    }

    [Fact]
    public async Task A_new_submission_after_a_revocation_needs_no_supersede()
    {
        var modelId = Workflow.NewModelId();
        await _flow.TrainAsync(modelId);
        await _flow.SubmitAsync(modelId, Submission);
        (await silo.As(DevTokens.Alice).PostAsync($"/v1/models/{modelId}/revocation", new { reason = "wrong environments" })).AssertStatus(HttpStatusCode.OK);

        await _flow.SubmitAsync(modelId, Submission);
    }

    [Fact]
    public async Task Revoking_without_a_live_approval_is_approval_not_active()
    {
        var modelId = Workflow.NewModelId();
        await _flow.TrainAsync(modelId);

        (await silo.As(DevTokens.Alice).PostAsync($"/v1/models/{modelId}/revocation", new { reason = "nothing to revoke" }))
            .AssertProblem(HttpStatusCode.Conflict, "approval_not_active");

        await _flow.SubmitAsync(modelId, Submission);
        (await silo.As(DevTokens.Admin).PostAsync($"/v1/models/{modelId}/revocation", new { reason = "first" })).AssertStatus(HttpStatusCode.OK);
        (await silo.As(DevTokens.Admin).PostAsync($"/v1/models/{modelId}/revocation", new { reason = "second" }))
            .AssertProblem(HttpStatusCode.Conflict, "approval_not_active");
    }

    [Fact]
    public async Task Submitting_without_a_training_output_is_training_missing()
    {
        (await silo.As(DevTokens.Alice).PostAsync($"/v1/models/{Workflow.NewModelId()}/approval", Submission))
            .AssertProblem(HttpStatusCode.Conflict, "training_missing");
    }
}
