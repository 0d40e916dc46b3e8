using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using SafetyWorkflows.Core.Assessment;
using SafetyWorkflows.Infrastructure.Notices;

namespace SafetyWorkflows.Infrastructure.Exports;

/// <summary>
/// The year's assessment as a landscape A4 PDF in Chinese (the leaders' paper copy): the weights, 签订率 by kind, then one
/// line per unit; set in the notices' CJK font (<c>Notices:FontPath</c>), with page numbers.
/// </summary>
public static class AssessmentPdf
{
    private const double PageWidth = 842;
    private const double PageHeight = 595;
    private const double Margin = 36;

    private static readonly (string Header, double Width)[] Columns =
    [
        ("单位", 190), ("类别", 62), ("责任书签订", 72), ("隐患 排查/按期/逾期/挂牌", 130), ("统计按时", 56), ("演练", 50), ("会议培训", 58),
        ("事故", 36), ("一票否决", 52), ("得分", 44),
    ];

    public static byte[] Render(AssessmentView view, string fontPath)
    {
        CjkFont.Install(fontPath);
        using var document = new PdfDocument();
        document.Info.Title = $"{view.Year}年度安全生产考核";
        document.Info.Creator = "SafetyWorkflows";
        var body = Font(10);
        var bold = Font(10, bold: true);
        XGraphics graphics = null!;
        double y = 0;

        void NewPage()
        {
            graphics?.Dispose();
            var page = document.AddPage();
            page.Width = XUnit.FromPoint(PageWidth);
            page.Height = XUnit.FromPoint(PageHeight);
            graphics = XGraphics.FromPdfPage(page);
            y = Margin;
        }

        void Line(string text, XFont font, double height = 16)
        {
            if (y + height > PageHeight - Margin)
            {
                NewPage();
            }

            graphics.DrawString(text, font, XBrushes.Black, new XRect(Margin, y, PageWidth - (2 * Margin), height), XStringFormats.TopLeft);
            y += height;
        }

        void Row(IReadOnlyList<string> cells, XFont font)
        {
            if (y + 18 > PageHeight - Margin)
            {
                NewPage();
            }

            var x = Margin;
            for (var i = 0; i < Columns.Length; i++)
            {
                var text = Fit(graphics, cells[i], font, Columns[i].Width - 4);
                graphics.DrawString(text, font, XBrushes.Black, new XRect(x + 2, y + 2, Columns[i].Width - 4, 14), XStringFormats.TopLeft);
                x += Columns[i].Width;
            }

            y += 18;
            graphics.DrawLine(XPens.LightGray, Margin, y, x, y);
        }

        NewPage();
        var title = Font(18, bold: true);
        graphics.DrawString($"{view.Year}年度安全生产考核", title, XBrushes.Black, new XRect(Margin, y, PageWidth - (2 * Margin), 26), XStringFormats.TopCenter);
        y += 34;
        var w = view.Weights;
        Line($"数据截至 {view.AsOf:yyyy-MM-dd}。权重：责任书 {w.Letter}、隐患按期整改 {w.Hazards}、统计按时报送 {w.Statistics}、应急演练 {w.Drills}、会议培训 {w.Training}；" +
            $"发生{w.VetoSeverity}及以上、瞒报或迟报事故的单位一票否决。", body);
        y += 4;
        Line("责任书签订率：" + string.Join("；", view.SigningRates.Append(view.SigningTotal)
            .Select(r => $"{r.Kind} {r.Signed}/{r.Required}（{r.Rate.ToString("0.#", CultureInfo.InvariantCulture)}%）")), body);
        y += 8;
        Row([.. Columns.Select(c => c.Header)], bold);
        foreach (var r in view.Rows)
        {
            Row([
                r.Unit, r.CounterpartyKind, r.LetterSignedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "未签订",
                $"{r.HazardsFound}/{r.HazardsClosedOnTime}/{r.HazardsOverdue}/{r.HazardsListed}", $"{r.StatisticsOnTime}/{r.StatisticsRequired}",
                $"{r.DrillsHeld}/{r.DrillsRequired}", $"{r.TrainingAttended}/{r.MeetingsHeld}", r.Accidents.ToString(CultureInfo.InvariantCulture),
                r.Veto ? "是" : "否", r.Score.ToString("0.#", CultureInfo.InvariantCulture),
            ], body);
        }

        graphics.Dispose();
        var small = Font(8);
        for (var i = 0; i < document.PageCount; i++)
        {
            using var g = XGraphics.FromPdfPage(document.Pages[i], XGraphicsPdfPageOptions.Append);
            g.DrawString($"— {i + 1} / {document.PageCount} —", small, XBrushes.Gray, new XRect(0, PageHeight - 24, PageWidth, 12), XStringFormats.TopCenter);
        }

        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    private static XFont Font(double size, bool bold = false) =>
        new(CjkFont.Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, new XPdfFontOptions(PdfFontEncoding.Unicode));

    private static string Fit(XGraphics graphics, string text, XFont font, double width)
    {
        if (graphics.MeasureString(text, font).Width <= width)
        {
            return text;
        }

        while (text.Length > 1 && graphics.MeasureString(text + "…", font).Width > width)
        {
            text = text[..^1];
        }

        return text + "…";
    }
}
