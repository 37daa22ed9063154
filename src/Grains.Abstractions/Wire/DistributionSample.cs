using System.Text.Json.Serialization;

namespace Governance.Grains.Wire;

/// <summary>Raw values of one feature (or score) at training time and in serving.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record DistributionSample(List<double>? Training, List<double>? Serving);
