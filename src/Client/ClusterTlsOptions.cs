namespace Governance.Client;

/// <summary>
/// TLS on the cluster's ports (section <c>Orleans:Tls</c>, DESIGN §7), read by silos, the standalone
/// gateway and the client library alike. One certificate for the whole cluster is the simple way: a
/// peer is trusted when its certificate chains to a trusted root or is this same certificate.
/// </summary>
public sealed class ClusterTlsOptions
{
    public const string SectionName = "Orleans:Tls";

    /// <summary>A PKCS#12 (.pfx) file with the private key, or a PEM certificate with <see cref="KeyPath"/>.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The password of a PKCS#12 file, if it has one.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The PEM private key of a PEM <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>
    /// Outside Development a silo that others reach on a non-loopback address refuses to start without
    /// TLS unless this is false (a private network that is trusted, such as compose's).
    /// </summary>
    public bool Required { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);
}
