using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Governance.Gateway.Tests.Infrastructure;

namespace Governance.Gateway.Tests;

/// <summary>
/// The live-activation gauge is read from every meter of that name in the process, so this class runs
/// alone, after the parallel ones, when its silo is the only one.
/// </summary>
[CollectionDefinition(nameof(UnknownModelTests), DisableParallelization = true)]
public sealed class UnknownModelCollection;

/// <summary>
/// Questions about model ids that nobody wrote are answered <c>not_found</c> and keep no activation
/// (issue 9 row 7: each one used to stay in memory for the idle timeout, and at the cap evicted real models).
/// </summary>
[Trait("Category", "Integration")]
[Collection(nameof(UnknownModelTests))]
public sealed partial class UnknownModelTests(SiloFixture<UnknownModelTests> silo) : IClassFixture<SiloFixture<UnknownModelTests>>
{
    private const int UnknownIds = 300;

    private readonly Workflow _flow = new(silo);

    [Fact]
    public async Task Row7_verify_get_and_batch_verify_of_unknown_ids_keep_no_activation()
    {
        var known = Workflow.NewModelId();
        await _flow.TrainAsync(known);
        var before = await LiveActivationsAsync();

        for (var i = 0; i < UnknownIds; i++)
        {
            var id = Workflow.NewModelId();
            var decision = (await silo.As(DevTokens.Registry).GetAsync($"/v1/models/{id}/verify?environment=production")).AssertStatus(HttpStatusCode.OK);
            Assert.Equal("not_found", decision.Json.Text("reason"));
            (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{id}")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        }

        var items = Enumerable.Range(0, 1000).Select(_ => new { model_id = Workflow.NewModelId(), environment = "production" }).ToArray();
        var batch = (await silo.As(DevTokens.Registry).PostAsync("/v1/verify", new { items })).AssertStatus(HttpStatusCode.OK);
        Assert.All(batch.Json.Field("decisions").EnumerateArray(), d => Assert.Equal("not_found", d.Text("reason")));

        var after = await LiveActivationsAsync();
        Assert.True(after <= before, $"live activations went from {before} to {after} after {UnknownIds * 2 + 1000} calls on unknown ids");

        // A model that exists keeps its activation and its state.
        Assert.Equal("trained", (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{known}")).AssertStatus(HttpStatusCode.OK).Json.Text("status"));
    }

    private async Task<double> LiveActivationsAsync()
    {
        var metrics = (await silo.As(null).GetAsync("/metrics")).AssertStatus(HttpStatusCode.OK).Body;
        var match = LiveActivations().Match(metrics);
        Assert.True(match.Success, $"no orleans_catalog_activations gauge in /metrics:\n{metrics}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^orleans_catalog_activations(?:\{[^}]*\})? ([0-9.eE+-]+)$", RegexOptions.Multiline)]
    private static partial Regex LiveActivations();
}
