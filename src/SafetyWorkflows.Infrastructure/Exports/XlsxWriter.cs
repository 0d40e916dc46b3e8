using MiniExcelLibs;
using MiniExcelLibs.Attributes;
using MiniExcelLibs.OpenXml;

namespace SafetyWorkflows.Infrastructure.Exports;

/// <summary>One column of an export: its header label, how to read the cell from a row, and its width in characters.</summary>
/// <remarks>A <see cref="DateOnly"/> or <see cref="DateTime"/> value is written as an Excel date (a number with a date
/// format), so the sheet sorts and filters it as a date; null leaves the cell empty.</remarks>
public sealed record XlsxColumn<T>(string Header, Func<T, object?> Value, double Width = 14);

/// <summary>
/// The one way we write .xlsx (MiniExcel): a header row of labels, one row per item, dates as dates, the header frozen and
/// an auto filter over the table. Rows are pulled one at a time from the enumerable and written to a temporary file, so
/// neither the rows nor the file are held in memory; the caller streams the returned file to the client, and the file
/// deletes itself when that stream closes.
/// </summary>
public static class XlsxWriter
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>Writes the sheet to a temporary file and returns it open for reading from the start (delete on close).</summary>
    public static async Task<Stream> WriteTemporaryAsync<T>(string sheetName, IReadOnlyList<XlsxColumn<T>> columns, IEnumerable<T> rows, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"sw-export-{Guid.NewGuid():N}.xlsx");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await WriteAsync(file, sheetName, columns, rows, cancellationToken);
            await file.FlushAsync(cancellationToken);
            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    /// <summary>Writes the sheet to <paramref name="stream"/> (which must be seekable: the zip's directory comes last).</summary>
    public static Task WriteAsync<T>(Stream stream, string sheetName, IReadOnlyList<XlsxColumn<T>> columns, IEnumerable<T> rows, CancellationToken cancellationToken)
    {
        // Keys are positional (c0, c1 …) so that two columns may share a label; the header shows the label.
        var keys = columns.Select((_, i) => "c" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var configuration = new OpenXmlConfiguration
        {
            FreezeRowCount = 1,
            FreezeColumnCount = 0,
            AutoFilter = true,
            EnableAutoWidth = false,
            FastMode = false,
            DynamicColumns = columns.Select((c, i) => new DynamicExcelColumn(keys[i]) { Name = c.Header, Index = i, Width = c.Width }).ToArray(),
        };
        return stream.SaveAsAsync(Cells(columns, keys, rows), printHeader: true, sheetName: sheetName, excelType: ExcelType.XLSX,
            configuration: configuration, cancellationToken: cancellationToken);
    }

    private static IEnumerable<IDictionary<string, object?>> Cells<T>(IReadOnlyList<XlsxColumn<T>> columns, string[] keys, IEnumerable<T> rows)
    {
        foreach (var row in rows)
        {
            var cells = new Dictionary<string, object?>(columns.Count, StringComparer.Ordinal);
            for (var i = 0; i < columns.Count; i++)
            {
                cells[keys[i]] = columns[i].Value(row) switch
                {
                    DateOnly day => day.ToDateTime(TimeOnly.MinValue),
                    DateTimeOffset at => at.DateTime,
                    var value => value,
                };
            }

            yield return cells;
        }
    }
}
