using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Governance.Cluster.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Governance.Cluster.Tests.Cluster;

/// <summary>What a dead silo held — reminders, stream queues — is taken over by the survivors.</summary>
[Trait("Category", "Integration"), Collection(SiloClusterCollection.Name)]
public sealed class TakeoverTests(ITestOutputHelper output)
{
    private const int Models = 12;

    [Fact]
    public async Task Approvals_whose_reminders_a_dead_silo_held_expire_on_the_survivors()
    {
        await using var cluster = await SiloCluster.StartAsync("cluster_tests_reminder_takeover", 3);
        var gateway = cluster.Silos[0];
        var flow = new Workflow(gateway);
        var approvals = new List<(string ModelId, DateTimeOffset ExpiresAt)>();
        for (var i = 0; i < Models; i++)
        {
            var modelId = Workflow.NewModelId();
            await flow.TrainAsync(modelId);
            var approval = await flow.SubmitAsync(modelId, new { approved_environments = new[] { "production" }, required_approvers = 1, approval_ttl_seconds = 8 });
            approvals.Add((modelId, DateTimeOffset.Parse(approval.Text("expires_at")!, CultureInfo.InvariantCulture)));
        }

        // Each reminder lives on the silo that owns its range of the ring: about a third of them die here.
        await cluster.Silos[2].KillAsync();
        await cluster.Silos[1].KillAsync();

        foreach (var (modelId, expiresAt) in approvals)
        {
            var entries = await Requests.WaitForAsync(
                async () =>
                {
                    // Until the survivor has declared the others dead, their grains do not answer (503).
                    var evidence = await gateway.As(DevTokens.Auditor).GetAsync($"/v1/models/{modelId}/evidence");
                    return evidence.Status == HttpStatusCode.OK ? evidence.Json.Field("entries").EnumerateArray().ToList() : [];
                },
                entries => entries.Any(e => e.Text("event") == "approval_expired"),
                expiresAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(15),
                $"approval_expired of {modelId} (expires_at {expiresAt:O}) with two of three silos dead");
            var expired = entries.Single(e => e.Text("event") == "approval_expired");
            var lag = DateTimeOffset.Parse(expired.Text("at")!, CultureInfo.InvariantCulture) - expiresAt;
            output.WriteLine($"{modelId}: approval_expired {lag.TotalMilliseconds:F0} ms after expires_at");
            Assert.True(lag >= TimeSpan.Zero, $"{modelId} expired before its expires_at");
        }
    }

    [Fact]
    public async Task The_drift_stream_survives_the_death_of_the_silos_that_pulled_it()
    {
        await using var cluster = await SiloCluster.StartAsync("cluster_tests_stream_takeover", 3);
        var gateway = cluster.Silos[0];
        var models = new List<string>();
        for (var i = 0; i < Models; i++)
        {
            var modelId = Workflow.NewModelId();
            await new Workflow(gateway).TrainAsync(modelId);
            models.Add(modelId);
        }

        var acknowledged = new ConcurrentBag<(string ModelId, string EventId)>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            for (var n = w; !stop.IsCancellationRequested; n += 2)
            {
                var modelId = models[n % models.Count];
                var response = await Requests.TryAsync(() => gateway.As(DevTokens.Monitor).PostAsync(
                    $"/v1/models/{modelId}/drift", new { serving_metrics = new { accuracy = 0.9, loss = 0.2 } }));
                if (response?.Status == HttpStatusCode.Accepted)
                {
                    acknowledged.Add((modelId, response.Json.Text("event_id")!));
                }
            }
        })).ToArray();

        await Requests.WaitForAsync(() => Task.FromResult(acknowledged.Count), n => n >= 200, TimeSpan.FromSeconds(60), "200 drift observations before the kill");
        // The 8 stream queues are spread over the three silos: each of these held some of them.
        await cluster.Silos[1].KillAsync();
        await Requests.WaitForAsync(() => Task.FromResult(acknowledged.Count), n => n >= 400, TimeSpan.FromSeconds(60), "200 more after the first kill");
        await cluster.Silos[2].KillAsync();
        await Requests.WaitForAsync(() => Task.FromResult(acknowledged.Count), n => n >= 600, TimeSpan.FromSeconds(60), "200 more after the second kill");
        await stop.CancelAsync();
        await Task.WhenAll(load);

        try
        {
            foreach (var modelId in models)
            {
                var committed = await DriftStreamRows.CommittedEventIdsAsync(cluster.Database, modelId);
                Assert.Subset(committed, acknowledged.Where(a => a.ModelId == modelId).Select(a => a.EventId).ToHashSet());
                await Requests.WaitForAsync(
                    () => DriftStreamRows.AppliedObservationsAsync(cluster.Database, modelId), n => n >= committed.Count, TimeSpan.FromSeconds(60),
                    $"the {committed.Count} committed observations of {modelId} to be applied on the last silo");
            }
        }
        catch
        {
            output.WriteLine(cluster.Output);
            throw;
        }

        // Applied once each: the counts stay where they are.
        await Task.Delay(TimeSpan.FromSeconds(2));
        foreach (var modelId in models)
        {
            Assert.Equal((await DriftStreamRows.CommittedEventIdsAsync(cluster.Database, modelId)).Count, await DriftStreamRows.AppliedObservationsAsync(cluster.Database, modelId));
        }

        output.WriteLine($"{acknowledged.Count} observations acknowledged while two of the three silos were killed; all applied once");
    }
}
