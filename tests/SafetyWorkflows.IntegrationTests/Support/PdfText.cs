using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Advanced;
using PdfSharp.Pdf.IO;

namespace SafetyWorkflows.IntegrationTests.Support;

/// <summary>
/// The text a PDF shows, read back the way a viewer's copy does: every hex string shown by Tj/TJ in the pages' content
/// streams, its two-byte glyph ids mapped to Unicode through the fonts' ToUnicode CMaps (PDFsharp writes Identity-H text).
/// Enough for our notices; not a general PDF text extractor.
/// </summary>
public static partial class PdfText
{
    [GeneratedRegex(@"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")]
    private static partial Regex BfChar();

    [GeneratedRegex(@"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")]
    private static partial Regex BfRange();

    [GeneratedRegex(@"<([0-9A-Fa-f\s]*)>\s*Tj|\[((?:[^\]])*)\]\s*TJ")]
    private static partial Regex Shown();

    [GeneratedRegex(@"<([0-9A-Fa-f\s]*)>")]
    private static partial Regex Hex();

    /// <summary>One string per page: the glyphs in the order they are drawn.</summary>
    public static IReadOnlyList<string> Pages(byte[] pdf)
    {
        using var document = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import);
        var pages = new List<string>();
        foreach (var page in document.Pages)
        {
            var map = new Dictionary<int, string>();
            var fonts = page.Resources.Elements.GetDictionary("/Font");
            foreach (var name in fonts?.Elements.Keys ?? [])
            {
                if (fonts!.Elements.GetDictionary(name)?.Elements.GetDictionary("/ToUnicode") is { Stream: { } cmap })
                {
                    ReadCMap(Encoding.Latin1.GetString(cmap.UnfilteredValue), map);
                }
            }

            var text = new StringBuilder();
            foreach (var item in page.Contents.Elements)
            {
                var stream = ((item as PdfReference)?.Value as PdfDictionary ?? item as PdfDictionary)?.Stream;
                if (stream is null)
                {
                    continue;
                }

                foreach (Match shown in Shown().Matches(Encoding.Latin1.GetString(stream.UnfilteredValue)))
                {
                    var hexes = shown.Groups[1].Success ? [shown.Groups[1].Value] : Hex().Matches(shown.Groups[2].Value).Select(m => m.Groups[1].Value);
                    foreach (var hex in hexes.Select(h => Regex.Replace(h, @"\s", "")))
                    {
                        for (var i = 0; i + 4 <= hex.Length; i += 4)
                        {
                            text.Append(map.GetValueOrDefault(int.Parse(hex.AsSpan(i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture), "\uFFFD"));
                        }
                    }
                }

                text.Append('\n');
            }

            pages.Add(text.ToString());
        }

        return pages;
    }

    public static string All(byte[] pdf) => string.Join("\f", Pages(pdf));

    private static void ReadCMap(string cmap, Dictionary<int, string> map)
    {
        foreach (var section in Sections(cmap, "beginbfrange", "endbfrange"))
        {
            foreach (Match range in BfRange().Matches(section))
            {
                var from = Parse(range.Groups[1].Value);
                var to = Parse(range.Groups[2].Value);
                var first = Parse(range.Groups[3].Value);
                for (var glyph = from; glyph <= to; glyph++)
                {
                    map[glyph] = char.ConvertFromUtf32(first + (glyph - from));
                }
            }
        }

        foreach (var section in Sections(cmap, "beginbfchar", "endbfchar"))
        {
            foreach (Match single in BfChar().Matches(section))
            {
                map[Parse(single.Groups[1].Value)] = Utf16(single.Groups[2].Value);
            }
        }
    }

    private static IEnumerable<string> Sections(string text, string begin, string end)
    {
        var at = 0;
        while ((at = text.IndexOf(begin, at, StringComparison.Ordinal)) >= 0)
        {
            var stop = text.IndexOf(end, at, StringComparison.Ordinal);
            yield return text[(at + begin.Length)..stop];
            at = stop;
        }
    }

    private static int Parse(string hex) => int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static string Utf16(string hex) =>
        Encoding.BigEndianUnicode.GetString(Enumerable.Range(0, hex.Length / 2).Select(i => Convert.ToByte(hex.Substring(i * 2, 2), 16)).ToArray());
}
