using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Governance.Cluster.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Governance.Cluster.Tests.Cluster;

/// <summary>
/// Three silo processes on one PostgreSQL; one is killed with SIGKILL while writes go through the
/// other two: every acknowledged write is in the ledger exactly once, every chain verifies, nothing is
/// half-written, and the killed silo rejoins and serves.
/// </summary>
[Trait("Category", "Integration"), Collection(SiloClusterCollection.Name)]
public sealed class SiloKillUnderLoadTests(ITestOutputHelper output)
{
    private const int Writers = 4;

    [Fact]
    public async Task A_silo_killed_under_write_load_loses_no_acknowledged_write_and_rejoins()
    {
        await using var cluster = await SiloCluster.StartAsync("cluster_tests_kill_under_load", 3);
        var survivors = new[] { cluster.Silos[0], cluster.Silos[1] };
        var victim = cluster.Silos[2];
        var acknowledged = new ConcurrentDictionary<string, List<string>>(StringComparer.Ordinal);
        var attempted = new ConcurrentBag<string>();
        var unexpected = new ConcurrentBag<string>();
        var failedAfterKill = 0;
        long killedAt = 0;
        long lastFailure = 0;
        using var stop = new CancellationTokenSource();

        async Task<bool> WriteAsync(SiloProcess gateway, string modelId, string token, string path, object body, string ledgerEvent)
        {
            var response = await Requests.TryAsync(() => gateway.As(token).PostAsync(path, body));
            if (response?.Status == HttpStatusCode.Created)
            {
                acknowledged[modelId].Add(ledgerEvent);
                return true;
            }

            // A write the kill cut off is refused as unavailable (its outcome unknown), never anything else.
            if (response is not null && response.Status != HttpStatusCode.ServiceUnavailable)
            {
                unexpected.Add(response.ToString());
            }

            if (Interlocked.Read(ref killedAt) != 0)
            {
                Interlocked.Increment(ref failedAfterKill);
                Interlocked.Exchange(ref lastFailure, Stopwatch.GetTimestamp());
            }

            return false;
        }

        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var gateway = survivors[w % survivors.Length];
            while (!stop.IsCancellationRequested)
            {
                var modelId = Workflow.NewModelId();
                attempted.Add(modelId);
                acknowledged[modelId] = [];
                if (await WriteAsync(gateway, modelId, DevTokens.Trainer, $"/v1/models/{modelId}/training", Requests.Training(), "training_completed"))
                {
                    await WriteAsync(gateway, modelId, DevTokens.Alice, $"/v1/models/{modelId}/approval",
                        new { approved_environments = new[] { "production" }, required_approvers = 1 }, "approval_submitted");
                }
            }
        })).ToArray();

        int FullyAcknowledged() => acknowledged.Values.Count(events => events.Count == 2);
        await Requests.WaitForAsync(() => Task.FromResult(FullyAcknowledged()), n => n >= 40, TimeSpan.FromSeconds(90), "40 models trained and submitted before the kill");
        var beforeKill = FullyAcknowledged();
        Interlocked.Exchange(ref killedAt, Stopwatch.GetTimestamp());
        await victim.KillAsync();
        await Requests.WaitForAsync(
            () => Task.FromResult(FullyAcknowledged()), n => n >= beforeKill + 40, TimeSpan.FromSeconds(60), "40 more models trained and submitted after the kill");
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        var failing = Interlocked.Read(ref lastFailure) == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(killedAt, lastFailure);
        output.WriteLine($"{beforeKill} models acknowledged before SIGKILL, {FullyAcknowledged()} in all; {failedAfterKill} writes refused after it, the last {failing.TotalMilliseconds:F0} ms after the kill");
        Assert.Empty(unexpected);

        var rejoin = await victim.StartAsync();
        output.WriteLine($"the killed silo rejoined and was ready in {rejoin.TotalSeconds:F1} s");

        // Read back through the silo that rejoined: it serves every model, wherever its grain now lives.
        foreach (var modelId in attempted)
        {
            var acked = acknowledged[modelId];
            var evidence = await victim.As(DevTokens.Auditor).GetAsync($"/v1/models/{modelId}/evidence");
            if (evidence.Status == HttpStatusCode.NotFound)
            {
                Assert.Empty(acked);
                await using var rows = cluster.Database.CreateCommand("SELECT count(*) FROM ledger WHERE chain_id = $1");
                rows.Parameters.AddWithValue(modelId);
                Assert.Equal(0L, (long)(await rows.ExecuteScalarAsync())!);
                continue;
            }

            evidence.AssertStatus(HttpStatusCode.OK);
            var events = evidence.Json.Field("entries").EnumerateArray().Select(e => e.Text("event")!).ToList();
            // Once each: an acknowledged write is there, and a write whose answer was cut off is there at most once.
            Assert.Equal(1, events.Count(e => e == "training_completed"));
            Assert.Equal(acked.Contains("approval_submitted") ? 1 : events.Count(e => e == "approval_submitted"), events.Count(e => e == "approval_submitted"));
            Assert.True(events.Count(e => e == "approval_submitted") <= 1, $"{modelId}: {string.Join(", ", events)}");
            foreach (var ledgerEvent in acked)
            {
                Assert.Contains(ledgerEvent, events);
            }

            var verification = (await victim.As(DevTokens.Auditor).GetAsync($"/v1/models/{modelId}/evidence/verify")).AssertStatus(HttpStatusCode.OK);
            Assert.True(verification["valid"].GetBoolean(), $"{modelId}: {verification.Body}");
        }
    }
}
