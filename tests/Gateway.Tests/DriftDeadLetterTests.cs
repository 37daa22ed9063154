using System.Net;
using System.Text.Json;
using Governance.Gateway.Tests.Infrastructure;
using Npgsql;

namespace Governance.Gateway.Tests;

/// <summary>
/// Issue 9, row 1: drift observations set aside after every delivery attempt failed are listed for
/// auditors and admins at <c>GET /v1/drift/dead-letters</c>, and for nobody else. The set-aside
/// itself is proven in the runtime tests; here the records are written into the silo's table as the
/// pump writes them.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DriftDeadLetterTests(SiloFixture<DriftDeadLetterTests> silo) : IClassFixture<SiloFixture<DriftDeadLetterTests>>
{
    [Fact]
    public async Task Row1_the_dead_letter_route_answers_auditors_and_admins_and_refuses_other_roles()
    {
        var nobody = Workflow.NewModelId();
        foreach (var token in new[] { DevTokens.Auditor, DevTokens.Admin })
        {
            var page = (await silo.As(token).GetAsync($"/v1/drift/dead-letters?model_id={nobody}")).AssertStatus(HttpStatusCode.OK);
            Assert.Empty(page["entries"].EnumerateArray());
            Assert.Equal(JsonValueKind.Null, page["next_page_token"].ValueKind);
        }

        foreach (var token in new[] { DevTokens.Monitor, DevTokens.Trainer, DevTokens.Alice, DevTokens.Deployer, DevTokens.Registry })
        {
            (await silo.As(token).GetAsync("/v1/drift/dead-letters")).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        }

        (await silo.As(null).GetAsync("/v1/drift/dead-letters")).AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
        (await silo.As(DevTokens.Auditor).GetAsync("/v1/drift/dead-letters?limit=0")).AssertProblem(HttpStatusCode.BadRequest, "invalid_request", "limit");
        (await silo.As(DevTokens.Auditor).GetAsync("/v1/drift/dead-letters?page_token=x")).AssertProblem(HttpStatusCode.BadRequest, "invalid_request", "page_token");
        (await silo.As(DevTokens.Auditor).GetAsync("/v1/drift/dead-letters?model_id=_keys:x")).AssertProblem(HttpStatusCode.BadRequest, "invalid_request", "model_id");
    }

    [Fact]
    public async Task Row1_set_aside_observations_of_a_model_are_listed_page_by_page_with_the_observation_and_its_error()
    {
        var modelId = Workflow.NewModelId();
        var other = Workflow.NewModelId();
        await SetAsideAsync(modelId, 7, """{"event_id":"e-1","model_id":"M"}""".Replace("M", modelId, StringComparison.Ordinal));
        await SetAsideAsync(other, 8, """{"event_id":"e-other"}""");
        await SetAsideAsync(modelId, 9, "not json");

        var first = (await silo.As(DevTokens.Auditor).GetAsync($"/v1/drift/dead-letters?model_id={modelId}&limit=1")).AssertStatus(HttpStatusCode.OK);
        var entry = Assert.Single(first["entries"].EnumerateArray());
        Assert.Equal(modelId, entry.Text("model_id"));
        Assert.Equal(7, entry.Field("seq").GetInt64());
        Assert.Equal("e-1", entry.Field("payload").Text("event_id"));
        Assert.Equal("System.InvalidOperationException: cannot serialise the result", entry.Text("error"));
        Assert.Equal(5, entry.Field("attempts").GetInt32());
        Assert.True(entry.Field("id").GetInt64() > 0 && entry.Field("partition").GetInt32() >= 0, entry.ToString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", entry.Text("set_aside_at"));

        var token = first.Json.Text("next_page_token");
        Assert.NotNull(token);
        var second = (await silo.As(DevTokens.Admin).GetAsync($"/v1/drift/dead-letters?model_id={modelId}&limit=1&page_token={token}")).AssertStatus(HttpStatusCode.OK);
        var last = Assert.Single(second["entries"].EnumerateArray());
        Assert.Equal((9L, "not json"), (last.Field("seq").GetInt64(), last.Text("payload")));
        Assert.Equal(JsonValueKind.Null, second["next_page_token"].ValueKind);

        var all = (await silo.As(DevTokens.Auditor).GetAsync("/v1/drift/dead-letters")).AssertStatus(HttpStatusCode.OK);
        Assert.Superset(new[] { modelId, other }.ToHashSet(), all["entries"].EnumerateArray().Select(e => e.Text("model_id")!).ToHashSet());
    }

    /// <summary>A record as the stream pump writes it when it gives up on an observation.</summary>
    private async Task SetAsideAsync(string modelId, long seq, string payload)
    {
        await using var command = silo.Database.CreateCommand("""
            INSERT INTO stream_set_aside (consumer, namespace, partition, seq, stream_key, payload, appended_at, error, attempts)
            VALUES ('drift-monitor', 'drift', $1, $2, $3, $4, now(), 'System.InvalidOperationException: cannot serialise the result', 5)
            """);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = 0 });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = seq });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = modelId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = payload });
        await command.ExecuteNonQueryAsync();
    }
}
