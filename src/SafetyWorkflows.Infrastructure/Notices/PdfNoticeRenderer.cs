using System.Text;
using Microsoft.Extensions.Options;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using QRCoder;
using SafetyWorkflows.Core.Notices;

namespace SafetyWorkflows.Infrastructure.Notices;

/// <summary>
/// A4 official notice in the shape of a 公文 (GB/T 9704 in spirit): red 发文机关标志 and 发文字号 over a red rule, the
/// title, the addressee, the body, the parties or decisions with their signature images, the issuing authority and date,
/// a QR code linking to <c>/verify/{code}</c>, and page numbers.
/// </summary>
internal sealed class PdfNoticeRenderer : INoticeRenderer
{
    private const double Margin = 72; // 2.54 cm
    private const double PageHeight = 842;
    private const double PageWidth = 595;
    private const double BodyBottom = PageHeight - 70;
    private static readonly XColor Red = XColor.FromArgb(200, 16, 16);

    public PdfNoticeRenderer(IOptions<NoticeOptions> options) => CjkFont.Install(options.Value.FontPath);

    public bool CanEmbedImage(byte[] image)
    {
        try
        {
            using var stream = new MemoryStream(image, writable: false);
            using var picture = XImage.FromStream(stream);
            return picture.PixelWidth > 0 && picture.PixelHeight > 0;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return false;
        }
    }

