namespace Governance.Grains.Wire;

/// <summary>The key, and whether this call created it (false for an identical repeat).</summary>
[GenerateSerializer, Immutable, Alias("gov.KeyRegistrationResult")]
public sealed record KeyRegistrationResult([property: Id(0)] KeyView Key, [property: Id(1)] bool Created);
