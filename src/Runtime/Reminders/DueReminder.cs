namespace Governance.Runtime.Reminders;

/// <summary>A reminder whose time has come, as fetched from the reminder table.</summary>
public sealed record DueReminder(GrainId Grain, string Name, DateTimeOffset DueAt, TimeSpan? Period);
