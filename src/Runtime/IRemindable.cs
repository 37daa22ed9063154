namespace Governance.Runtime;

/// <summary>A grain that receives durable reminders. Delivery is at least once: handle repeats.</summary>
public interface IRemindable
{
    Task ReceiveReminder(string name, DateTimeOffset dueAt);
}
