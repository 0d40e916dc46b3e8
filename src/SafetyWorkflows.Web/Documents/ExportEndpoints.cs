using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Infrastructure.Exports;
using SafetyWorkflows.Web.Auth;
using SafetyWorkflows.Web.Localization;
using SafetyWorkflows.Web.Organisation;

namespace SafetyWorkflows.Web.Documents;

/// <summary>
/// A library list as a file: the same filters, sort and view as the list, every matching document (no paging), the
/// visible columns' labels as the header (English with <c>Accept-Language: en</c>), dates as dates. Documents are read one
/// at a time from the database and written as they come, so a large export holds neither the rows nor the file in memory.
/// </summary>
public static class ExportEndpoints
{
    public static IEndpointRouteBuilder MapExportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/libraries/{key}/documents/export", ExportAsync).WithName("ExportDocuments").WithTags("Documents")
            .WithSummary("The list as .xlsx (format=xlsx, the default) or .csv (format=csv), with the list's sort, filter[...], view, q, status and unitId.");
        return app;
    }

    private static async Task<IResult> ExportAsync(
        string key, string? format, string? status, string? unitId, string? q, string? sort, string? view,
        HttpContext context, QueryDocuments query, ILibraryCatalog libraries, PeopleNames people, UiText text, CancellationToken cancellationToken)
    {
        var kind = (format ?? "xlsx").Trim().ToLowerInvariant();
        if (kind is not ("xlsx" or "csv"))
        {
            throw new InputValidationException("format", "导出格式只能是 xlsx 或 csv (format must be xlsx or csv).");
        }

        var library = libraries.Get(key);
        var documents = await query.StreamAsync(
            new ListDocumentsQuery(key, status, unitId, q, null, null) { Spec = ListQueryString.Spec(context.Request.Query, sort), View = view },
            context.User.ToActor(), cancellationToken);
        await people.LoadAsync(cancellationToken);
        var columns = Columns(library, people, text);
        var name = $"{UiText.Pick(library.Name, library.NameEn)}-{DateTime.UtcNow.AddHours(8):yyyyMMdd}";
        if (kind == "csv")
        {
            return Results.Stream(async body => await WriteCsvAsync(body, columns, Rows(documents), cancellationToken), "text/csv; charset=utf-8", name + ".csv");
        }

        // The sheet is written on a worker thread: the writer pulls rows synchronously, the database hands them over one by one.
        var rows = Rows(documents).ToBlockingEnumerable(cancellationToken);
        var file = await Task.Run(() => XlsxWriter.WriteTemporaryAsync(UiText.Pick(library.Name, library.NameEn), columns, rows, cancellationToken), cancellationToken);
        return TypedResults.File(file, XlsxWriter.ContentType, name + ".xlsx");
    }

    /// <summary>A document with its metadata read once, for every column of its row.</summary>
    private sealed record Row(Document Document, JsonObject Metadata);

    private static async IAsyncEnumerable<Row> Rows(IAsyncEnumerable<Document> documents)
    {
        await foreach (var document in documents)
        {
            yield return new Row(document, JsonNode.Parse(document.MetadataJson) as JsonObject ?? []);
        }
    }

    /// <summary>标题, 状态, the visible columns in their order, 更新时间 and 版本.</summary>
    private static List<XlsxColumn<Row>> Columns(Library library, PeopleNames people, UiText text)
    {
        var columns = new List<XlsxColumn<Row>>
        {
            new(text["Title"], r => r.Document.Title, 36),
            new(text["Status"], r => text["Stage." + DocumentStages.Of(r.Document)], 10),
        };
        foreach (var column in library.VisibleColumns)
        {
            columns.Add(new(UiText.Pick(column.Name, column.NameEn), r => Cell(column, r.Metadata[column.Key], people), Width(column)));
        }

        columns.Add(new(text["UpdatedAt"], r => r.Document.UpdatedAt.ToOffset(TimeSpan.FromHours(8)).DateTime, 18));
        columns.Add(new(text["Version"], r => r.Document.CurrentVersion.ToString(), 8));
        return columns;
    }

    private static object? Cell(LibraryColumn column, JsonNode? value, PeopleNames people)
    {
        if (value is null)
        {
            return null;
        }

        return column.Type switch
        {
            ColumnType.Date when DateOnly.TryParseExact(value.ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) => day,
            ColumnType.Number or ColumnType.Integer when decimal.TryParse(value.ToString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var number) => number,
            _ => people.Value(column, value),
        };
    }

    private static double Width(LibraryColumn column) => column.Type switch
    {
        ColumnType.Text => column.MaxLength > 200 ? 40 : 20,
        ColumnType.Unit => 28,
        ColumnType.Date => 12,
        _ => 14,
    };

    private static async Task WriteCsvAsync(Stream body, IReadOnlyList<XlsxColumn<Row>> columns, IAsyncEnumerable<Row> rows, CancellationToken cancellationToken)
    {
        // UTF-8 with a byte-order mark: Excel then opens the Chinese text correctly.
        await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024);
        await writer.WriteLineAsync(string.Join(',', columns.Select(c => Csv(c.Header))));
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await writer.WriteLineAsync(string.Join(',', columns.Select(c => Csv(c.Value(row) switch
            {
                DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                DateTime at => at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
                var other => other?.ToString(),
            }))));
        }
    }

    /// <summary>A CSV field: quoted when it holds a separator, a quote or a line break; a leading = + - @ is defused so that
    /// a spreadsheet does not run a title as a formula.</summary>
    private static string Csv(string? value)
    {
        var text = value ?? "";
        if (text.Length > 0 && "=+-@".Contains(text[0], StringComparison.Ordinal))
        {
            text = "'" + text;
        }

        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
