using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace Governance.Bench;

/// <summary>
/// Phase (e), the drift path. First, drift to denial: N models deployed before the clock starts;
/// one at a time, t0, POST a severe observation (202 = appended to the stream), then GET verify
/// with no pause until it answers <c>approval_revoked</c>; the latency is t0 to that answer.
/// Second, stream ingest: W workers POST mild observations (serving equal to training) round-robin
/// over a few hundred trained models for T seconds (after a warm-up); every 202 is a committed
/// append. Then one marker observation per model, and the time until every model shows its
/// marker as the latest applied drift: the drift monitors' backlog when the window closed (each
/// model's stream is applied in order, so its marker comes last).
/// </summary>
public static class DriftCommand
{
    private const string Revoked = "approval_revoked";
    private static readonly TimeSpan DenialTimeout = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(BenchArguments arguments)
    {
        var count = arguments.Int("models", 200);
        var warmupCount = arguments.Int("warmup", 10);
        var ingestModels = arguments.Int("ingest-models", 300);
        var ingestWorkers = arguments.Int("ingest-workers", 32);
        var ingestSeconds = arguments.Int("ingest-seconds", 10);
        var ingestWarmupSeconds = arguments.Int("ingest-warmup-seconds", 10);
        var output = arguments.Required("out");
        var siloPid = arguments.OptionalInt("silo-pid");
        var postmasterPid = arguments.OptionalInt("postmaster-pid");
        var cancellationToken = CancellationToken.None;

        using var setupGateway = new GatewayClient(arguments.Url(), 16);
        var setup = new GovernanceScenario(setupGateway);
        await setup.RegisterApproverKeysAsync(cancellationToken);
        var preparation = Stopwatch.StartNew();
        var warmup = await DeployAsync(setup, "drift-warmup", warmupCount, cancellationToken);
        var timed = await DeployAsync(setup, "drift", count, cancellationToken);
        var ingestIds = Enumerable.Range(0, ingestModels).Select(i => $"ingest-{i:D6}").ToArray();
        await Parallel.ForEachAsync(
            ingestIds, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (id, ct) => await setup.TrainAsync(id, ct));
        Console.WriteLine($"drift: {warmupCount + count} deployed and {ingestModels} trained models in {preparation.Elapsed.TotalSeconds:F1} s");

        // Drift to denial, one model at a time, on one connection for the POST and one for the polls.
        using var latencyGateway = new GatewayClient(arguments.Url(), 2);
        var latency = new GovernanceScenario(latencyGateway);
        var denial = new LatencyRecorder();
        var append = new LatencyRecorder();
        var polls = 0L;
        foreach (var model in warmup)
        {
            await MeasureDenialAsync(latency, model, cancellationToken);
        }

        foreach (var model in timed)
        {
            var (toDenial, toAccepted, pollCount) = await MeasureDenialAsync(latency, model, cancellationToken);
            denial.Add(toDenial);
            append.Add(toAccepted);
            polls += pollCount;
        }

        // Stream ingest: W workers, mild observations, T seconds.
        using var ingestGateway = new GatewayClient(arguments.Url(), ingestWorkers);
        var ingest = new GovernanceScenario(ingestGateway);
        var mild = GovernanceScenario.MildObservation();
        await RunIngestAsync(ingest, ingestIds, mild, ingestWorkers, TimeSpan.FromSeconds(ingestWarmupSeconds), cancellationToken);
        var cpuAtStart = CpuSampler.Take(siloPid, postmasterPid);
        var window = Stopwatch.StartNew();
        var (accepted, refused, ingestLatency) = await RunIngestAsync(
            ingest, ingestIds, mild, ingestWorkers, TimeSpan.FromSeconds(ingestSeconds), cancellationToken);
        var seconds = window.Elapsed.TotalSeconds;
        var cpu = CpuSampler.Take(siloPid, postmasterPid) - cpuAtStart;
        var drain = await MeasureDrainAsync(ingest, ingestIds, mild, cancellationToken);

        ResultFile.Write(output, new JsonObject
        {
            ["models"] = count,
            ["denial_p50_ms"] = Math.Round(denial.PercentileMs(50), 2),
            ["denial_p99_ms"] = Math.Round(denial.PercentileMs(99), 2),
            ["denial_max_ms"] = Math.Round(denial.PercentileMs(100), 2),
            ["append_p50_ms"] = Math.Round(append.PercentileMs(50), 2),
            ["append_p99_ms"] = Math.Round(append.PercentileMs(99), 2),
            ["verify_polls_per_denial"] = Math.Round((double)polls / count, 1),
            ["ingest_models"] = ingestModels,
            ["ingest_workers"] = ingestWorkers,
            ["ingest_seconds"] = Math.Round(seconds, 3),
            ["ingest_accepted"] = accepted,
            ["ingest_refused"] = refused,
            ["observations_per_s"] = Math.Round(accepted / seconds, 1),
            ["drain_after_window_ms"] = Math.Round(drain.TotalMilliseconds, 1),
            ["applied_per_s"] = Math.Round(accepted / (seconds + drain.TotalSeconds), 1),
            ["ingest_warmup_seconds"] = ingestWarmupSeconds,
            ["ingest_p50_ms"] = Math.Round(ingestLatency.PercentileMs(50), 2),
            ["ingest_p99_ms"] = Math.Round(ingestLatency.PercentileMs(99), 2),
            ["silo_cpu_us_per_observation"] = accepted > 0 ? Math.Round(cpu.Silo.Total.TotalMicroseconds / accepted, 1) : null,
            ["postgres_cpu_us_per_observation"] = accepted > 0 ? Math.Round(cpu.Postgres.Total.TotalMicroseconds / accepted, 1) : null,
            ["cpu_cores_busy"] = Math.Round((cpu.Silo + cpu.Postgres + cpu.Driver).Total.TotalSeconds / seconds, 2),
        });
        return 0;
    }

