using System.Collections.Concurrent;

namespace Governance.Storage.Tests.Orleans;

/// <summary>Reminder ticks seen by <see cref="ReminderProbeGrain"/> on any silo of this process.</summary>
public static class ReminderSink
{
    private static readonly ConcurrentQueue<ReminderTick> Ticks = new();

    public static void Record(string grainKey, string reminderName, string siloAddress) =>
        Ticks.Enqueue(new ReminderTick(grainKey, reminderName, siloAddress, DateTimeOffset.UtcNow));

    public static IReadOnlyList<ReminderTick> For(string grainKey, string reminderName) =>
        [.. Ticks.Where(t => t.GrainKey == grainKey && t.ReminderName == reminderName)];

    /// <summary>Waits until the reminder has ticked at least once; null if it did not within <paramref name="timeout"/>.</summary>
    public static async Task<ReminderTick?> WaitForAsync(string grainKey, string reminderName, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            var ticks = For(grainKey, reminderName);
            if (ticks.Count > 0)
            {
                return ticks[0];
            }

            await Task.Delay(100);
        }

        return null;
    }
}
