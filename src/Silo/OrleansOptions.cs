namespace Governance.Silo;

/// <summary>The silo's Orleans settings (section <c>Orleans</c>); the membership timings are <c>Orleans:Membership</c>.</summary>
public sealed class OrleansOptions
{
    public string ClusterId { get; set; } = "governance";

    public string ServiceId { get; set; } = "model-governance";

    public OrleansEndpointOptions Endpoints { get; set; } = new();
}
