namespace Governance.Grains.Drift;

/// <summary>The persisted progress of one model's drift monitor.</summary>
public sealed record DriftMonitorState(int SchemaVersion, long Observations, long LastSeq)
{
    public const int CurrentSchemaVersion = 1;
}
