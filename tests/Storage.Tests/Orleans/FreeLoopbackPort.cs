using System.Net;
using System.Net.Sockets;

namespace Governance.Storage.Tests.Orleans;

/// <summary>A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it).</summary>
internal static class FreeLoopbackPort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