    /// <summary>Prepared, both signatures, deployed, and verified allowed — all before any clock.</summary>
    private static async Task<PreparedModel[]> DeployAsync(
        GovernanceScenario scenario, string prefix, int count, CancellationToken cancellationToken)
    {
        var models = new PreparedModel[count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var model = await scenario.PrepareAsync($"{prefix}-{i:D6}", ct);
                await scenario.SignFirstAsync(model, ct);
                await scenario.SignSecondAsync(model, ct);
                await scenario.DeployAsync(model, ct);
                var decision = await scenario.VerifyAsync(model, ct);
                if (!decision.Allowed)
                {
                    throw new BenchException($"{model.ModelId} is not allowed after deploy: {decision.Reason}");
                }

                models[i] = model;
            });
        return models;
    }

    /// <summary>Ticks from t0 to the approval_revoked answer and to the 202, and the number of verify calls.</summary>
    private static async Task<(long ToDenial, long ToAccepted, int Polls)> MeasureDenialAsync(
        GovernanceScenario scenario, PreparedModel model, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        await scenario.ObserveDriftAsync(model.ModelId, GovernanceScenario.SevereObservation(), cancellationToken);
        var accepted = Stopwatch.GetTimestamp();
        var polls = 0;
        while (true)
        {
            var decision = await scenario.VerifyAsync(model, cancellationToken);
            polls++;
            var now = Stopwatch.GetTimestamp();
            if (decision.Reason == Revoked)
            {
                return (now - start, accepted - start, polls);
            }

            if (!decision.Allowed)
            {
                throw new BenchException($"{model.ModelId}: verify denied with {decision.Reason}, expected {Revoked}");
            }

            if (Stopwatch.GetElapsedTime(start) > DenialTimeout)
            {
                throw new BenchException($"{model.ModelId}: still allowed {DenialTimeout.TotalSeconds} s after a severe observation");
            }
        }
    }

    /// <summary>From the end of the window until every model's marker observation (posted now) is applied.</summary>
    private static async Task<TimeSpan> MeasureDrainAsync(
        GovernanceScenario scenario, string[] modelIds, Governance.Grains.Wire.DriftObservationRequest observation, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var markers = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            modelIds, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (id, ct) => markers[id] = (await scenario.ObserveDriftAsync(id, observation, ct)).EventId);
        var waiting = modelIds.ToList();
        while (waiting.Count > 0)
        {
            if (Stopwatch.GetElapsedTime(start) > DenialTimeout)
            {
                throw new BenchException($"{waiting.Count} models had not applied their drift backlog {DenialTimeout.TotalSeconds} s after the window");
            }

            var applied = new ConcurrentBag<string>();
            await Parallel.ForEachAsync(
                waiting, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
                async (id, ct) =>
                {
                    if (await scenario.LatestDriftEventIdAsync(id, ct) == markers[id])
                    {
                        applied.Add(id);
                    }
                });
            waiting = [.. waiting.Except(applied, StringComparer.Ordinal)];
        }

        return Stopwatch.GetElapsedTime(start);
    }

    private static async Task<(long Accepted, long Refused, LatencyRecorder Latency)> RunIngestAsync(
        GovernanceScenario scenario, string[] modelIds, Governance.Grains.Wire.DriftObservationRequest observation,
        int workers, TimeSpan length, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency);
        var next = -1L;
        var refusals = new ConcurrentDictionary<HttpStatusCode, long>();
        var tasks = Enumerable.Range(0, workers).Select(async _ =>
        {
            var latencies = new LatencyRecorder();
            long accepted = 0;
            long refused = 0;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var modelId = modelIds[Interlocked.Increment(ref next) % modelIds.Length];
                var start = Stopwatch.GetTimestamp();
                var status = await scenario.ObserveDriftForStatusAsync(modelId, observation, cancellationToken);
                if (status == HttpStatusCode.Accepted)
                {
                    latencies.Add(Stopwatch.GetTimestamp() - start);
                    accepted++;
                }
                else
                {
                    refusals.AddOrUpdate(status, 1, (_, n) => n + 1);
                    refused++;
                }
            }

            return (accepted, refused, latencies);
        });
        var results = await Task.WhenAll(tasks);
        if (!refusals.IsEmpty)
        {
            Console.Error.WriteLine("drift ingest: refused " + string.Join(", ", refusals.Select(r => $"{(int)r.Key}: {r.Value}")));
        }

        return (results.Sum(r => r.accepted), results.Sum(r => r.refused), LatencyRecorder.Merge(results.Select(r => r.latencies)));
    }
}
