using System.Net;
using Governance.Gateway.Tests.Infrastructure;

namespace Governance.Gateway.Tests;

/// <summary>The paged model listing for auditors (DESIGN §6).</summary>
[Trait("Category", "Integration")]
public sealed class ModelListingTests(SiloFixture<ModelListingTests> silo) : IClassFixture<SiloFixture<ModelListingTests>>
{
    private readonly Workflow _flow = new(silo);

    [Fact]
    public async Task Deployed_models_are_listed_page_by_page_with_page_tokens()
    {
        var deployed = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            deployed.Add(await DeployedModelAsync());
        }

        var trained = Workflow.NewModelId();
        await _flow.TrainAsync(trained);

        var listed = new List<(string ModelId, string Status)>();
        string? pageToken = null;
        var pages = 0;
        do
        {
            var query = pageToken is null ? "status=deployed&limit=2" : $"status=deployed&limit=2&page_token={pageToken}";
            var page = (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models?{query}")).AssertStatus(HttpStatusCode.OK);
            var models = page["models"].EnumerateArray().ToArray();
            Assert.InRange(models.Length, 1, 2);
            listed.AddRange(models.Select(m => (m.Text("model_id")!, m.Text("status")!)));
            pageToken = page.Json.Text("next_page_token");
            pages++;
            Assert.True(pages <= 100, "The listing does not end.");
        }
        while (pageToken is not null);

        Assert.True(pages >= 2, $"Expected several pages of 2, got {pages}.");
        Assert.All(listed, m => Assert.Equal("deployed", m.Status));
        Assert.Equal(listed.Count, listed.Select(m => m.ModelId).Distinct().Count());
        Assert.Subset(listed.Select(m => m.ModelId).ToHashSet(), deployed.ToHashSet());
        Assert.DoesNotContain(trained, listed.Select(m => m.ModelId));
    }

    [Fact]
    public async Task A_listing_row_carries_the_approval_and_its_expiry()
    {
        var modelId = await DeployedModelAsync();

        var rows = new List<System.Text.Json.JsonElement>();
        string? pageToken = null;
        do
        {
            var query = pageToken is null ? "status=deployed" : $"status=deployed&page_token={pageToken}";
            var page = (await silo.As(DevTokens.Admin).GetAsync($"/v1/models?{query}")).AssertStatus(HttpStatusCode.OK);
            rows.AddRange(page["models"].EnumerateArray());
            pageToken = page.Json.Text("next_page_token");
        }
        while (pageToken is not null);

        var row = Assert.Single(rows, r => r.Text("model_id") == modelId);
        var model = (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{modelId}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(model["approval"].Text("approval_id"), row.Text("approval_id"));
        Assert.Equal(model["approval"].Text("expires_at"), row.Text("expires_at"));
    }

    [Fact]
    public async Task Expiring_within_days_lists_only_approvals_that_expire_in_that_window()
    {
        var soon = Workflow.NewModelId();
        var later = Workflow.NewModelId();
        await _flow.TrainAsync(soon);
        await _flow.TrainAsync(later);
        await _flow.SubmitAsync(soon, new { approved_environments = new[] { "production" }, required_approvers = 1, approval_ttl_days = 3 });
        await _flow.SubmitAsync(later, new { approved_environments = new[] { "production" }, required_approvers = 1, approval_ttl_days = 30 });

        var withinFive = await ListAllAsync("status=pending&expiring_within_days=5");
        var withinOne = await ListAllAsync("status=pending&expiring_within_days=1");

        Assert.Contains(soon, withinFive);
        Assert.DoesNotContain(later, withinFive);
        Assert.DoesNotContain(soon, withinOne);
    }

    [Fact]
    public async Task Expiring_within_days_leaves_out_approvals_that_were_revoked()
    {
        var revoked = Workflow.NewModelId();
        var live = Workflow.NewModelId();
        await _flow.TrainAsync(revoked);
        await _flow.TrainAsync(live);
        await _flow.SubmitAsync(revoked, new { approved_environments = new[] { "production" }, required_approvers = 1, approval_ttl_days = 3 });
        await _flow.SubmitAsync(live, new { approved_environments = new[] { "production" }, required_approvers = 1, approval_ttl_days = 3 });
        (await silo.As(DevTokens.Alice).PostAsync($"/v1/models/{revoked}/revocation", new { reason = "withdrawn" })).AssertStatus(HttpStatusCode.OK);

        var expiring = await ListAllAsync("expiring_within_days=5");

        Assert.Contains(live, expiring);
        Assert.False(expiring.Contains(revoked), $"Revoked model {revoked} is listed as expiring within 5 days.");
    }

    [Theory]
    [InlineData(DevTokens.Alice)]
    [InlineData(DevTokens.Registry)]
    [InlineData(DevTokens.Omni)]
    public async Task The_listing_is_forbidden_to_non_auditors(string token)
    {
        (await silo.As(token).GetAsync("/v1/models?status=deployed")).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
    }

    private async Task<List<string>> ListAllAsync(string query)
    {
        var ids = new List<string>();
        string? pageToken = null;
        do
        {
            var page = (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models?{query}{(pageToken is null ? "" : $"&page_token={pageToken}")}"))
                .AssertStatus(HttpStatusCode.OK);
            ids.AddRange(page["models"].EnumerateArray().Select(m => m.Text("model_id")!));
            pageToken = page.Json.Text("next_page_token");
        }
        while (pageToken is not null);

        return ids;
    }

    private async Task<string> DeployedModelAsync()
    {
        var approved = await _flow.ApprovedModelAsync();
        (await silo.As(DevTokens.Deployer).PostAsync($"/v1/models/{approved.ModelId}/deployments", new
        {
            approval_id = approved.ApprovalId,
            environment = "production",
            weights_hash = approved.WeightsHash,
        })).AssertStatus(HttpStatusCode.Created);
        return approved.ModelId;
    }
}
