using Governance.Gateway.Tests.Infrastructure;

namespace Governance.Gateway.Tests;

/// <summary>The silo of <see cref="ExpiryTests"/>: its reminder service polls every 200 ms.</summary>
public sealed class ReminderSilo : SiloFixture<ExpiryTests>
{
    protected override void Configure(IDictionary<string, string?> settings) =>
        settings["Governance:Reminders:PollInterval"] = "00:00:00.200";
}
