namespace Governance.Gateway;

/// <summary>HTTP limits of the gateway (section <c>Governance:Gateway</c>).</summary>
public sealed class GatewayOptions
{
    /// <summary>The largest accepted request body in bytes. Default: 1 MiB (a full verify batch fits).</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}
