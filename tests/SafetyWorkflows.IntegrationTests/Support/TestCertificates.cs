using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SafetyWorkflows.IntegrationTests.Support;

/// <summary>
/// A throw-away certificate authority made at run time, and a server certificate for 127.0.0.1 issued by it. The CA is
/// appended to the bundle that <c>SSL_CERT_FILE</c> names for the test host (integration.runsettings), so the app's
/// ordinary TLS validation (Azure.Identity's and the Graph SDK's HttpClients) trusts the fake servers, as it would a
/// national cloud's or a proxy's CA installed on the machine. Nothing is trusted by turning validation off.
/// </summary>
public static class TestCertificates
{
    private static readonly Lazy<(X509Certificate2 Ca, X509Certificate2 Server)> Pair = new(Create);

    public static X509Certificate2 Server => Pair.Value.Server;

    public static X509Certificate2 Authority => Pair.Value.Ca;

    private static (X509Certificate2, X509Certificate2) Create()
    {
        var bundle = Environment.GetEnvironmentVariable("SSL_CERT_FILE");
        if (string.IsNullOrEmpty(bundle))
        {
            throw new InvalidOperationException(
                "SSL_CERT_FILE is not set for the test host: run the tests with `dotnet test` (the project names integration.runsettings, which sets it).");
        }

        var now = DateTimeOffset.UtcNow;
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest($"CN=SafetyWorkflows test CA {Guid.NewGuid():N}", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var issued = serverRequest.Create(ca, now.AddMinutes(-5), now.AddDays(1), Guid.NewGuid().ToByteArray()[..8]);

        // Kestrel wants the key in a form it can use on Linux: round-trip through PKCS#12.
        var server = X509CertificateLoader.LoadPkcs12(issued.CopyWithPrivateKey(serverKey).Export(X509ContentType.Pkcs12, "test"), "test");
        Trust(bundle, ca);
        return (ca, server);
    }

    /// <summary>
    /// Appends the CA to the bundle under a file lock, dropping expired test CAs: runs in other work trees may share the
    /// file at the same time, and each only needs its own CA to be there.
    /// </summary>
    private static void Trust(string bundle, X509Certificate2 ca)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(bundle)!);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var file = new FileStream(bundle, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                using var reader = new StreamReader(file, leaveOpen: true);
                var existing = new X509Certificate2Collection();
                var text = reader.ReadToEnd();
                if (text.Length > 0)
                {
                    existing.ImportFromPem(text);
                }

                var kept = existing.Where(c => c.NotAfter > DateTime.Now).Select(c => c.ExportCertificatePem()).Append(ca.ExportCertificatePem());
                file.SetLength(0);
                using var writer = new StreamWriter(file, leaveOpen: true);
                writer.Write(string.Join('\n', kept) + "\n");
                return;
            }
            catch (IOException) when (attempt < 50)
            {
                Thread.Sleep(100);
            }
        }
    }
}
