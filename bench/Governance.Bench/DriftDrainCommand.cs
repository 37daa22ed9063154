using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Governance.Bench;

/// <summary>
/// Phase (e), after the ingest window: the drift monitors' backlog when the window closed. Started
/// before the window ends, it waits (connection already open) until run.sh creates the --go file as
/// wrk returns, then posts one marker observation per ingest model and waits until every model
/// shows its marker as the latest applied drift (each model's stream is applied in order, so its
/// marker comes last). The drain time runs from seeing that file, so this process's own start-up
/// is not counted.
/// </summary>
public static class DriftDrainCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(BenchArguments arguments)
    {
        var modelIds = await File.ReadAllLinesAsync(arguments.Required("ingest-ids"));
        var go = arguments.Required("go");
        var output = arguments.Required("out");
        var cancellationToken = CancellationToken.None;

        using var gateway = new GatewayClient(arguments.Url(), 16);
        var scenario = new GovernanceScenario(gateway);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken };
        await scenario.LatestDriftEventIdAsync(modelIds[0], cancellationToken);
        while (!File.Exists(go))
        {
            await Task.Delay(5, cancellationToken);
        }

        var windowEnd = Stopwatch.GetTimestamp();
        var markers = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            modelIds, parallel,
            async (id, ct) => markers[id] = (await scenario.ObserveDriftAsync(id, GovernanceScenario.MildObservation(), ct)).EventId);

        var waiting = modelIds.ToList();
        while (waiting.Count > 0)
        {
            if (Stopwatch.GetElapsedTime(windowEnd) > Timeout)
            {
                throw new BenchException($"{waiting.Count} models had not applied their drift backlog {Timeout.TotalSeconds} s after the window");
            }

            var applied = new ConcurrentBag<string>();
            await Parallel.ForEachAsync(
                waiting, parallel,
                async (id, ct) =>
                {
                    if (await scenario.LatestDriftEventIdAsync(id, ct) == markers[id])
                    {
                        applied.Add(id);
                    }
                });
            waiting = [.. waiting.Except(applied, StringComparer.Ordinal)];
        }

        ResultFile.Write(output, new JsonObject
        {
            ["models"] = modelIds.Length,
            ["drain_after_window_ms"] = Math.Round(Stopwatch.GetElapsedTime(windowEnd).TotalMilliseconds, 1),
        });
        return 0;
    }
}
