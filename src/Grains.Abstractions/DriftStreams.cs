namespace Governance.Grains;

/// <summary>The stream namespaces of the governance domain.</summary>
public static class DriftStreams
{
    /// <summary>Drift observations, keyed by model id.</summary>
    public const string Namespace = "drift";

    /// <summary>The Orleans stream provider that carries them (memory streams embedded, ours on PostgreSQL).</summary>
    public const string ProviderName = "drift";
}
