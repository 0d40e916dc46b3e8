using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace SafetyWorkflows.IntegrationTests.Support;

/// <summary>Real files of each allowed kind, small enough to build in memory.</summary>
public static class TestFiles
{
    public static byte[] Pdf(string text) => Encoding.ASCII.GetBytes(
        $"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% {text} {Guid.NewGuid()}\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    public static byte[] Png() =>
    [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89,
    ];

    /// <summary>A real, decodable PNG of one colour (a photo stand-in that browsers can show as a thumbnail).</summary>
    public static byte[] Photo(byte red, byte green, byte blue, int size = 48)
    {
        using var pixels = new MemoryStream();
        using (var zlib = new ZLibStream(pixels, CompressionLevel.Optimal, leaveOpen: true))
        {
            var row = new byte[1 + (size * 3)];
            for (var x = 0; x < size; x++)
            {
                row[1 + (x * 3)] = red;
                row[2 + (x * 3)] = green;
                row[3 + (x * 3)] = blue;
            }

            for (var y = 0; y < size; y++)
            {
                zlib.Write(row);
            }
        }

        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, size);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), size);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type: RGB
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", pixels.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        var crc = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        png.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }

    public static byte[] Docx()
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            WriteEntry(zip, "[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>");
            WriteEntry(zip, "word/document.xml", "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"/>");
        }

        return memory.ToArray();
    }

    public static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    public static MultipartFormDataContent Upload(byte[] bytes, string fileName, object? metadata, string? title = null, string? rawMetadata = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        form.Add(new StringContent(rawMetadata ?? JsonSerializer.Serialize(metadata)), "metadata");
        if (title is not null)
        {
            form.Add(new StringContent(title), "title");
        }

        return form;
    }

    public static MultipartFormDataContent CheckIn(byte[] bytes, string fileName, string? comment)
    {
        var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(bytes), "file", fileName);
        if (comment is not null)
        {
            form.Add(new StringContent(comment), "comment");
        }

        return form;
    }

    public static object LetterMetadata(string unit = "qingshan-village") => new { counterpartyUnit = unit, year = 2024, counterpartyKind = "村(社区)" };

    public static object OrderMetadata(string unit = "xiangnan-chemical") => new
    {
        inspectedUnit = unit,
        hazardDescription = "储罐区静电接地失效",
        location = "甲类仓库东侧",
        grade = "重大",
        legalBasis = "《安全生产法》第三十六条",
        deadline = "2024-06-30",
        inspector = "wujie",
    };

    private static void WriteEntry(ZipArchive zip, string name, string content)
    {
        var entry = zip.CreateEntry(name);
        using var writer = new StreamWriter(entry.Open());
        writer.Write(content);
    }
}
