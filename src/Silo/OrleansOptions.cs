namespace Governance.Silo;

/// <summary>The silo's Orleans settings (section <c>Orleans</c>); the membership timings are <c>Orleans:Membership</c>.</summary>
public sealed class OrleansOptions
{
    public string ClusterId { get; set; } = Grains.ClusterNames.DefaultClusterId;

    public string ServiceId { get; set; } = Grains.ClusterNames.DefaultServiceId;

    public OrleansEndpointOptions Endpoints { get; set; } = new();
}
