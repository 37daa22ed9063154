using System.Text.Json.Serialization;

namespace Governance.Grains.Wire;

/// <summary>Raw values of one feature (or score) at training time and in serving.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[GenerateSerializer, Alias("gov.DistributionSample")]
public sealed record DistributionSample([property: Id(0)] List<double>? Training, [property: Id(1)] List<double>? Serving);
