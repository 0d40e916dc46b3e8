using System.IO.Compression;
using System.Text;
using SafetyWorkflows.Core.Common;

namespace SafetyWorkflows.Core.Documents;

/// <summary>
/// What a file must be to enter a library: an allowed extension, content that really is of that type (sniffed from its
/// bytes, never trusted from the client), and a harmless name. The name is only ever shown and offered on download;
/// storage paths come from the content hash.
/// </summary>
public static class FileRules
{
    public const string Field = "file";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".pdf"] = "application/pdf",
        [".docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        [".xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        [".doc"] = "application/msword",
        [".xls"] = "application/vnd.ms-excel",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".png"] = "image/png",
        [".txt"] = "text/plain; charset=utf-8",
    };

    public static IReadOnlyCollection<string> AllowedExtensions => ContentTypes.Keys;

    /// <summary>Checks a client file name and returns it trimmed; a name that tries to be a path is refused.</summary>
    public static string SanitizeFileName(string? clientName)
    {
        var name = clientName?.Trim() ?? "";
        if (name.Length == 0)
        {
            throw new InputValidationException(Field, "文件名为空 (the file has no name).");
        }

        if (name.Contains("..", StringComparison.Ordinal) || name.IndexOfAny(['/', '\\', ':']) >= 0)
        {
            throw new InputValidationException(Field, $"文件名“{Printable(name)}”含有路径字符 (the file name must not contain a path: '..', '/', '\\' or ':').");
        }

        if (name.Any(char.IsControl))
        {
            throw new InputValidationException(Field, "文件名含有控制字符 (the file name contains control characters).");
        }

        if (name.Length > 200)
        {
            var extension = Path.GetExtension(name);
            name = string.Concat(name.AsSpan(0, 200 - extension.Length), extension);
        }

        return name;
    }

    /// <summary>Returns the content type for an allowed extension, or refuses the file.</summary>
    public static string ContentTypeFor(string fileName)
    {
        var extension = Path.GetExtension(fileName);
        if (!ContentTypes.TryGetValue(extension, out var type))
        {
            throw new InputValidationException(Field,
                $"不允许的文件类型“{Printable(extension)}”，允许: {string.Join(", ", ContentTypes.Keys)} (file type not allowed).");
        }

        return type;
    }

    /// <summary>Reads the file's bytes and refuses it unless they match its extension.</summary>
    public static void EnsureContentMatches(string fileName, Stream content)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        var head = new byte[8];
        var read = content.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        content.Position = 0;
        var ok = extension switch
        {
            ".pdf" => StartsWith(head, read, "%PDF-"u8),
            ".png" => StartsWith(head, read, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
            ".jpg" or ".jpeg" => StartsWith(head, read, [0xFF, 0xD8, 0xFF]),
            ".doc" or ".xls" => StartsWith(head, read, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]),
            ".docx" => IsOfficeZip(content, "word/"),
            ".xlsx" => IsOfficeZip(content, "xl/"),
            ".txt" => IsUtf8Text(content),
            _ => false,
        };
        content.Position = 0;
        if (!ok)
        {
            throw new InputValidationException(Field, $"文件内容与扩展名“{extension}”不符 (the content is not a {extension} file).");
        }
    }

    private static bool StartsWith(byte[] head, int read, ReadOnlySpan<byte> magic) =>
        read >= magic.Length && head.AsSpan(0, magic.Length).SequenceEqual(magic);

    private static bool IsOfficeZip(Stream content, string partPrefix)
    {
        try
        {
            using var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
            return zip.GetEntry("[Content_Types].xml") is not null
                && zip.Entries.Any(e => e.FullName.StartsWith(partPrefix, StringComparison.Ordinal));
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    private static bool IsUtf8Text(Stream content)
    {
        var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        try
        {
            using var reader = new StreamReader(content, strict, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
            var buffer = new char[8192];
            int n;
            while ((n = reader.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (buffer.AsSpan(0, n).Contains('\0'))
                {
                    return false;
                }
            }

            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static string Printable(string text) => new(text.Select(c => char.IsControl(c) ? '?' : c).Take(80).ToArray());
}
