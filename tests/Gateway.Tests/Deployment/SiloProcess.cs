using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Governance.Gateway.Tests.Infrastructure;

namespace Governance.Gateway.Tests.Deployment;

/// <summary>
/// A silo in a process of its own (`dotnet run --no-build --project src/Silo`) on PostgreSQL, on
/// loopback ports chosen once, so a restart comes back on the same cluster ports (Orleans then marks
/// the killed predecessor dead at once). <see cref="Kill"/> is SIGKILL.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly ConcurrentQueue<string> _output = new();
    private readonly string _connectionString;
    private readonly int _siloPort = FreeLoopbackPort.Next();
    private readonly int _gatewayPort = FreeLoopbackPort.Next();
    private readonly HttpClient _http;
    private Process? _process;

    public SiloProcess(string connectionString)
    {
        _connectionString = connectionString;
        HttpPort = FreeLoopbackPort.Next();
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public int HttpPort { get; }

    /// <summary>What the processes printed, for failure messages.</summary>
    public string Output => string.Join('\n', _output.TakeLast(200));

    public ApiClient As(string? token) => new(_http, token is null ? null : new AuthenticationHeaderValue("Bearer", token));

    /// <summary>Starts the silo and returns once /health/ready answers 200, with the time that took.</summary>
    public async Task<TimeSpan> StartAsync()
    {
        var start = new ProcessStartInfo("dotnet", ["run", "--no-build", "--project", Path.Combine(RepositoryPaths.Root, "src", "Silo")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Root,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{HttpPort}";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Governance__Storage__Provider"] = "postgres";
        start.Environment["ConnectionStrings__Governance"] = _connectionString;
        start.Environment["Orleans__ClusterId"] = "process-" + _siloPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["Orleans__Endpoints__SiloPort"] = _siloPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["Orleans__Endpoints__GatewayPort"] = _gatewayPort.ToString(CultureInfo.InvariantCulture);
        var clock = Stopwatch.StartNew();
        _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet run did not start");
        _process.OutputDataReceived += (_, line) => _output.Enqueue(line.Data ?? "");
        _process.ErrorDataReceived += (_, line) => _output.Enqueue(line.Data ?? "");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        while (clock.Elapsed < StartTimeout)
        {
            Assert.False(_process.HasExited, $"the silo process exited with {(_process.HasExited ? _process.ExitCode : 0)}:\n{Output}");
            try
            {
                if ((await _http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return clock.Elapsed;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"the silo was not ready within {StartTimeout}:\n{Output}");
    }

    /// <summary>SIGKILL: no shutdown, nothing flushed.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _http.Dispose();
    }
}
