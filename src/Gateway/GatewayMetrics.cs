using System.Diagnostics.Metrics;

namespace Governance.Gateway;

/// <summary>The gateway's instruments (meter <c>Governance.Gateway</c>).</summary>
public static class GatewayMetrics
{
    public const string MeterName = "Governance.Gateway";

    private static readonly Meter Meter = new(MeterName);

    internal static readonly Counter<long> VerifyDecisions =
        Meter.CreateCounter<long>("governance_verify_decisions_total", description: "Verify decisions by outcome and reason.");

    internal static readonly Counter<long> Responses =
        Meter.CreateCounter<long>("governance_http_responses_total", description: "HTTP responses by route and status code.");
}
