using Governance.Gateway.Tests.Infrastructure;

namespace Governance.Gateway.Tests;

/// <summary>
/// The silo of <see cref="DeployGateTests"/>: its reminder service polls once at start and then not for
/// a day, so within that class an approval can only have expired by the clock, never by a reminder.
/// </summary>
public sealed class ClockOnlySilo : SiloFixture<DeployGateTests>
{
    protected override void Configure(IDictionary<string, string?> settings) =>
        settings["Governance:Reminders:PollInterval"] = "1.00:00:00";
}
