using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Governance.Cluster.Tests.Infrastructure;

/// <summary>A self-signed cluster certificate for 127.0.0.1 in a PKCS#12 file of its own, deleted on dispose.</summary>
public sealed class ClusterCertificate : IDisposable
{
    public const string Password = "cluster-test";

    private ClusterCertificate(string path) => Path = path;

    public string Path { get; }

    public static ClusterCertificate Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=governance-cluster-test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"governance-cluster-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, Password));
        return new ClusterCertificate(path);
    }

    /// <summary>The configuration keys that name this certificate.</summary>
    public IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Orleans:Tls:CertificatePath", Path),
        new("Orleans:Tls:CertificatePassword", Password),
    ];

    public void Dispose() => File.Delete(Path);
}
