using Microsoft.Extensions.Options;
using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.Core.Notices;

/// <summary>Each official's own signature image (PNG or JPEG), registered at /preferences or /api/me/signature.</summary>
public sealed class SignatureImages(ISignatureImageRepository images, INoticeRenderer renderer, IOptions<NoticeOptions> options, TimeProvider clock)
{
    public const string SetAction = "signature.set";
    public const string DeleteAction = "signature.delete";
    public const int MaxSide = 3000;

    public Task<SignatureImage?> GetAsync(Actor actor, CancellationToken cancellationToken) => images.FindAsync(actor.UserName, cancellationToken);

    public async Task SaveAsync(Actor actor, Stream? content, CancellationToken cancellationToken)
    {
        if (content is null)
        {
            throw new InputValidationException("file", "请选择签名图片 (choose a signature image: PNG or JPEG).");
        }

        var max = options.Value.MaxSignatureImageBytes;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > max)
            {
                throw new InputValidationException("file", $"签名图片不能超过 {max / 1024} KB (the signature image may be at most {max / 1024} KB).");
            }
        }

        var bytes = buffer.ToArray();
        var (contentType, width, height) = Sniff(bytes);
        if (contentType is null)
        {
            throw new InputValidationException("file", "签名图片须为 PNG 或 JPEG (the signature image must be a PNG or JPEG picture).");
        }

        if (width is < 16 or > MaxSide || height is < 8 or > MaxSide)
        {
            throw new InputValidationException("file",
                $"签名图片尺寸须在 16×8 至 {MaxSide}×{MaxSide} 像素之间 (the picture must be 16×8 to {MaxSide}×{MaxSide} pixels; it is {width}×{height}).");
        }

        if (!renderer.CanEmbedImage(bytes))
        {
            throw new InputValidationException("file", "签名图片无法读取，请另存为标准 PNG 或 JPEG (the picture cannot be read; save it as a plain PNG or JPEG).");
        }

        var now = clock.GetUtcNow();
        await images.SaveAsync(actor.UserName, contentType, bytes, now,
            new AuditEntry(now, actor.UserName, SetAction, null, null, $"登记签名图片（{contentType}，{width}×{height}，{bytes.Length} 字节）"), cancellationToken);
    }

    public async Task<bool> DeleteAsync(Actor actor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return await images.DeleteAsync(actor.UserName, new AuditEntry(now, actor.UserName, DeleteAction, null, null, "删除签名图片"), cancellationToken);
    }

    /// <summary>The type and pixel size from the file's own header (PNG IHDR, JPEG SOFn); null type when it is neither.</summary>
    public static (string? ContentType, int Width, int Height) Sniff(byte[] bytes)
    {
        ReadOnlySpan<byte> png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        if (bytes.Length >= 24 && bytes.AsSpan(0, 8).SequenceEqual(png) && bytes.AsSpan(12, 4).SequenceEqual("IHDR"u8))
        {
            return ("image/png", BigEndian(bytes, 16, 4), BigEndian(bytes, 20, 4));
        }

        if (bytes.Length >= 4 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF)
        {
            var i = 2;
            while (i + 9 < bytes.Length)
            {
                if (bytes[i] != 0xFF)
                {
                    return (null, 0, 0);
                }

                var marker = bytes[i + 1];
                if (marker == 0xFF)
                {
                    i++;
                    continue;
                }

                var length = BigEndian(bytes, i + 2, 2);
                if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
                {
                    return ("image/jpeg", BigEndian(bytes, i + 7, 2), BigEndian(bytes, i + 5, 2));
                }

                i += 2 + length;
            }
        }

        return (null, 0, 0);
    }

    private static int BigEndian(byte[] bytes, int offset, int count)
    {
        var value = 0;
        for (var i = 0; i < count; i++)
        {
            value = (value << 8) | bytes[offset + i];
        }

        return value < 0 ? int.MaxValue : value;
    }
}
