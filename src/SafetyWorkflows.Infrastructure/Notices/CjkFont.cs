using PdfSharp.Fonts;

namespace SafetyWorkflows.Infrastructure.Notices;

/// <summary>
/// The one font of every notice: a CJK TrueType face read from <c>Notices:FontPath</c> (WenQuanYi Micro Hei by default,
/// ADR-011). PDFsharp embeds only the glyphs a notice uses (a subset). PDFsharp cannot read a TrueType collection (.ttc),
/// so the collection's first face is copied out into a plain font file in memory.
/// </summary>
internal sealed class CjkFont : IFontResolver
{
    public const string Family = "NoticeCjk";
    private const string FaceName = "NoticeCjk-Regular";
    private static readonly Lock Gate = new();
    private static CjkFont? _installed;
    private readonly byte[] _font;

    private CjkFont(byte[] font) => _font = font;

    /// <summary>Installs the resolver once per process (PDFsharp's font settings are global); later calls with another path are ignored.</summary>
    public static void Install(string fontPath)
    {
        lock (Gate)
        {
            if (_installed is not null)
            {
                return;
            }

            if (!File.Exists(fontPath))
            {
                throw new InvalidOperationException(
                    $"Notices:FontPath: the CJK font '{fontPath}' does not exist; install Debian's fonts-wqy-microhei or point the key at a TrueType font.");
            }

            _installed = new CjkFont(FirstFace(File.ReadAllBytes(fontPath)));
            GlobalFontSettings.FontResolver = _installed;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(FaceName, mustSimulateBold: bold, mustSimulateItalic: italic);

    public byte[]? GetFont(string faceName) => faceName == FaceName ? _font : null;

    /// <summary>A plain TrueType file from a collection's first face (a .ttf is returned as it is).</summary>
    public static byte[] FirstFace(byte[] file)
    {
        if (file.Length < 12 || file[0] != 't' || file[1] != 't' || file[2] != 'c' || file[3] != 'f')
        {
            return file;
        }

        var face = (int)U32(file, 12);
        var tableCount = U16(file, face + 4);
        var headerLength = 12 + (16 * tableCount);
        var tables = Enumerable.Range(0, tableCount).Select(i => face + 12 + (16 * i))
            .Select(r => (Record: r, Offset: (int)U32(file, r + 8), Length: (int)U32(file, r + 12))).ToList();
        var size = headerLength + tables.Sum(t => (t.Length + 3) & ~3);
        var font = new byte[size];
        Array.Copy(file, face, font, 0, 12);
        var position = headerLength;
        for (var i = 0; i < tables.Count; i++)
        {
            var (record, offset, length) = tables[i];
            Array.Copy(file, record, font, 12 + (16 * i), 16);
            WriteU32(font, 12 + (16 * i) + 8, (uint)position);
            Array.Copy(file, offset, font, position, length);
            position += (length + 3) & ~3;
        }

        return font;
    }

    private static uint U32(byte[] b, int i) => ((uint)b[i] << 24) | ((uint)b[i + 1] << 16) | ((uint)b[i + 2] << 8) | b[i + 3];

    private static int U16(byte[] b, int i) => (b[i] << 8) | b[i + 1];

    private static void WriteU32(byte[] b, int i, uint v)
    {
        b[i] = (byte)(v >> 24);
        b[i + 1] = (byte)(v >> 16);
        b[i + 2] = (byte)(v >> 8);
        b[i + 3] = (byte)v;
    }
}
