using System.Net;
using System.Net.Sockets;

namespace Governance.Client;

/// <summary>Turns <c>host:port</c> gateway entries into the endpoints Orleans' static gateway list takes.</summary>
internal static class GatewayEndpoints
{
    public static IPEndPoint[] Resolve(IEnumerable<string> gateways)
    {
        var endpoints = new List<IPEndPoint>();
        foreach (var entry in gateways)
        {
            var colon = entry.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(entry.AsSpan(colon + 1), out var port) || port is < 1 or > 65535)
            {
                throw new InvalidOperationException($"{GovernanceClientOptions.SectionName}:Gateways entry '{entry}' is not host:port.");
            }

            var host = entry[..colon].Trim('[', ']');
            var address = IPAddress.TryParse(host, out var literal)
                ? literal
                : Dns.GetHostAddresses(host).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                    ?? throw new InvalidOperationException($"{GovernanceClientOptions.SectionName}:Gateways host '{host}' has no IPv4 address.");
            endpoints.Add(new IPEndPoint(address, port));
        }

        return [.. endpoints];
    }
}
