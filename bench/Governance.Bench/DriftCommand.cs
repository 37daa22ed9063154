using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Governance.Bench;

/// <summary>
/// Phase (e), the drift path, first part. Drift to denial: N models deployed before the clock
/// starts; one at a time, t0, POST a severe observation (202 = appended to the stream), then GET
/// verify with no pause until it answers <c>approval_revoked</c>; the latency is t0 to that answer.
/// Then it trains the models of the ingest window and writes their ids for wrk, which drives the
/// window (run.sh); <see cref="DriftDrainCommand"/> measures the backlog it leaves.
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
        var ingestIdsFile = arguments.Required("ingest-ids");
        var output = arguments.Required("out");
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
        await File.WriteAllLinesAsync(ingestIdsFile, ingestIds, cancellationToken);
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
}
