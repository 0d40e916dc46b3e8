using Microsoft.Extensions.Options;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Utilities.IO.Pem;
using Org.BouncyCastle.X509;
using SafetyWorkflows.Core.Notices;
using SafetyWorkflows.Core.Storage;

namespace SafetyWorkflows.Infrastructure.Notices;

/// <summary>
/// The installation's notice-signing key and self-signed certificate (RSA-2048 with SHA-256 by default, SM2 with SM3 when
/// <c>Notices:SigningAlgorithm=Sm2</c>), kept as one PEM file under the data directory and created at first start. Every
/// notice is signed as a whole: a detached CMS (PKCS#7) SignedData over the PDF's bytes, carrying the certificate.
/// </summary>
internal sealed class NoticeSigner : INoticeSigner
{
    private readonly AsymmetricKeyParameter _privateKey;
    private readonly X509Certificate _certificate;
    private readonly string _signatureAlgorithm;

    public NoticeSigner(IOptions<NoticeOptions> options, IOptions<StorageOptions> storage)
    {
        Algorithm = options.Value.SigningAlgorithm;
        _signatureAlgorithm = Algorithm == SigningAlgorithm.Sm2 ? "SM3WITHSM2" : "SHA256WITHRSA";
        Path = options.Value.ResolveCertificatePath(storage.Value.ResolveDataDirectory());
        (_privateKey, _certificate) = File.Exists(Path) ? Load(Path) : Create(Path, Algorithm, options.Value.IssuingAuthority);
        var isSm2 = _privateKey is ECPrivateKeyParameters;
        if (isSm2 != (Algorithm == SigningAlgorithm.Sm2))
        {
            throw new InvalidOperationException(
                $"Notices:SigningAlgorithm is {Algorithm} but the key in '{Path}' is {(isSm2 ? "SM2" : "RSA")}; set Notices:CertificatePath to another file.");
        }
    }

    public SigningAlgorithm Algorithm { get; }

    public string Path { get; }

    public X509Certificate Certificate => _certificate;

    public byte[] Sign(byte[] content)
    {
        var generator = new CmsSignedDataGenerator();
        generator.AddSignerInfoGenerator(new SignerInfoGeneratorBuilder()
            .Build(new Asn1SignatureFactory(_signatureAlgorithm, _privateKey), _certificate));
        generator.AddCertificate(_certificate);
        return generator.Generate(new CmsProcessableByteArray(content), encapsulate: false).GetEncoded();
    }

    public bool Verify(byte[] content, byte[] signature)
    {
        try
        {
            var signed = new CmsSignedData(new CmsProcessableByteArray(content), signature);
            var signers = signed.GetSignerInfos().GetSigners();
            return signers.Count > 0 && signers.All(s => s.SignerID.Match(_certificate) && s.Verify(_certificate));
        }
        catch (Exception ex) when (ex is CmsException or IOException or ArgumentException or InvalidOperationException
            or Org.BouncyCastle.Security.Certificates.CertificateException or SecurityUtilityException)
        {
            return false;
        }
    }

    private static (AsymmetricKeyParameter Key, X509Certificate Certificate) Load(string path)
    {
        using var reader = new StreamReader(path);
        var pem = new PemReader(reader);
        AsymmetricKeyParameter? key = null;
        X509Certificate? certificate = null;
        while (pem.ReadPemObject() is { } item)
        {
            if (item.Type == "PRIVATE KEY")
            {
                key = PrivateKeyFactory.CreateKey(item.Content);
            }
            else if (item.Type == "CERTIFICATE")
            {
                certificate = new X509Certificate(item.Content);
            }
        }

        return (key ?? throw new InvalidOperationException($"Notices:CertificatePath: '{path}' holds no PRIVATE KEY."),
            certificate ?? throw new InvalidOperationException($"Notices:CertificatePath: '{path}' holds no CERTIFICATE."));
    }

    private static (AsymmetricKeyParameter Key, X509Certificate Certificate) Create(string path, SigningAlgorithm algorithm, string authority)
    {
        var random = new SecureRandom();
        AsymmetricCipherKeyPair pair;
        if (algorithm == SigningAlgorithm.Sm2)
        {
            var generator = new ECKeyPairGenerator();
            generator.Init(new ECKeyGenerationParameters(GMObjectIdentifiers.sm2p256v1, random));
            pair = generator.GenerateKeyPair();
        }
        else
        {
            var generator = new RsaKeyPairGenerator();
            generator.Init(new KeyGenerationParameters(random, 2048));
            pair = generator.GenerateKeyPair();
        }

        var name = new X509Name($"CN={authority} notices, O=SafetyWorkflows");
        var builder = new X509V3CertificateGenerator();
        builder.SetSerialNumber(new BigInteger(128, random).Add(BigInteger.One));
        builder.SetIssuerDN(name);
        builder.SetSubjectDN(name);
        builder.SetNotBefore(DateTime.UtcNow.AddDays(-1));
        builder.SetNotAfter(DateTime.UtcNow.AddYears(30));
        builder.SetPublicKey(pair.Public);
        builder.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.DigitalSignature | KeyUsage.NonRepudiation));
        var certificate = builder.Generate(new Asn1SignatureFactory(algorithm == SigningAlgorithm.Sm2 ? "SM3WITHSM2" : "SHA256WITHRSA", pair.Private, random));

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        using (var writer = new StreamWriter(temporary))
        {
            var pem = new PemWriter(writer);
            pem.WriteObject(new PemObject("PRIVATE KEY", PrivateKeyInfoFactory.CreatePrivateKeyInfo(pair.Private).GetEncoded()));
            pem.WriteObject(new PemObject("CERTIFICATE", certificate.GetEncoded()));
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        try
        {
            // Nodes starting together on one shared directory: the first file in wins and everyone loads it.
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return Load(path);
        }

        return (pair.Private, certificate);
    }
}

/// <summary>The QR code's link: <c>{Notifications:PublicBaseUrl}/verify/{code}</c>.</summary>
internal sealed class NoticeLinks(IOptions<Notifications.NotificationOptions> options) : INoticeLinks
{
    public string VerifyUrl(string code) => $"{options.Value.PublicBaseUrl.TrimEnd('/')}/verify/{code}";
}
