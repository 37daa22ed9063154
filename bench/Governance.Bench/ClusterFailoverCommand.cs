using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace Governance.Bench;

/// <summary>
/// DESIGN §8 failover: three silo processes on PostgreSQL; per round, fresh models are trained through
/// all three gateways, Orleans' management grain says which of them the victim holds, the victim is
/// killed with SIGKILL, and each of its models is written (POST training) through the survivors'
/// gateways until one answers 201. Time from the kill to that answer, per model; then the victim is
/// restarted and the next round kills the next silo.
/// </summary>
public static class ClusterFailoverCommand
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(20);

    public static async Task<int> RunAsync(BenchArguments arguments)
    {
        var kills = arguments.Int("kills", 10);
        var modelsPerRound = arguments.Int("models", 90);
        var output = arguments.Required("out");
        var cancellationToken = CancellationToken.None;
        await using var cluster = await BenchCluster.StartAsync(arguments, 3);
        using var gateways = new GatewayScenarios(cluster.Silos.Select(silo => silo.Url), 16);
        var scenarios = gateways.Scenarios;
        var rounds = new JsonArray();
        var all = new LatencyRecorder();
        var unexpected = new ConcurrentBag<string>();
        var refused = 0;
        for (var round = 0; round < kills; round++)
        {
            var victim = round % cluster.Silos.Count;
            var survivors = Enumerable.Range(0, cluster.Silos.Count).Where(i => i != victim).Select(i => scenarios[i]).ToArray();
            var models = Enumerable.Range(0, modelsPerRound).Select(i => $"failover-{round:D2}-{i:D4}").ToArray();
            await Parallel.ForEachAsync(
                Enumerable.Range(0, models.Length), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
                async (i, ct) => await scenarios[i % scenarios.Length].TrainAsync(models[i], ct));

            var victimAddress = await cluster.AddressOfAsync(victim);
            var held = (await cluster.Management.GetDetailedGrainStatistics(hostsIds: [victimAddress]))
                .Where(statistic => statistic.GrainId.Type.ToString() == "model")
                .Select(statistic => statistic.GrainId.Key.ToString()!)
                .ToArray();
            if (held.Length == 0)
            {
                throw new BenchException($"round {round + 1}: the victim holds no model activation");
            }

            var killedAt = Stopwatch.GetTimestamp();
            cluster.Silos[victim].Kill();
            var recovered = await Task.WhenAll(held.Select(async (modelId, n) =>
            {
                for (var attempt = n; ; attempt++)
                {
                    var status = await TryTrainAsync(survivors[attempt % survivors.Length], modelId, cancellationToken);
                    if (status == HttpStatusCode.Created)
                    {
                        return Stopwatch.GetTimestamp() - killedAt;
                    }

                    if (status is not (HttpStatusCode.ServiceUnavailable or null))
                    {
                        unexpected.Add($"{modelId}: {(int)status}");
                    }

                    Interlocked.Increment(ref refused);
                    if (Stopwatch.GetElapsedTime(killedAt) > GiveUpAfter)
                    {
                        throw new BenchException($"round {round + 1}: {modelId} took no write for {GiveUpAfter.TotalSeconds:F0} s after the kill");
                    }

                    await Task.Delay(RetryPause, cancellationToken);
                }
            }));
            var roundTimes = new LatencyRecorder();
            foreach (var ticks in recovered)
            {
                roundTimes.Add(ticks);
                all.Add(ticks);
            }
            var rejoin = await cluster.Silos[victim].StartAsync();
            await cluster.WaitForActiveSilosAsync(cluster.Silos.Count);
            rounds.Add(new JsonObject
            {
                ["round"] = round + 1,
                ["victim"] = victim,
                ["models_held"] = held.Length,
                ["p50_ms"] = Math.Round(roundTimes.PercentileMs(50), 1),
                ["max_ms"] = Math.Round(roundTimes.PercentileMs(100), 1),
                ["rejoin_ms"] = Math.Round(rejoin.TotalMilliseconds, 0),
            });
            Console.WriteLine($"cluster-failover: round {round + 1}: silo {victim} killed holding {held.Length} models; "
                + $"first write on each after p50 {roundTimes.PercentileMs(50):F0} / max {roundTimes.PercentileMs(100):F0} ms; rejoined in {rejoin.TotalMilliseconds:F0} ms");
        }

        ResultFile.Write(output, new JsonObject
        {
            ["kills"] = kills,
            ["models_per_round"] = modelsPerRound,
            ["models_held"] = all.Count,
            ["p50_ms"] = Math.Round(all.PercentileMs(50), 1),
            ["p99_ms"] = Math.Round(all.PercentileMs(99), 1),
            ["max_ms"] = Math.Round(all.PercentileMs(100), 1),
            ["refused_writes"] = refused,
            ["unexpected_answers"] = unexpected.Count,
            ["unexpected_sample"] = string.Join("; ", unexpected.Take(5)),
            ["rounds"] = rounds,
        });
        return 0;
    }

    /// <summary>201 on success; the status of a refusal; null when the request got no answer.</summary>
    private static async Task<HttpStatusCode?> TryTrainAsync(GovernanceScenario gateway, string modelId, CancellationToken cancellationToken)
    {
        try
        {
            return await gateway.TrainForStatusAsync(modelId, cancellationToken);
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
