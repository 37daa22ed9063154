using System.Globalization;

namespace Governance.Gateway.Tests.Deployment;

/// <summary>
/// A silo in a process of its own (`dotnet run --no-build --project src/Silo`) on PostgreSQL, on
/// loopback ports chosen once, so a restart comes back on the same cluster ports (Orleans then marks
/// the killed predecessor dead at once). Silos given the same <paramref name="clusterId"/> and
/// connection string form one cluster.
/// </summary>
public sealed class SiloProcess : HostProcess
{
    public SiloProcess(string connectionString, string? clusterId = null)
        : base("Silo")
    {
        ClusterId = clusterId ?? "process-" + SiloPort.ToString(CultureInfo.InvariantCulture);
        Settings["Governance:Storage:Provider"] = "postgres";
        Settings["ConnectionStrings:Governance"] = connectionString;
        Settings["Orleans:ClusterId"] = ClusterId;
        Settings["Orleans:Endpoints:SiloPort"] = SiloPort.ToString(CultureInfo.InvariantCulture);
        Settings["Orleans:Endpoints:GatewayPort"] = GatewayPort.ToString(CultureInfo.InvariantCulture);
    }

    public string ClusterId { get; }

    public int SiloPort { get; } = FreeLoopbackPort.Next();

    /// <summary>The port Orleans clients connect to.</summary>
    public int GatewayPort { get; } = FreeLoopbackPort.Next();
}
