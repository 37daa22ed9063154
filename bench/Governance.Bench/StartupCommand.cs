using System.Text.Json.Nodes;

namespace Governance.Bench;

/// <summary>
/// Time from process start to the first 200 of GET /health/ready, for a published silo, N runs.
/// The probe polls every 5 ms; each silo is killed before the next run starts. The silos' output goes
/// to <c>--log</c> (one file for all runs).
/// </summary>
public static class StartupCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);

    public static async Task<int> RunAsync(BenchArguments arguments)
    {
        var silo = arguments.Required("silo");
        var url = arguments.Url();
        var runs = arguments.Int("runs", 5);
        var output = arguments.Required("out");
        var label = arguments.Text("label", "");
        var log = arguments.Text("log", Path.Combine(Path.GetTempPath(), $"governance-startup-{label}.log"));
        var environment = Environment(arguments.All("env"));

        var milliseconds = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            await using var process = new BenchSiloProcess(silo, url, environment, log, PollInterval);
            var elapsed = await process.StartAsync();
            milliseconds.Add(Math.Round(elapsed.TotalMilliseconds, 1));
            Console.WriteLine($"startup {label}: run {run}: {elapsed.TotalMilliseconds:F0} ms");
        }

        var sorted = milliseconds.Order().ToArray();
        ResultFile.Write(output, new JsonObject
        {
            ["runs"] = runs,
            ["median_ms"] = sorted[sorted.Length / 2],
            ["min_ms"] = sorted[0],
            ["max_ms"] = sorted[^1],
            ["all_ms"] = new JsonArray([.. milliseconds.Select(m => JsonValue.Create(m))]),
        });
        return 0;
    }

    private static Dictionary<string, string> Environment(IReadOnlyList<string> pairs)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new BenchException($"--env expects KEY=VALUE, got '{pair}'");
            }

            environment[pair[..equals]] = pair[(equals + 1)..];
        }

        return environment;
    }
}
