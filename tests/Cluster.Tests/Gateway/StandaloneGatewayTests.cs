using System.Net;
using Governance.Cluster.Tests.Infrastructure;

namespace Governance.Cluster.Tests.Gateway;

/// <summary>The silo and two standalone gateways of its cluster: one finds it in the membership table, one is given its endpoint.</summary>
public sealed class StandaloneGatewayFixture : ProcessSiloFixture<StandaloneGatewayTests>
{
    private GatewayHostProcess? _throughDatabase;
    private GatewayHostProcess? _throughEndpoints;

    public GatewayHostProcess ThroughDatabase => _throughDatabase ?? throw new InvalidOperationException("Not started.");

    public GatewayHostProcess ThroughEndpoints => _throughEndpoints ?? throw new InvalidOperationException("Not started.");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _throughDatabase = GatewayHostProcess.ThroughDatabase(Silo.ClusterId, ConnectionString);
        _throughEndpoints = GatewayHostProcess.ThroughEndpoints(Silo.ClusterId, Silo);
        await Task.WhenAll(_throughDatabase.StartAsync(), _throughEndpoints.StartAsync());
    }

    public override async Task DisposeAsync()
    {
        foreach (var gateway in new[] { _throughDatabase, _throughEndpoints })
        {
            if (gateway is not null)
            {
                await gateway.DisposeAsync();
            }
        }

        await base.DisposeAsync();
    }
}

/// <summary>`dotnet run --project src/Gateway.Host`: the same API as the co-hosted gateway, on the Orleans client.</summary>
public sealed class StandaloneGatewayTests(StandaloneGatewayFixture fixture) : IClassFixture<StandaloneGatewayFixture>
{
    [Fact]
    public async Task A_model_goes_from_training_to_a_verified_deployment_through_the_standalone_gateway()
    {
        var gateway = fixture.ThroughDatabase;
        var model = await new Workflow(gateway).ApprovedModelAsync();
        (await gateway.As(DevTokens.Deployer).PostAsync($"/v1/models/{model.ModelId}/deployments", new
        {
            approval_id = model.ApprovalId,
            environment = "production",
            weights_hash = model.WeightsHash,
        })).AssertStatus(HttpStatusCode.Created);

        var verify = (await gateway.As(DevTokens.Registry).GetAsync(
            $"/v1/models/{model.ModelId}/verify?environment=production&weights_hash={model.WeightsHash}")).AssertStatus(HttpStatusCode.OK);
        Assert.True(verify.Json.GetProperty("allowed").GetBoolean(), verify.Body);

        // The other gateway and the silo's own see the same model.
        foreach (var other in new IApiTarget[] { fixture.ThroughEndpoints, fixture.Silo })
        {
            var again = (await other.As(DevTokens.Registry).GetAsync(
                $"/v1/models/{model.ModelId}/verify?environment=production&weights_hash={model.WeightsHash}")).AssertStatus(HttpStatusCode.OK);
            Assert.True(again.Json.GetProperty("allowed").GetBoolean(), again.Body);
        }
    }

    [Fact]
    public async Task Drift_posted_to_the_standalone_gateway_revokes_the_approval()
    {
        var gateway = fixture.ThroughEndpoints;
        var model = await new Workflow(gateway).ApprovedModelAsync(trainingMetrics: new { loss = 0.121, accuracy = 0.953 });
        (await gateway.As(DevTokens.Monitor).PostAsync($"/v1/models/{model.ModelId}/drift", new { serving_metrics = new { loss = 0.9, accuracy = 0.1 } }))
            .AssertStatus(HttpStatusCode.Accepted);
        await Eventually.UntilAsync(
            async () => (await gateway.As(DevTokens.Registry).GetAsync($"/v1/models/{model.ModelId}")).Json.Text("status"),
            status => status == "revoked", TimeSpan.FromSeconds(20), $"{model.ModelId} revoked by its drift monitor");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-known-token")]
    public async Task A_missing_or_unknown_token_is_refused_with_problem_json(string? token)
    {
        var response = await fixture.ThroughDatabase.As(token).GetAsync($"/v1/models/{Workflow.NewModelId()}");
        response.AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Separation_of_duties_holds_through_the_standalone_gateway()
    {
        var gateway = fixture.ThroughDatabase;
        var flow = new Workflow(gateway);
        var modelId = Workflow.NewModelId();
        var omni = await flow.RegisterKeyAsync("omni", DevTokens.Omni);
        await flow.TrainAsync(modelId, DevTokens.Omni);
        await flow.SubmitAsync(modelId, new { approved_environments = new[] { "production" }, required_approvers = 1 });
        (await flow.SignAsync(modelId, omni)).AssertProblem(HttpStatusCode.Forbidden, "separation_of_duties");
    }

    [Fact]
    public async Task Bad_input_gets_the_same_problem_as_on_the_silo()
    {
        foreach (var target in new IApiTarget[] { fixture.ThroughDatabase, fixture.Silo })
        {
            (await target.As(DevTokens.Registry).GetAsync("/v1/models/_reserved/verify?environment=production"))
                .AssertProblem(HttpStatusCode.BadRequest, "invalid_request", "model_id");
            (await target.As(DevTokens.Trainer).PostRawAsync($"/v1/models/{Workflow.NewModelId()}/training", "{\"weights_hash\":"))
                .AssertProblem(HttpStatusCode.BadRequest, "invalid_request");
        }
    }

    [Fact]
    public async Task Ready_means_connected_to_the_cluster()
    {
        Assert.True(await fixture.ThroughDatabase.IsReadyAsync());
        var live = await fixture.ThroughDatabase.As(null).GetAsync("/health/live");
        live.AssertStatus(HttpStatusCode.OK);
    }
}
