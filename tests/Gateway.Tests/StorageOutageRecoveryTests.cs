using System.Net;
using Governance.Gateway.Tests.Infrastructure;

namespace Governance.Gateway.Tests;

/// <summary>A database outage of a few seconds: refused while it lasts, then served again with no restart, nothing half-written.</summary>
[Trait("Category", "Integration")]
public sealed class StorageOutageRecoveryTests(UnreachableDatabaseSilo<StorageOutageRecoveryTests> silo)
    : IClassFixture<UnreachableDatabaseSilo<StorageOutageRecoveryTests>>
{
    private const string Hash = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task The_silo_recovers_by_itself_when_the_database_returns()
    {
        var modelId = Workflow.NewModelId();
        var training = new { weights_hash = Hash, metrics = new { accuracy = 0.9 }, card = new { name = "m" } };
        (await silo.As(DevTokens.Trainer).PostAsync($"/v1/models/{modelId}/training", training))
            .AssertProblem(HttpStatusCode.ServiceUnavailable, "unavailable");
        await Task.Delay(TimeSpan.FromSeconds(3));

        silo.Restore();

        await Eventually.UntilAsync(() => silo.As(null).GetAsync("/health/ready"), r => r.Status == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "the silo to be ready again");
        (await silo.As(DevTokens.Trainer).PostAsync($"/v1/models/{modelId}/training", training)).AssertStatus(HttpStatusCode.Created);
        var evidence = (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{modelId}/evidence")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(["training_completed"], evidence.Json.Field("entries").EnumerateArray().Select(e => e.Text("event")));
    }
}
