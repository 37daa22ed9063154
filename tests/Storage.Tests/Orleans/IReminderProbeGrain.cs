namespace Governance.Storage.Tests.Orleans;

/// <summary>A grain that registers reminders on request and records each tick in <see cref="ReminderSink"/>.</summary>
public interface IReminderProbeGrain : IGrainWithStringKey
{
    Task Register(string reminderName, TimeSpan dueTime, TimeSpan period);

    /// <returns>Whether the reminder existed.</returns>
    Task<bool> Unregister(string reminderName);
}
