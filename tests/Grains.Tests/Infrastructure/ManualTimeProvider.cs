namespace Governance.Grains.Tests.Infrastructure;

/// <summary>
/// A wall clock that moves only when told to, for tests of expiry and reminders. Timers and the
/// monotonic timestamp are the system's: only <see cref="GetUtcNow"/> is controlled.
/// </summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private long _utcTicks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    public void Advance(TimeSpan delta) => Interlocked.Add(ref _utcTicks, delta.Ticks);

    public void SetUtcNow(DateTimeOffset value) => Interlocked.Exchange(ref _utcTicks, value.UtcTicks);
}
