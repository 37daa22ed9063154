using System.Diagnostics;

namespace Governance.Gateway.Tests.Infrastructure;

/// <summary>Polls until a condition holds, failing after a timeout with a message that names what was awaited.</summary>
public static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string awaited)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {awaited}; last observed: {value}");
            }

            await Task.Delay(PollInterval);
        }
    }
}
