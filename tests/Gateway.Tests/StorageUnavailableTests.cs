using System.Net;
using Governance.Gateway.Tests.Infrastructure;

namespace Governance.Gateway.Tests;

/// <summary>When its database goes away the silo stays alive, is not ready, and fails closed with 503 <c>unavailable</c>.</summary>
[Trait("Category", "Integration")]
public sealed class StorageUnavailableTests(UnreachableDatabaseSilo<StorageUnavailableTests> silo) : IClassFixture<UnreachableDatabaseSilo<StorageUnavailableTests>>
{
    private const string Hash = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task Liveness_stays_up()
    {
        (await silo.As(null).GetAsync("/health/live")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Readiness_is_service_unavailable()
    {
        (await silo.As(null).GetAsync("/health/ready")).AssertStatus(HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task A_command_is_unavailable()
    {
        (await silo.As(DevTokens.Trainer).PostAsync($"/v1/models/{Workflow.NewModelId()}/training", new
        {
            weights_hash = Hash,
            metrics = new { accuracy = 0.9 },
            card = new { name = "m" },
        })).AssertProblem(HttpStatusCode.ServiceUnavailable, "unavailable");
    }

    [Fact]
    public async Task Verify_of_an_unknown_model_is_unavailable_not_allowed()
    {
        (await silo.As(DevTokens.Registry).GetAsync($"/v1/models/{Workflow.NewModelId()}/verify?environment=production&weights_hash={Hash}"))
            .AssertProblem(HttpStatusCode.ServiceUnavailable, "unavailable");
    }

    [Fact]
    public async Task A_verify_batch_denies_each_item_whose_model_cannot_be_loaded()
    {
        var modelId = Workflow.NewModelId();
        var response = (await silo.As(DevTokens.Registry).PostAsync("/v1/verify", new
        {
            items = new[] { new { model_id = modelId, environment = "production" } },
        })).AssertStatus(HttpStatusCode.OK);

        var decision = Assert.Single(response.Json.Field("decisions").EnumerateArray());
        Assert.Equal(modelId, decision.Text("model_id"));
        Assert.False(decision.Field("allowed").GetBoolean());
        Assert.Equal("unavailable", decision.Text("reason"));
    }

    [Fact]
    public async Task Reads_and_key_registration_are_unavailable()
    {
        (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{Workflow.NewModelId()}")).AssertProblem(HttpStatusCode.ServiceUnavailable, "unavailable");
        (await silo.As(DevTokens.Auditor).GetAsync("/v1/models?status=deployed")).AssertProblem(HttpStatusCode.ServiceUnavailable, "unavailable");
        (await silo.As(DevTokens.Admin).PutAsync($"/v1/approvers/alice/keys/k-{Guid.NewGuid():N}", new { public_key = Convert.ToBase64String(new byte[32]) }))
            .AssertProblem(HttpStatusCode.ServiceUnavailable, "unavailable");
    }
}
