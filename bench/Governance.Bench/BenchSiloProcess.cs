using System.Diagnostics;
using System.Net;

namespace Governance.Bench;

/// <summary>
/// One published silo process with its HTTP gateway on <paramref name="url"/> and the settings of
/// <paramref name="environment"/>, started from its own directory as deploy/Dockerfile runs it; its
/// output goes to a log file. <see cref="StartAsync"/> polls <c>GET /health/ready</c> every
/// <paramref name="pollInterval"/>; <see cref="Kill"/> is SIGKILL. A restart comes back with the same settings.
/// </summary>
public sealed class BenchSiloProcess(string executable, Uri url, IReadOnlyDictionary<string, string> environment, string logPath, TimeSpan pollInterval)
    : IAsyncDisposable
{
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(90);

    private readonly HttpClient _probe = new() { Timeout = TimeSpan.FromSeconds(2) };
    private Process? _process;
    private StreamWriter? _log;

    public Uri Url => url;

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts the process and returns once <c>GET /health/ready</c> answers 200: the time that took.</summary>
    public async Task<TimeSpan> StartAsync()
    {
        if (IsRunning)
        {
            throw new BenchException($"the silo on {Url} is already running");
        }

        var start = new ProcessStartInfo(executable)
        {
            // The content root is the working directory: the silo's appsettings.json is found only there.
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(executable)),
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        start.Environment["ASPNETCORE_URLS"] = Url.GetLeftPart(UriPartial.Authority);

        _log ??= new StreamWriter(logPath, append: true) { AutoFlush = true };
        var log = _log;
        var stopwatch = Stopwatch.StartNew();
        _process?.Dispose();
        var process = Process.Start(start) ?? throw new BenchException($"could not start {executable}");
        _process = process;
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        while (stopwatch.Elapsed < ReadyDeadline && !process.HasExited)
        {
            if (await IsReadyAsync())
            {
                return stopwatch.Elapsed;
            }

            await Task.Delay(pollInterval);
        }

        throw new BenchException($"the silo on {Url} was not ready (exit: {(process.HasExited ? process.ExitCode : "none")}); its log: {logPath}");
    }

    /// <summary>SIGKILL: no shutdown, no goodbye to the cluster.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        _probe.Dispose();
        if (_log is not null)
        {
            await _log.DisposeAsync();
        }
    }

    private async Task<bool> IsReadyAsync()
    {
        try
        {
            using var response = await _probe.GetAsync(new Uri(Url, "health/ready"));
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

    private static void Append(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // The last lines of a process killed while the bench was ending.
            }
        }
    }
}
