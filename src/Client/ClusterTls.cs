using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace Governance.Client;

/// <summary>Loads the cluster certificate and says which peers it trusts.</summary>
public static class ClusterTls
{
    public static X509Certificate2 LoadCertificate(ClusterTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = options.CertificatePath ?? throw new InvalidOperationException($"{ClusterTlsOptions.SectionName}:CertificatePath is not set.");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{ClusterTlsOptions.SectionName}:CertificatePath '{path}' does not exist.");
        }

        var certificate = string.IsNullOrWhiteSpace(options.KeyPath)
            ? X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword)
            : X509Certificate2.CreateFromPemFile(path, options.KeyPath);
        return certificate.HasPrivateKey
            ? certificate
            : throw new InvalidOperationException($"{ClusterTlsOptions.SectionName}:CertificatePath '{path}' has no private key.");
    }

    /// <summary>Presents <paramref name="certificate"/> and trusts a peer with a valid chain or this same certificate.</summary>
    public static void Configure(TlsOptions tls, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(tls);
        ArgumentNullException.ThrowIfNull(certificate);
        tls.LocalCertificate = certificate;
        tls.RemoteCertificateValidation = (remote, _, errors) =>
            errors == SslPolicyErrors.None || string.Equals(remote.Thumbprint, certificate.Thumbprint, StringComparison.OrdinalIgnoreCase);
    }
}
