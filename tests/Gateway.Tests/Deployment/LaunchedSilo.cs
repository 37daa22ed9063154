using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Governance.Gateway.Tests.Infrastructure;

namespace Governance.Gateway.Tests.Deployment;

/// <summary>
/// The silo as a user starts it: `dotnet run --project src/Silo` in its own process, behind Kestrel,
/// told where to listen by ASPNETCORE_URLS only.
/// </summary>
public sealed class LaunchedSilo : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    public int Port { get; } = FreeLoopbackPort.Next();

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>Whether /health/live answered 200 on <see cref="Port"/> within the start timeout.</summary>
    public bool Listening { get; private set; }

    /// <summary>What the process printed, for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    public async Task InitializeAsync()
    {
        var start = new ProcessStartInfo("dotnet", ["run", "--no-build", "--project", Path.Combine(RepositoryPaths.Root, "src", "Silo")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Root,
        };
        start.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/');
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // Its HTTP address comes from ASPNETCORE_URLS only; its cluster ports must not meet another silo's.
        start.Environment["Orleans__Endpoints__SiloPort"] = FreeLoopbackPort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Orleans__Endpoints__GatewayPort"] = FreeLoopbackPort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet run did not start");
        _process.OutputDataReceived += (_, line) => _output.Enqueue(line.Data ?? "");
        _process.ErrorDataReceived += (_, line) => _output.Enqueue(line.Data ?? "");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (!_process.HasExited && clock.Elapsed < StartTimeout)
        {
            try
            {
                Listening = (await http.GetAsync(new Uri(BaseAddress, "/health/live"))).StatusCode == HttpStatusCode.OK;
                return;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too busy starting to answer within the client's timeout.
                await Task.Delay(250);
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }
}
