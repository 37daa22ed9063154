using System.Text.Json.Serialization;
using Governance.Grains.Drift;
using Governance.Grains.Keys;
using Governance.Grains.Models;

namespace Governance.Grains;

/// <summary>Source-generated JSON of the stored grain states.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ModelState))]
[JsonSerializable(typeof(KeyRingState))]
[JsonSerializable(typeof(PublicKeyClaimState))]
internal sealed partial class GrainStateJsonContext : JsonSerializerContext;
