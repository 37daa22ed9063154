using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Governance.Gateway.Tests.Infrastructure;

namespace Governance.Gateway.Tests.Deployment;

/// <summary>
/// One of the product's executables in a process of its own (`dotnet run --no-build --project
/// src/...`), configured through environment variables as a user would, on a loopback HTTP port chosen
/// once, so a restart comes back on the same address. <see cref="KillAsync"/> is SIGKILL,
/// <see cref="StopAsync"/> SIGTERM.
/// </summary>
public abstract class HostProcess : IAsyncDisposable, IApiTarget
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly ConcurrentQueue<string> _output = new();
    private readonly HttpClient _http;
    private Process? _process;

    protected HostProcess(string project)
    {
        Project = project;
        HttpPort = FreeLoopbackPort.Next();
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>The folder under src/ of the executable.</summary>
    public string Project { get; }

    public int HttpPort { get; }

    /// <summary>Configuration keys (with <c>:</c>) given to the process as environment variables.</summary>
    public IDictionary<string, string> Settings { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <summary>Command-line arguments of the executable (after <c>--</c>), e.g. <c>--environment Production</c>.</summary>
    public IList<string> Arguments { get; } = [];

    /// <summary>What the process printed, for failure messages.</summary>
    public string Output => string.Join('\n', _output.TakeLast(200));

    /// <summary>Every line the process printed since it was first started.</summary>
    public IReadOnlyCollection<string> Lines => _output;

    public bool IsRunning => _process is { HasExited: false };

    public ApiClient As(string? token) => new(_http, token is null ? null : new AuthenticationHeaderValue("Bearer", token));

    /// <summary>Starts the process and returns once /health/ready answers 200, with the time that took.</summary>
    public async Task<TimeSpan> StartAsync()
    {
        var clock = Stopwatch.StartNew();
        _process = Launch();
        while (clock.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                var exitCode = _process.ExitCode;
                await KillAsync();
                Assert.Fail($"{Project} exited with {exitCode}:\n{Output}");
            }

            if (await IsReadyAsync())
            {
                return clock.Elapsed;
            }

            await Task.Delay(100);
        }

        // Leave no process behind for a start that failed.
        await KillAsync();
        throw new TimeoutException($"{Project} was not ready within {StartTimeout}:\n{Output}");
    }

    /// <summary>Starts the process and waits for it to exit by itself (it must, within the start timeout); returns its exit code.</summary>
    public async Task<int> RunToExitAsync()
    {
        _process = Launch();
        using var cancel = new CancellationTokenSource(StartTimeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
            Assert.Fail($"{Project} was expected to exit by itself but ran for {StartTimeout}:\n{Output}");
        }

        // The exit event fires before the last redirected lines are read: wait for them.
        _process.WaitForExit();
        var exitCode = _process.ExitCode;
        _process.Dispose();
        _process = null;
        return exitCode;
    }

    private Process Launch()
    {
        var start = new ProcessStartInfo("dotnet", ["run", "--no-build", "--project", Path.Combine(RepositoryPaths.Root, "src", Project), "--", .. Arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Root,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{HttpPort.ToString(CultureInfo.InvariantCulture)}";
        foreach (var (key, value) in Settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet run did not start");
        process.OutputDataReceived += (_, line) => _output.Enqueue(line.Data ?? "");
        process.ErrorDataReceived += (_, line) => _output.Enqueue(line.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Whether /health/ready answers 200 now (false when nothing listens).</summary>
    public async Task<bool> IsReadyAsync()
    {
        try
        {
            return (await _http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
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

    /// <summary>SIGTERM to the executable (not to `dotnet run`), then waits for it to exit.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process is { HasExited: false } process)
        {
            // `dotnet run` starts the app as its child and forwards nothing: signal the app itself.
            foreach (var child in ChildrenOf(process.Id))
            {
                _ = Kill(child, signal: 15);
            }

            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"{Project} did not exit within {timeout} of SIGTERM:\n{Output}");
            }
        }

        _process?.Dispose();
        _process = null;
    }

    public virtual async ValueTask DisposeAsync()
    {
        await KillAsync();
        _http.Dispose();
        GC.SuppressFinalize(this);
    }

    private static IEnumerable<int> ChildrenOf(int pid)
    {
        var children = Path.Combine("/proc", pid.ToString(CultureInfo.InvariantCulture), "task", pid.ToString(CultureInfo.InvariantCulture), "children");
        return File.Exists(children)
            ? File.ReadAllText(children).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(id => int.Parse(id, CultureInfo.InvariantCulture))
            : [];
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
