using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Governance.Bench;

/// <summary>
/// The write path: models are trained, submitted and their signatures computed before the clock
/// starts; in the timed window W workers each take the next model and commit its three
/// transitions in order — signature 1, signature 2 (quorum_reached), deploy — each one HTTP call
/// that returns after the state row and its ledger entries committed. Before the window, the
/// whole cycle (prepare, sign, sign, deploy) runs on other models for a while, so that the silo's
/// JIT has tiered up (on 2 saturated cores that takes 15–20 s). With several <c>--url</c>s (the
/// gateways of one cluster), model i is prepared through gateway i mod n and worker w calls gateway
/// w mod n.
/// </summary>
public static class TransitionsCommand
{
    private const int TransitionsPerModel = 3;

    public static async Task<int> RunAsync(BenchArguments arguments)
    {
        var count = arguments.Int("models", 3000);
        var workers = arguments.Int("workers", 16);
        var warmupSeconds = arguments.Int("warmup-seconds", 20);
        var output = arguments.Required("out");
        var siloPid = arguments.OptionalInt("silo-pid");
        var postmasterPid = arguments.OptionalInt("postmaster-pid");
        using var gateways = new GatewayScenarios(arguments.Urls(), workers);
        return await RunAsync(gateways.Scenarios, count, workers, warmupSeconds, output, siloPid, postmasterPid);
    }

    private static async Task<int> RunAsync(
        GovernanceScenario[] scenarios, int count, int workers, int warmupSeconds, string output, int? siloPid, int? postmasterPid)
    {
        var cancellationToken = CancellationToken.None;
        foreach (var scenario in scenarios)
        {
            await scenario.RegisterApproverKeysAsync(cancellationToken);
        }

        var preparation = Stopwatch.StartNew();
        var timed = await PrepareAsync(scenarios, "write", count, workers, cancellationToken);
        Console.WriteLine($"transitions: {count} models prepared in {preparation.Elapsed.TotalSeconds:F1} s");

        var warmedUp = await WarmUpAsync(scenarios, workers, TimeSpan.FromSeconds(warmupSeconds), cancellationToken);
        Console.WriteLine($"transitions: warm-up of {warmupSeconds} s took {warmedUp} models through the whole cycle");
        var cpuAtStart = CpuSampler.Take(siloPid, postmasterPid);
        var window = Stopwatch.StartNew();
        var recorders = await RunWorkersAsync(scenarios, timed, workers, cancellationToken);
        var seconds = window.Elapsed.TotalSeconds;
        var cpu = CpuSampler.Take(siloPid, postmasterPid) - cpuAtStart;

        var first = LatencyRecorder.Merge(recorders.Select(r => r.First));
        var second = LatencyRecorder.Merge(recorders.Select(r => r.Second));
        var deploy = LatencyRecorder.Merge(recorders.Select(r => r.Deploy));
        var transitions = first.Count + second.Count + deploy.Count;
        if (transitions != count * TransitionsPerModel)
        {
            throw new BenchException($"{transitions} transitions recorded, expected {count * TransitionsPerModel}");
        }

        var figures = new JsonObject
        {
            ["models"] = count,
            ["workers"] = workers,
            ["gateways"] = scenarios.Length,
            ["transitions"] = transitions,
            ["warmup_seconds"] = warmupSeconds,
            ["warmup_models"] = warmedUp,
            ["seconds"] = Math.Round(seconds, 3),
            ["transitions_per_s"] = Math.Round(transitions / seconds, 1),
            ["signature_p50_ms"] = Math.Round(first.PercentileMs(50), 2),
            ["signature_p99_ms"] = Math.Round(first.PercentileMs(99), 2),
            ["quorum_p50_ms"] = Math.Round(second.PercentileMs(50), 2),
            ["quorum_p99_ms"] = Math.Round(second.PercentileMs(99), 2),
            ["deploy_p50_ms"] = Math.Round(deploy.PercentileMs(50), 2),
            ["deploy_p99_ms"] = Math.Round(deploy.PercentileMs(99), 2),
        };
        // The CPU split needs the processes to sample (a cluster's silos are not given).
        if (siloPid is not null && postmasterPid is not null)
        {
            figures["silo_cpu_ms_per_transition"] = Math.Round(cpu.Silo.Total.TotalMilliseconds / transitions, 3);
            figures["silo_system_share"] = Math.Round(cpu.Silo.System / cpu.Silo.Total, 2);
            figures["postgres_cpu_ms_per_transition"] = Math.Round(cpu.Postgres.Total.TotalMilliseconds / transitions, 3);
            figures["postgres_system_share"] = Math.Round(cpu.Postgres.System / cpu.Postgres.Total, 2);
            figures["driver_cpu_ms_per_transition"] = Math.Round(cpu.Driver.Total.TotalMilliseconds / transitions, 3);
            figures["cpu_cores_busy"] = Math.Round((cpu.Silo + cpu.Postgres + cpu.Driver).Total.TotalSeconds / seconds, 2);
        }

        ResultFile.Write(output, figures);
        return 0;
    }

    private static async Task<PreparedModel[]> PrepareAsync(
        GovernanceScenario[] scenarios, string prefix, int count, int workers, CancellationToken cancellationToken)
    {
        var models = new PreparedModel[count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken },
            async (i, ct) => models[i] = await scenarios[i % scenarios.Length].PrepareAsync($"{prefix}-{i:D6}", ct));
        return models;
    }

    /// <summary>Workers prepare, sign, sign and deploy fresh models until the time is up; returns how many.</summary>
    private static async Task<int> WarmUpAsync(GovernanceScenario[] scenarios, int workers, TimeSpan length, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency);
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async worker =>
        {
            var scenario = scenarios[worker % scenarios.Length];
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var model = await scenario.PrepareAsync($"write-warmup-{Interlocked.Increment(ref next):D6}", cancellationToken);
                await scenario.SignFirstAsync(model, cancellationToken);
                await scenario.SignSecondAsync(model, cancellationToken);
                await scenario.DeployAsync(model, cancellationToken);
            }
        }));
        return next + 1;
    }

    private static async Task<WorkerLatencies[]> RunWorkersAsync(
        GovernanceScenario[] scenarios, IEnumerable<PreparedModel> models, int workers, CancellationToken cancellationToken)
    {
        var queue = new ConcurrentQueue<PreparedModel>(models);
        var tasks = Enumerable.Range(0, workers).Select(async worker =>
        {
            // The signatures were computed by the preparing gateway's scenario; any gateway of the cluster takes them.
            var scenario = scenarios[worker % scenarios.Length];
            var latencies = new WorkerLatencies();
            while (queue.TryDequeue(out var model))
            {
                var start = Stopwatch.GetTimestamp();
                await scenario.SignFirstAsync(model, cancellationToken);
                var signed = Stopwatch.GetTimestamp();
                await scenario.SignSecondAsync(model, cancellationToken);
                var quorum = Stopwatch.GetTimestamp();
                await scenario.DeployAsync(model, cancellationToken);
                var deployed = Stopwatch.GetTimestamp();
                latencies.First.Add(signed - start);
                latencies.Second.Add(quorum - signed);
                latencies.Deploy.Add(deployed - quorum);
            }

            return latencies;
        });
        return await Task.WhenAll(tasks);
    }

    private sealed class WorkerLatencies
    {
        public LatencyRecorder First { get; } = new();

        public LatencyRecorder Second { get; } = new();

        public LatencyRecorder Deploy { get; } = new();
    }
}
