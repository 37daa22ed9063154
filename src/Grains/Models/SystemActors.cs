namespace Governance.Grains.Models;

/// <summary>Actors of transitions nobody requested.</summary>
public static class SystemActors
{
    public const string Timer = "system:timer";
    public const string DriftDetector = "system:drift-detector";
}
