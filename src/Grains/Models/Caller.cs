namespace Governance.Grains;

/// <summary>The authenticated principal on whose behalf a command runs.</summary>
public sealed record Caller(string Principal);
