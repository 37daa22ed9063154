namespace Governance.Runtime.Tests.Streams;

/// <summary>Polls a condition until it holds, failing with the expected state once the time is up.</summary>
public static class Eventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> expected)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out after {timeout} waiting for {expected()}.");
            await Task.Delay(20);
        }
    }
}