    public byte[] Render(NoticeContent content)
    {
        using var document = new PdfDocument();
        document.Info.Title = $"{content.Number} {content.Title}";
        document.Info.Subject = content.DocumentTitle;
        document.Info.Author = content.Authority;
        document.Info.Creator = "SafetyWorkflows";
        var layout = new Layout(document);

        layout.Header(content.Authority, content.Number);
        layout.Title(content.Title);
        if (content.Addressee is { Length: > 0 } addressee)
        {
            layout.Paragraph($"{addressee}：", indent: false);
        }

        foreach (var paragraph in content.Paragraphs)
        {
            layout.Paragraph(paragraph, indent: true);
        }

        layout.Gap(10);
        foreach (var party in content.Parties)
        {
            var image = content.Signatures.FirstOrDefault(s => s.Name == party.SignedBy)?.Image;
            layout.Party(party, image);
        }

        if (content.Signatures.Count > 0)
        {
            layout.Gap(6);
            layout.Line("审批签署", bold: true);
            foreach (var signature in content.Signatures)
            {
                layout.Signature(signature);
            }
        }

        layout.Closing(content.Authority, content.IssuedOn, content.VerifyUrl, content.DocumentVersion);
        layout.PageNumbers();

        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    /// <summary>A cursor down the pages; a block that does not fit goes to a new page.</summary>
    private sealed class Layout
    {
        private readonly PdfDocument _document;
        private readonly XFont _body = Font(14);
        private readonly XFont _small = Font(10);
        private XGraphics _graphics = null!;
        private double _y;

        public Layout(PdfDocument document)
        {
            _document = document;
            NewPage();
        }

        private static XFont Font(double size, bool bold = false) =>
            new(CjkFont.Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, new XPdfFontOptions(PdfFontEncoding.Unicode));

        private double Width => PageWidth - (2 * Margin);

        public void Header(string authority, string number)
        {
            var size = 30.0;
            XFont font;
            do
            {
                font = Font(size, bold: true);
                size -= 1;
            }
            while (_graphics.MeasureString(authority, font).Width > Width && size > 12);

            var brush = new XSolidBrush(Red);
            _graphics.DrawString(authority, font, brush, new XRect(Margin, _y, Width, font.Height), XStringFormats.TopCenter);
            _y += font.Height + 14;
            _graphics.DrawString(number, _body, XBrushes.Black, new XRect(Margin, _y, Width, _body.Height), XStringFormats.TopCenter);
            _y += _body.Height + 6;
            _graphics.DrawLine(new XPen(Red, 2), Margin, _y, PageWidth - Margin, _y);
            _y += 24;
        }

        public void Title(string title)
        {
            var font = Font(20, bold: true);
            foreach (var line in Wrap(title, font, Width))
            {
                _graphics.DrawString(line, font, XBrushes.Black, new XRect(Margin, _y, Width, font.Height), XStringFormats.TopCenter);
                _y += font.Height + 4;
            }

            _y += 14;
        }

        public void Paragraph(string text, bool indent)
        {
            var lines = Wrap((indent ? "\u3000\u3000" : "") + text, _body, Width);
            foreach (var line in lines)
            {
                Ensure(_body.Height + 8);
                _graphics.DrawString(line, _body, XBrushes.Black, new XPoint(Margin, _y), XStringFormats.TopLeft);
                _y += _body.Height + 8;
            }
        }

        public void Line(string text, bool bold = false)
        {
            var font = bold ? Font(12, bold: true) : Font(12);
            Ensure(font.Height + 6);
            _graphics.DrawString(text, font, XBrushes.Black, new XPoint(Margin, _y), XStringFormats.TopLeft);
            _y += font.Height + 6;
        }

        public void Gap(double points) => _y += points;

        public void Party(NoticeParty party, byte[]? image)
        {
            Ensure(90);
            var top = _y;
            _graphics.DrawString($"{party.Role}：{party.Name}", _body, XBrushes.Black, new XPoint(Margin, _y), XStringFormats.TopLeft);
            _y += _body.Height + 8;
            var signer = party.SignedBy is null ? "（未签字）" : party.SignedBy;
            _graphics.DrawString($"负责人签字：{signer}", _body, XBrushes.Black, new XPoint(Margin, _y), XStringFormats.TopLeft);
            if (image is not null)
            {
                DrawSignatureImage(image, Margin + 260, top + 4, 48);
            }

            _y += _body.Height + 8;
            _graphics.DrawString($"日期：{party.SignedOn ?? "　　年　月　日"}", _body, XBrushes.Black, new XPoint(Margin, _y), XStringFormats.TopLeft);
            _y += _body.Height + 16;
        }

        public void Signature(NoticeSignature signature)
        {
            var font = Font(12);
            var height = signature.Image is null ? font.Height + 8 : 44;
            Ensure(height);
            var text = $"{signature.Step}：{signature.Name}　{signature.DecidedAt}";
            foreach (var line in Wrap(text, font, Width - 130))
            {
                _graphics.DrawString(line, font, XBrushes.Black, new XPoint(Margin, _y), XStringFormats.TopLeft);
                _y += font.Height + 4;
            }

            if (signature.Image is not null)
            {
                DrawSignatureImage(signature.Image, PageWidth - Margin - 120, _y - font.Height - 10, 36);
                _y = Math.Max(_y, _y + 44 - font.Height - 4);
            }

            _y += 4;
        }

        public void Closing(string authority, string issuedOn, string verifyUrl, string version)
        {
            const double qrSize = 84;
            Ensure(qrSize + 40);
            _y += 16;
            var right = new XRect(Margin, _y, Width - qrSize - 16, _body.Height);
            _graphics.DrawString(authority, _body, XBrushes.Black, right, XStringFormats.TopRight);
            _graphics.DrawString(issuedOn, _body, XBrushes.Black, right with { Y = _y + _body.Height + 8 }, XStringFormats.TopRight);
            var qrLeft = PageWidth - Margin - qrSize;
            DrawQr(verifyUrl, qrLeft, _y - 8, qrSize);
            _graphics.DrawString("扫码核验真伪", _small, XBrushes.Black, new XRect(qrLeft - 10, _y + qrSize - 4, qrSize + 20, _small.Height), XStringFormats.TopCenter);
            _y += qrSize + _small.Height + 6;
            foreach (var line in Wrap($"核验地址：{verifyUrl}（依据文书第 {version} 版）", _small, Width))
            {
                Ensure(_small.Height + 2);
                _graphics.DrawString(line, _small, XBrushes.Gray, new XPoint(Margin, _y), XStringFormats.TopLeft);
                _y += _small.Height + 2;
            }
        }

        public void PageNumbers()
        {
            _graphics.Dispose();
            var count = _document.PageCount;
            for (var i = 0; i < count; i++)
            {
                using var graphics = XGraphics.FromPdfPage(_document.Pages[i], XGraphicsPdfPageOptions.Append);
                var text = $"— {i + 1} / {count} —";
                graphics.DrawString(text, _small, XBrushes.Black, new XRect(0, PageHeight - 50, PageWidth, _small.Height), XStringFormats.TopCenter);
            }
        }

        private void DrawQr(string text, double x, double y, double size)
        {
            using var generator = new QRCodeGenerator();
            using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
            var matrix = data.ModuleMatrix;
            var module = size / matrix.Count;
            for (var row = 0; row < matrix.Count; row++)
            {
                for (var column = 0; column < matrix[row].Length; column++)
                {
                    if (matrix[row][column])
                    {
                        // A hair wider than the module so neighbouring squares do not leave white seams in viewers.
                        _graphics.DrawRectangle(XBrushes.Black, x + (column * module), y + (row * module), module + 0.05, module + 0.05);
                    }
                }
            }
        }

        private void DrawSignatureImage(byte[] bytes, double x, double y, double height)
        {
            using var stream = new MemoryStream(bytes, writable: false);
            using var image = XImage.FromStream(stream);
            var width = Math.Min(120, height * image.PixelWidth / Math.Max(1, image.PixelHeight));
            _graphics.DrawImage(image, x, y, width, height);
        }

        private void Ensure(double height)
        {
            if (_y + height > BodyBottom)
            {
                _graphics.Dispose();
                NewPage();
            }
        }

        private void NewPage()
        {
            var page = _document.AddPage();
            page.Size = PdfSharp.PageSize.A4;
            _graphics = XGraphics.FromPdfPage(page);
            _y = Margin;
        }

        /// <summary>Character-wise wrapping (Chinese has no spaces), keeping a Latin run (a date, a number, a link) whole
        /// where it fits on a line; closing punctuation never starts a line.</summary>
        private List<string> Wrap(string text, XFont font, double width)
        {
            const string noLineStart = "，。、；：？！）》」』”’,.;:?!)";
            var lines = new List<string>();
            var line = new System.Text.StringBuilder();
            foreach (var token in Tokens(text))
            {
                var candidate = line + token;
                if (line.Length > 0 && _graphics.MeasureString(candidate, font).Width > width && !noLineStart.Contains(token, StringComparison.Ordinal))
                {
                    lines.Add(line.ToString());
                    line.Clear();
                }

                if (_graphics.MeasureString(token, font).Width > width)
                {
                    // A run longer than the line (a long link): break it by character after all.
                    foreach (var rune in token.EnumerateRunes())
                    {
                        if (line.Length > 0 && _graphics.MeasureString(line + rune.ToString(), font).Width > width)
                        {
                            lines.Add(line.ToString());
                            line.Clear();
                        }

                        line.Append(rune.ToString());
                    }

                    continue;
                }

                line.Append(token);
            }

            if (line.Length > 0)
            {
                lines.Add(line.ToString());
            }

            return lines;
        }

        private static IEnumerable<string> Tokens(string text)
        {
            var run = new System.Text.StringBuilder();
            foreach (var rune in text.EnumerateRunes())
            {
                if (rune.IsAscii && (Rune.IsLetterOrDigit(rune) || "-./:_%?=&#".Contains((char)rune.Value, StringComparison.Ordinal)))
                {
                    run.Append(rune.ToString());
                    continue;
                }

                if (run.Length > 0)
                {
                    yield return run.ToString();
                    run.Clear();
                }

                yield return rune.ToString();
            }

            if (run.Length > 0)
            {
                yield return run.ToString();
            }
        }
    }
}
