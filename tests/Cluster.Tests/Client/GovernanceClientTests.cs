using System.Text.Json;
using Governance.Client;
using Governance.Cluster.Tests.Infrastructure;
using Governance.Grains;
using Governance.Grains.Calls;
using Governance.Grains.Wire;

namespace Governance.Cluster.Tests.Client;

/// <summary>
/// A .NET service on <c>AddGovernanceClient</c> against a silo process on PostgreSQL: the three
/// planes, the silo's checks of the token it carries, roles and separation of duties.
/// </summary>
public sealed class GovernanceClientTests(ProcessSiloFixture<GovernanceClientTests> fixture)
    : IClassFixture<ProcessSiloFixture<GovernanceClientTests>>
{
    private SiloProcess Silo => fixture.Silo;

    [Fact]
    public async Task The_three_planes_work_through_the_client()
    {
        var modelId = Workflow.NewModelId();
        var weightsHash = Workflow.NewWeightsHash();
        var alice = ApproverKey.Create("alice", DevTokens.Alice);
        var bob = ApproverKey.Create("bob", DevTokens.Bob);
        await using (var admin = await ClientHost.StartAsync(Silo, DevTokens.Admin))
        {
            await admin.Client.RegisterKeyAsync("alice", alice.KeyId, new KeyRegistrationRequest(alice.PublicKeyBase64));
            await admin.Client.RegisterKeyAsync("bob", bob.KeyId, new KeyRegistrationRequest(bob.PublicKeyBase64));
        }

        await using var trainer = await ClientHost.StartAsync(Silo, DevTokens.Trainer);
        var training = await trainer.Client.RecordTrainingAsync(
            modelId, Training(weightsHash, new() { ["loss"] = 0.12, ["accuracy"] = 0.95 }));
        Assert.Equal(weightsHash, training.WeightsHash);

        await using var aliceClient = await ClientHost.StartAsync(Silo, DevTokens.Alice);
        await using var bobClient = await ClientHost.StartAsync(Silo, DevTokens.Bob);
        var submitted = await aliceClient.Client.SubmitApprovalAsync(modelId, new ApprovalRequest(null, ["production"], ["eu"], 2, null, null, null));
        Assert.Equal("pending", submitted.Status);
        var document = await aliceClient.Client.GetApprovalDocumentAsync(modelId);
        var signingInput = Convert.FromBase64String(document.SigningInput);
        Assert.Equal("pending", (await aliceClient.Client.AddSignatureAsync(modelId, new SignatureRequest(document.ApprovalId, alice.KeyId, alice.SignBase64(signingInput)))).Status);
        Assert.Equal("quorum_reached", (await bobClient.Client.AddSignatureAsync(modelId, new SignatureRequest(document.ApprovalId, bob.KeyId, bob.SignBase64(signingInput)))).Status);

        await using var deployer = await ClientHost.StartAsync(Silo, DevTokens.Deployer);
        var promotion = await deployer.Client.DeployAsync(modelId, new DeploymentRequest(document.ApprovalId, "production", "eu", weightsHash));
        Assert.True(promotion.Promoted);
        Assert.Equal("deployer-1", promotion.DeployedBy);

        await using var registry = await ClientHost.StartAsync(Silo, DevTokens.Registry);
        var allowed = await registry.Client.VerifyAsync(modelId, "production", "eu", weightsHash);
        Assert.True(allowed.Allowed, allowed.Reason);
        Assert.False((await registry.Client.VerifyAsync(modelId, "staging", "eu", weightsHash)).Allowed);

        await using var monitor = await ClientHost.StartAsync(Silo, DevTokens.Monitor);
        await monitor.Client.ObserveDriftAsync(modelId, new DriftObservationRequest(new() { ["loss"] = 0.9, ["accuracy"] = 0.1 }, null, null));
        var revoked = await Eventually.UntilAsync(
            () => registry.Client.VerifyAsync(modelId, "production", "eu", weightsHash), d => !d.Allowed, TimeSpan.FromSeconds(20),
            $"the severe drift observation to revoke {modelId}");
        Assert.Equal(ErrorCodes.ApprovalRevoked, revoked.Reason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-known-token")]
    public async Task A_missing_or_unknown_token_is_unauthorized(string? token)
    {
        await using var client = await ClientHost.StartAsync(Silo, token);
        var refusal = await Assert.ThrowsAsync<GovernanceException>(() => client.Client.VerifyAsync(Workflow.NewModelId(), "production", null, null));
        Assert.Equal(ErrorCodes.Unauthorized, refusal.Code);
    }

    [Fact]
    public async Task A_role_the_token_lacks_is_forbidden()
    {
        await using var registry = await ClientHost.StartAsync(Silo, DevTokens.Registry);
        var refusal = await Assert.ThrowsAsync<GovernanceException>(() => registry.Client.RecordTrainingAsync(
            Workflow.NewModelId(), Training(Workflow.NewWeightsHash(), new() { ["loss"] = 0.1 })));
        Assert.Equal(ErrorCodes.Forbidden, refusal.Code);
    }

    [Fact]
    public async Task Methods_for_the_cluster_only_are_refused_to_a_client()
    {
        await using var omni = await ClientHost.StartAsync(Silo, DevTokens.Omni);
        var refusal = await Assert.ThrowsAsync<GovernanceException>(() => omni.Client.Model(Workflow.NewModelId()).ExpireIfDue());
        Assert.Equal(ErrorCodes.Forbidden, refusal.Code);
    }

    [Fact]
    public async Task Separation_of_duties_holds_for_the_client()
    {
        var modelId = Workflow.NewModelId();
        var omniKey = ApproverKey.Create("omni", DevTokens.Omni);
        await using (var admin = await ClientHost.StartAsync(Silo, DevTokens.Admin))
        {
            await admin.Client.RegisterKeyAsync("omni", omniKey.KeyId, new KeyRegistrationRequest(omniKey.PublicKeyBase64));
        }

        await using var omni = await ClientHost.StartAsync(Silo, DevTokens.Omni);
        await using var alice = await ClientHost.StartAsync(Silo, DevTokens.Alice);
        await omni.Client.RecordTrainingAsync(modelId, Training(Workflow.NewWeightsHash(), new() { ["loss"] = 0.1 }));
        await alice.Client.SubmitApprovalAsync(modelId, new ApprovalRequest(null, ["production"], null, 1, null, null, null));
        var document = await omni.Client.GetApprovalDocumentAsync(modelId);
        var refusal = await Assert.ThrowsAsync<GovernanceException>(() => omni.Client.AddSignatureAsync(
            modelId, new SignatureRequest(document.ApprovalId, omniKey.KeyId, omniKey.SignBase64(Convert.FromBase64String(document.SigningInput)))));
        Assert.Equal(ErrorCodes.SeparationOfDuties, refusal.Code);
    }

    [Fact]
    public async Task A_token_set_by_the_calling_code_wins_over_the_configured_one()
    {
        await using var registry = await ClientHost.StartAsync(Silo, DevTokens.Registry);
        var modelId = Workflow.NewModelId();
        CallerToken.Set(DevTokens.Trainer);
        try
        {
            var training = await registry.Client.RecordTrainingAsync(
                modelId, Training(Workflow.NewWeightsHash(), new() { ["loss"] = 0.1 }));
            Assert.Equal("trainer-1", training.TrainedBy);
        }
        finally
        {
            CallerToken.Set(null);
        }
    }

    [Fact]
    public async Task Bad_input_is_refused_with_the_field_named()
    {
        await using var registry = await ClientHost.StartAsync(Silo, DevTokens.Registry);
        var refusal = await Assert.ThrowsAsync<GovernanceException>(() => registry.Client.VerifyAsync("_reserved", "production", null, null));
        Assert.Equal((ErrorCodes.InvalidRequest, "model_id"), (refusal.Code, refusal.Field));
    }

    private static TrainingOutputRequest Training(string weightsHash, Dictionary<string, double> metrics) =>
        new(weightsHash, metrics, JsonDocument.Parse("""{"name":"client-test","owner":"ml-platform"}""").RootElement, "run-1", null);
}
