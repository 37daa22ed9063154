namespace Governance.Silo;

/// <summary>The silo's cluster ports (section <c>Orleans:Endpoints</c>).</summary>
public sealed class OrleansEndpointOptions
{
    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos and clients reach this one at; 127.0.0.1 when unset.</summary>
    public string? AdvertisedIPAddress { get; set; }
}
