namespace Governance.Cluster.Tests.Infrastructure;

/// <summary>The standalone HTTP gateway (`dotnet run --project src/Gateway.Host`) in a process of its own.</summary>
public sealed class GatewayHostProcess : HostProcess
{
    /// <summary>A gateway that finds the silos of <paramref name="clusterId"/> in the membership table of <paramref name="connectionString"/>.</summary>
    public static GatewayHostProcess ThroughDatabase(string clusterId, string connectionString)
    {
        var gateway = new GatewayHostProcess();
        gateway.Settings["Orleans:ClusterId"] = clusterId;
        gateway.Settings["ConnectionStrings:Governance"] = connectionString;
        return gateway;
    }

    /// <summary>A gateway given the silos' gateway endpoints as <c>Governance:Client:Gateways</c>.</summary>
    public static GatewayHostProcess ThroughEndpoints(string clusterId, params SiloProcess[] silos)
    {
        var gateway = new GatewayHostProcess();
        gateway.Settings["Orleans:ClusterId"] = clusterId;
        for (var i = 0; i < silos.Length; i++)
        {
            gateway.Settings[$"Governance:Client:Gateways:{i}"] = $"127.0.0.1:{silos[i].GatewayPort}";
        }

        return gateway;
    }

    private GatewayHostProcess()
        : base("Gateway.Host")
    {
    }
}
