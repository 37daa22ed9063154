using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Governance.Gateway.Tests.Infrastructure;

namespace Governance.Gateway.Tests.Deployment;

/// <summary>The README's first command, `dotnet run --project src/Silo`, as a user runs it.</summary>
[Trait("Category", "Integration")]
public sealed class SiloLaunchTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Row14_dotnet_run_listens_where_ASPNETCORE_URLS_says()
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", ["run", "--no-build", "--project", Path.Combine(RepositoryPaths.Root, "src", "Silo")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Root,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var silo = Process.Start(start) ?? throw new InvalidOperationException("dotnet run did not start");
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        silo.OutputDataReceived += (_, line) => output.Enqueue(line.Data ?? "");
        silo.ErrorDataReceived += (_, line) => output.Enqueue(line.Data ?? "");
        silo.BeginOutputReadLine();
        silo.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var clock = Stopwatch.StartNew();
            while (true)
            {
                Assert.False(silo.HasExited, $"the silo exited with {(silo.HasExited ? silo.ExitCode : 0)} before listening on port {port}:\n{string.Join('\n', output)}");
                try
                {
                    var live = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health/live"));
                    Assert.Equal(HttpStatusCode.OK, live.StatusCode);
                    break;
                }
                catch (HttpRequestException) when (clock.Elapsed < StartTimeout)
                {
                    await Task.Delay(250);
                }
                catch (HttpRequestException exception)
                {
                    Assert.Fail($"no answer on ASPNETCORE_URLS port {port} within {StartTimeout.TotalSeconds} s ({exception.Message}):\n{string.Join('\n', output)}");
                }
            }
        }
        finally
        {
            silo.Kill(entireProcessTree: true);
            await silo.WaitForExitAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
