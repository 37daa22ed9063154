using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace Governance.Bench;

/// <summary>
/// Time from process start to the first 200 of GET /health/ready, for a published silo, N runs.
/// The probe polls every 5 ms; each silo is killed before the next run starts.
/// </summary>
public static class StartupCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(BenchArguments arguments)
    {
        var silo = arguments.Required("silo");
        var url = arguments.Url();
        var runs = arguments.Int("runs", 5);
        var output = arguments.Required("out");
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(2) };

        var milliseconds = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            var elapsed = await TimeOneStartAsync(silo, url, arguments.All("env"), http);
            milliseconds.Add(Math.Round(elapsed.TotalMilliseconds, 1));
            Console.WriteLine($"startup {arguments.Text("label", "")}: run {run}: {elapsed.TotalMilliseconds:F0} ms");
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

    private static async Task<TimeSpan> TimeOneStartAsync(string silo, Uri url, IReadOnlyList<string> environment, HttpClient http)
    {
        var start = new ProcessStartInfo(silo)
        {
            // The content root is the working directory: the silo's appsettings.json is found only there.
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(silo)),
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_URLS"] = url.GetLeftPart(UriPartial.Authority);
        foreach (var pair in environment)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new BenchException($"--env expects KEY=VALUE, got '{pair}'");
            }

            start.Environment[pair[..equals]] = pair[(equals + 1)..];
        }

        var log = new List<string>();
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new BenchException($"could not start {silo}");
        process.OutputDataReceived += (_, e) => Remember(log, e.Data);
        process.ErrorDataReceived += (_, e) => Remember(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            while (stopwatch.Elapsed < Deadline)
            {
                if (await IsReadyAsync(http))
                {
                    return stopwatch.Elapsed;
                }

                if (process.HasExited)
                {
                    break;
                }

                await Task.Delay(PollInterval);
            }

            lock (log)
            {
                throw new BenchException($"{silo} was not ready (exit: {(process.HasExited ? process.ExitCode : "none")}):\n{string.Join('\n', log.TakeLast(20))}");
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
        }
    }

    private static async Task<bool> IsReadyAsync(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync(new Uri("health/ready", UriKind.Relative));
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    private static void Remember(List<string> log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.Add(line);
        }
    }
}
