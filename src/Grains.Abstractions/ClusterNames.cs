namespace Governance.Grains;

/// <summary>The cluster and service ids silos and clients use when configuration names none.</summary>
public static class ClusterNames
{
    public const string DefaultClusterId = "governance";

    public const string DefaultServiceId = "model-governance";
}
