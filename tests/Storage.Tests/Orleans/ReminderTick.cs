namespace Governance.Storage.Tests.Orleans;

public sealed record ReminderTick(string GrainKey, string ReminderName, string SiloAddress, DateTimeOffset At);
