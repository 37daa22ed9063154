namespace Governance.Grains.Wire;

/// <summary>The key, and whether this call created it (false for an identical repeat).</summary>
public sealed record KeyRegistrationResult(KeyView Key, bool Created);
