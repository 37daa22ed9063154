using System.Net;
using Governance.Gateway.Tests.Infrastructure;

namespace Governance.Gateway.Tests;

/// <summary>No single identity trains, approves and deploys a model (DESIGN §5.2), whatever roles it holds.</summary>
[Trait("Category", "Integration")]
public sealed class SeparationOfDutiesTests(SiloFixture<SeparationOfDutiesTests> silo) : IClassFixture<SiloFixture<SeparationOfDutiesTests>>
{
    private readonly Workflow _flow = new(silo);

    [Fact]
    public async Task The_trainer_may_not_sign_the_approval_even_with_the_approver_role()
    {
        var modelId = Workflow.NewModelId();
        var omni = await _flow.RegisterKeyAsync("omni", DevTokens.Omni);
        await _flow.TrainAsync(modelId, DevTokens.Omni);
        await _flow.SubmitAsync(modelId, new { approved_environments = new[] { "production" }, required_approvers = 1 });

        (await _flow.SignAsync(modelId, omni)).AssertProblem(HttpStatusCode.Forbidden, "separation_of_duties");

        var model = (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{modelId}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("pending", model.Json.Text("status"));
        Assert.Empty(model["approval"].Field("signatures").EnumerateArray());
    }

    [Fact]
    public async Task A_signer_may_not_deploy_the_approval_it_signed()
    {
        var modelId = Workflow.NewModelId();
        var alice = await _flow.RegisterKeyAsync("alice", DevTokens.Alice);
        var omni = await _flow.RegisterKeyAsync("omni", DevTokens.Omni);
        var weightsHash = await _flow.TrainAsync(modelId);
        var approval = await _flow.SubmitAsync(modelId, new { approved_environments = new[] { "production" }, required_approvers = 2 });
        (await _flow.SignAsync(modelId, alice)).AssertStatus(HttpStatusCode.OK);
        (await _flow.SignAsync(modelId, omni)).AssertStatus(HttpStatusCode.OK);
        var deployment = new { approval_id = approval.Text("approval_id"), environment = "production", weights_hash = weightsHash };

        (await silo.As(DevTokens.Omni).PostAsync($"/v1/models/{modelId}/deployments", deployment))
            .AssertProblem(HttpStatusCode.Forbidden, "separation_of_duties");
        (await silo.As(DevTokens.Deployer).PostAsync($"/v1/models/{modelId}/deployments", deployment))
            .AssertStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task The_trainer_may_not_deploy_even_with_the_deployer_role()
    {
        var modelId = Workflow.NewModelId();
        var alice = await _flow.RegisterKeyAsync("alice", DevTokens.Alice);
        var bob = await _flow.RegisterKeyAsync("bob", DevTokens.Bob);
        var weightsHash = await _flow.TrainAsync(modelId, DevTokens.Omni);
        var approval = await _flow.SubmitAsync(modelId, new { approved_environments = new[] { "production" }, required_approvers = 2 });
        (await _flow.SignAsync(modelId, alice)).AssertStatus(HttpStatusCode.OK);
        (await _flow.SignAsync(modelId, bob)).AssertStatus(HttpStatusCode.OK);

        (await silo.As(DevTokens.Omni).PostAsync($"/v1/models/{modelId}/deployments", new
        {
            approval_id = approval.Text("approval_id"),
            environment = "production",
            weights_hash = weightsHash,
        })).AssertProblem(HttpStatusCode.Forbidden, "separation_of_duties");

        var verify = (await silo.As(DevTokens.Registry).GetAsync($"/v1/models/{modelId}/verify?environment=production")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("quorum_reached", verify.Json.Text("status"));
    }

    [Fact]
    public async Task A_refused_deployment_leaves_no_trace_in_the_ledger()
    {
        var modelId = Workflow.NewModelId();
        var alice = await _flow.RegisterKeyAsync("alice", DevTokens.Alice);
        var weightsHash = await _flow.TrainAsync(modelId, DevTokens.Omni);
        var approval = await _flow.SubmitAsync(modelId, new { approved_environments = new[] { "production" }, required_approvers = 1 });
        (await _flow.SignAsync(modelId, alice)).AssertStatus(HttpStatusCode.OK);
        var before = await _flow.EventsAsync(modelId);

        (await silo.As(DevTokens.Omni).PostAsync($"/v1/models/{modelId}/deployments", new
        {
            approval_id = approval.Text("approval_id"),
            environment = "production",
            weights_hash = weightsHash,
        })).AssertProblem(HttpStatusCode.Forbidden, "separation_of_duties");

        Assert.Equal(before, await _flow.EventsAsync(modelId));
    }
}
