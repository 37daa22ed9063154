using Governance.Storage.Streams;
using System.Net;
using System.Text.Json;
using Governance.Gateway.Tests.Infrastructure;

namespace Governance.Gateway.Tests;

/// <summary>Drift observations posted over HTTP travel the drift stream and change the model with no other request.</summary>
[Trait("Category", "Integration")]
public sealed class DriftTests(SiloFixture<DriftTests> silo) : IClassFixture<SiloFixture<DriftTests>>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Workflow _workflow = new(silo);

    [Fact]
    public async Task The_seed_example_is_recorded_with_severity_0_552_and_investigate_without_revoking()
    {
        var model = await _workflow.ApprovedModelAsync();

        var eventId = await PostDriftAsync(model.ModelId, new
        {
            serving_metrics = new { loss = 0.45, accuracy = 0.80 },
            training_metrics = new { loss = 0.28, accuracy = 0.94 },
        });

        var drift = await LatestDriftAsync(model.ModelId, eventId);
        var result = drift.Field("result");
        Assert.Equal(0.552, Math.Round(result.Field("severity").GetDouble(), 3));
        Assert.Equal("investigate", result.Text("action"));
        Assert.Equal("medium", result.Text("alert_severity"));
        Assert.True(result.Field("drifted").GetBoolean());
        Assert.False(drift.Field("alert").Field("revoked").GetBoolean());
        Assert.Equal("quorum_reached", await StatusAsync(model.ModelId));
        var detected = Assert.Single(await EvidenceAsync(model.ModelId, "drift_detected"));
        Assert.Equal(eventId, detected.Field("data").Text("event_id"));
        Assert.Equal("system:drift-detector", detected.Text("actor"));
    }

    [Fact]
    public async Task A_severe_observation_makes_verify_deny_approval_revoked_with_no_other_request()
    {
        var model = await _workflow.ApprovedModelAsync();
        var verify = $"/v1/models/{model.ModelId}/verify?environment=production&weights_hash={model.WeightsHash}";
        Assert.True((await silo.As(DevTokens.Registry).GetAsync(verify)).AssertStatus(HttpStatusCode.OK).Json.Field("allowed").GetBoolean());

        await PostDriftAsync(model.ModelId, new { serving_metrics = new { loss = 0.9, accuracy = 0.1 } });

        var denied = await Eventually.UntilAsync(
            () => silo.As(DevTokens.Registry).GetAsync(verify),
            response => response.Json.Text("reason") == "approval_revoked",
            Timeout,
            $"model {model.ModelId}: verify to answer approval_revoked after a severe drift observation");
        Assert.False(denied.Json.Field("allowed").GetBoolean());
        var revoked = Assert.Single(await EvidenceAsync(model.ModelId, "approval_revoked"));
        Assert.Equal("system:drift-detector", revoked.Text("actor"));
        Assert.Contains("drift severity", revoked.Field("data").Text("reason"), StringComparison.Ordinal);
        var events = (await EvidenceAsync(model.ModelId)).Select(e => e.Text("event")).ToList();
        Assert.Equal(events.IndexOf("drift_detected") + 1, events.IndexOf("approval_revoked"));
    }

    [Fact]
    public async Task An_observation_without_drift_updates_the_latest_drift_and_writes_no_evidence()
    {
        var model = await _workflow.ApprovedModelAsync();
        var before = (await EvidenceAsync(model.ModelId)).Count;

        var eventId = await PostDriftAsync(model.ModelId, new { serving_metrics = new { accuracy = 0.93, loss = 0.21 } });

        var drift = await LatestDriftAsync(model.ModelId, eventId);
        Assert.False(drift.Field("result").Field("drifted").GetBoolean());
        Assert.Equal(0, drift.Field("result").Field("severity").GetDouble());
        Assert.Equal(JsonValueKind.Null, drift.Field("alert").ValueKind);
        Assert.Equal(before, (await EvidenceAsync(model.ModelId)).Count);
        Assert.Equal("quorum_reached", await StatusAsync(model.ModelId));
    }

    [Fact]
    public async Task Distribution_drift_is_recorded_but_revokes_only_where_the_profile_asks()
    {
        var model = await _workflow.ApprovedModelAsync();
        var training = Enumerable.Range(0, 200).Select(i => i / 200.0).ToArray();
        var serving = Enumerable.Range(0, 200).Select(i => 0.5 + (i / 200.0)).ToArray();

        var eventId = await PostDriftAsync(model.ModelId, new
        {
            serving_metrics = new { accuracy = 0.93 },
            distribution = new { training, serving },
        });

        var result = (await LatestDriftAsync(model.ModelId, eventId)).Field("result");
        // Half of each sample lies beyond the other (0.505 once the float steps of the two grids interleave).
        Assert.InRange(result.Field("ks").Field("value").GetDouble(), 0.49, 0.51);
        Assert.True(result.Field("ks").Field("drifted").GetBoolean());
        Assert.True(result.Field("psi").Field("drifted").GetBoolean());
        Assert.False(result.Field("drifted").GetBoolean());
        Assert.Single(await EvidenceAsync(model.ModelId, "drift_detected"));
        Assert.Equal("quorum_reached", await StatusAsync(model.ModelId));
    }

    [Fact]
    public async Task Bad_drift_requests_are_refused_with_the_field_named()
    {
        var model = await _workflow.ApprovedModelAsync();
        var path = $"/v1/models/{model.ModelId}/drift";

        (await silo.As(DevTokens.Monitor).PostAsync(path, new { training_metrics = new { loss = 0.2 } }))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_request", "serving_metrics");
        (await silo.As(DevTokens.Monitor).PostAsync(path, new { serving_metrics = new { loss = 0.2 }, distribution = new { training = Array.Empty<double>(), serving = new[] { 1.0 } } }))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_request", "distribution.training");
        (await silo.As(DevTokens.Monitor).PostRawAsync(path, """{"serving_metrics":{"loss":1e999}}"""))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_request");
        (await silo.As(DevTokens.Monitor).PostAsync(path, new { serving_metrics = new { loss = 0.2 }, extra = 1 }))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_request", "extra");
        (await silo.As(DevTokens.Trainer).PostAsync(path, new { serving_metrics = new { loss = 0.2 } }))
            .AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        (await silo.As(DevTokens.Monitor).PostAsync($"/v1/models/{Workflow.NewModelId()}/drift", new { serving_metrics = new { loss = 0.2 } }))
            .AssertProblem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Row1_a_loss_increase_that_overflows_is_clamped_revokes_and_later_observations_of_the_partition_apply()
    {
        var model = await _workflow.ApprovedModelAsync();
        var neighbour = await _workflow.ApprovedModelAsync(modelId: ModelInPartitionOf(model.ModelId));

        // (1e308 - 5e-324) / 5e-324 overflows to +∞, which no JSON writer can write.
        var overflowing = await PostDriftAsync(model.ModelId, new
        {
            serving_metrics = new { loss = 1e308 },
            training_metrics = new { loss = 5e-324 },
        });
        var severe = await PostDriftAsync(neighbour.ModelId, new { serving_metrics = new { loss = 0.9, accuracy = 0.1 } });

        var result = (await LatestDriftAsync(model.ModelId, overflowing)).Field("result");
        Assert.Equal(double.MaxValue, result.Field("metrics").Field("loss").Field("change").GetDouble());
        Assert.Equal(1.0, result.Field("severity").GetDouble());
        Assert.Equal("revoked", await StatusAsync(model.ModelId));
        await LatestDriftAsync(neighbour.ModelId, severe);
        Assert.Equal("revoked", await StatusAsync(neighbour.ModelId));
    }

    [Fact]
    public async Task Row2_a_subnormal_training_baseline_gives_a_finite_ratio_and_the_model_stays_readable()
    {
        var model = await _workflow.ApprovedModelAsync(trainingMetrics: new { accuracy = 1e-310 });

        var eventId = await PostDriftAsync(model.ModelId, new { serving_metrics = new { accuracy = 0.9 } });

        var result = (await LatestDriftAsync(model.ModelId, eventId)).Field("result");
        Assert.Equal(double.MaxValue, result.Field("metrics").Field("accuracy").Field("change").GetDouble());
        Assert.False(result.Field("drifted").GetBoolean());
        Assert.Equal("quorum_reached", await StatusAsync(model.ModelId));
        (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{model.ModelId}/evidence/verify"))
            .AssertStatus(HttpStatusCode.OK);
    }

    /// <summary>A fresh model id whose drift stream shares <paramref name="modelId"/>'s queue.</summary>
    private static string ModelInPartitionOf(string modelId)
    {
        var queues = new PostgresStreamOptions().QueueCount;
        var queue = PostgresStreamQueueMapper.QueueOf(modelId, queues);
        while (true)
        {
            var candidate = Workflow.NewModelId();
            if (PostgresStreamQueueMapper.QueueOf(candidate, queues) == queue)
            {
                return candidate;
            }
        }
    }

    private async Task<string> PostDriftAsync(string modelId, object body)
    {
        var accepted = (await silo.As(DevTokens.Monitor).PostAsync($"/v1/models/{modelId}/drift", body)).AssertStatus(HttpStatusCode.Accepted);
        return accepted.Json.Text("event_id")!;
    }

    private async Task<JsonElement> LatestDriftAsync(string modelId, string eventId)
    {
        var model = await Eventually.UntilAsync(
            () => silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{modelId}"),
            response => response.Json.Field("latest_drift") is { ValueKind: JsonValueKind.Object } drift && drift.Text("event_id") == eventId,
            Timeout,
            $"model {modelId}: latest_drift to show event {eventId}");
        return model.Json.Field("latest_drift");
    }

    private async Task<string?> StatusAsync(string modelId) =>
        (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{modelId}")).AssertStatus(HttpStatusCode.OK).Json.Text("status");

    private async Task<List<JsonElement>> EvidenceAsync(string modelId, string? eventName = null)
    {
        var entries = (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{modelId}/evidence?limit=1000")).AssertStatus(HttpStatusCode.OK)
            .Json.Field("entries").EnumerateArray().ToList();
        return eventName is null ? entries : [.. entries.Where(e => e.Text("event") == eventName)];
    }
}
