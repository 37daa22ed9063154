namespace Governance.Grains.Models;

/// <summary>Sets (DueAt given) or removes (DueAt null) one named reminder of the model, once its write committed.</summary>
public sealed record ReminderChange(string Name, DateTimeOffset? DueAt)
{
    public static ReminderChange Remove(string name) => new(name, null);
}
