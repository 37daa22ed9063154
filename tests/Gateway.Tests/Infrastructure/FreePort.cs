using System.Net;
using System.Net.Sockets;

namespace Governance.Gateway.Tests.Infrastructure;

/// <summary>Loopback TCP ports nobody listens on, for the cluster ports of test silos.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
