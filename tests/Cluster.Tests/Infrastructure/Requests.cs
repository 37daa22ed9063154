using System.Diagnostics;

namespace Governance.Cluster.Tests.Infrastructure;

/// <summary>Requests sent while silos die: a refused or cut connection is an answer too (null).</summary>
public static class Requests
{
    public static async Task<ApiResponse?> TryAsync(Func<Task<ApiResponse>> send)
    {
        try
        {
            return await send();
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>Polls <paramref name="probe"/> until <paramref name="done"/>, failing after <paramref name="timeout"/> with what was awaited.</summary>
    public static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string awaited)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            Assert.True(clock.Elapsed < timeout, $"timed out after {timeout.TotalSeconds:0} s waiting for {awaited}; last {value}");
            await Task.Delay(100);
        }
    }

    public static object Training() => new
    {
        weights_hash = Workflow.NewWeightsHash(),
        metrics = new { accuracy = 0.9, loss = 0.2 },
        card = new { name = "m" },
    };
}
