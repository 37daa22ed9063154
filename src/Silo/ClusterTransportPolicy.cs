using System.Net;
using Governance.Client;

namespace Governance.Silo;

/// <summary>
/// DESIGN §7: cluster traffic (silo to silo, client to silo) does not travel in the clear on a real
/// network by accident. Outside Development a silo that advertises a non-loopback address needs a
/// certificate in <c>Orleans:Tls</c>, or <c>Orleans:Tls:Required=false</c> saying the network is trusted.
/// </summary>
public static class ClusterTransportPolicy
{
    public static void Check(bool development, IPAddress advertised, ClusterTlsOptions tls)
    {
        ArgumentNullException.ThrowIfNull(advertised);
        ArgumentNullException.ThrowIfNull(tls);
        if (tls.Enabled || development || IPAddress.IsLoopback(advertised) || !tls.Required)
        {
            return;
        }

        throw new InvalidOperationException(
            $"The silo advertises {advertised}, which is not a loopback address, outside the Development environment, and " +
            $"{ClusterTlsOptions.SectionName}:CertificatePath names no certificate: cluster traffic would travel in the clear. " +
            $"Name a certificate, or set {ClusterTlsOptions.SectionName}:Required=false on a network you trust.");
    }
}
