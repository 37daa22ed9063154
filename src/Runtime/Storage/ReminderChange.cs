namespace Governance.Runtime.Storage;

/// <summary>Sets (DueAt given) or removes (DueAt null) one named reminder of the writing grain.</summary>
public sealed record ReminderChange(string Name, DateTimeOffset? DueAt, TimeSpan? Period = null)
{
    public static ReminderChange Remove(string name) => new(name, null);
}
