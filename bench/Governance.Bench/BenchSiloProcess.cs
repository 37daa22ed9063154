using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Governance.Bench;

/// <summary>
/// One published silo process of a bench cluster on PostgreSQL (Development principals, loopback
/// ports), started from its own directory as deploy/Dockerfile runs it; its output goes to a log file.
/// <see cref="Kill"/> is SIGKILL. A restart comes back on the same ports.
/// </summary>
public sealed class BenchSiloProcess(string executable, int httpPort, int siloPort, int gatewayPort, IReadOnlyDictionary<string, string> environment, string logPath)
    : IAsyncDisposable
{
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(90);

    private readonly HttpClient _probe = new() { Timeout = TimeSpan.FromSeconds(2) };
    private Process? _process;
    private StreamWriter? _log;

    public Uri Url { get; } = new($"http://127.0.0.1:{httpPort}/");

    /// <summary>Orleans' silo-to-silo port: the port of this silo's <c>SiloAddress</c>.</summary>
    public int SiloPort => siloPort;

    /// <summary>The port Orleans clients connect to.</summary>
    public int GatewayPort => gatewayPort;

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
        start.Environment["Orleans__Endpoints__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["Orleans__Endpoints__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["Orleans__Endpoints__AdvertisedIPAddress"] = "127.0.0.1";

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

            await Task.Delay(20);
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
