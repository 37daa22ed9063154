namespace Governance.Grains.Calls;

/// <summary>
/// Repeats a query (a call that changes nothing) that Orleans could not deliver or answer — the silo
/// holding the grain died or is handing it over — a few times, briefly apart. Commands are never
/// repeated this way: their outcome is unknown. A timeout is not repeated either: it already waited.
/// </summary>
public static class QueryRetry
{
    public const int DefaultAttempts = 3;

    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(200);

    public static async Task<T> RunAsync<T>(Func<Task<T>> query, int attempts = DefaultAttempts, Action<int, Exception>? retrying = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await query();
            }
            catch (OrleansException exception) when (attempt < attempts)
            {
                retrying?.Invoke(attempt, exception);
                await Task.Delay(Pause);
            }
        }
    }
}
