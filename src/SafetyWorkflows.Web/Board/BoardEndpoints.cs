using Microsoft.AspNetCore.Http.HttpResults;
using SafetyWorkflows.Core.Board;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Infrastructure.Exports;
using SafetyWorkflows.Web.Auth;
using SafetyWorkflows.Web.Localization;

namespace SafetyWorkflows.Web.Board;

public sealed record HazardItemDto(
    Guid DocumentId, string Title, string UnitId, string Unit, string VillageId, string Village, string Industry, string IndustryKey, string Grade, string Stage,
    string StageLabel, DateOnly? Deadline, int? DaysLeft, string Level, bool Listed, string? Holder);

public sealed record HazardCountDto(string Key, string Name, int Count, int Red, int Yellow, int Green);

public sealed record HazardMonthDto(string Month, int Found, int Closed);

public sealed record HazardBoardDto(
    DateOnly Today, int YellowWorkingDays, IReadOnlyList<HazardItemDto> Items, IReadOnlyList<HazardCountDto> ByVillage,
    IReadOnlyList<HazardCountDto> ByIndustry, IReadOnlyList<HazardMonthDto> Trend);

public sealed record HazardStatisticsLineDto(
    string Key, string Name, int Found, int General, int Major, int Closed, int ClosedOnTime, decimal Rate, int Listed, int Overdue);

public sealed record HazardStatisticsDto(
    int Year, int Quarter, string Title, DateOnly From, DateOnly To, DateOnly AsOf,
    IReadOnlyList<HazardStatisticsLineDto> ByVillage, IReadOnlyList<HazardStatisticsLineDto> ByIndustry, HazardStatisticsLineDto Total);

/// <summary>The hazard board (隐患台账/督办看板) and the quarterly statistics: JSON for the page's charts, and the .xlsx exports.</summary>
public static class BoardEndpoints
{
    public static IEndpointRouteBuilder MapBoardEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/board").WithTags("Board");
        group.MapGet("/hazards", HazardsAsync).WithName("HazardBoard").Produces<HazardBoardDto>(StatusCodes.Status200OK, "application/json")
            .WithSummary("Every open rectification order in the caller's view with its deadline light, counts by village and industry, and the 12-month trend.");
        group.MapGet("/hazards/export", ExportHazardsAsync).WithName("ExportHazardLedger")
            .WithSummary("The 隐患排查治理台账 as .xlsx (format=xlsx): every order in the caller's view that left Draft, open or closed.");
        group.MapGet("/statistics", StatisticsAsync).WithName("HazardStatistics")
            .WithSummary("The quarterly hazard statistics computed from the orders (year, quarter; default the last quarter).");
        group.MapGet("/statistics/export", ExportStatisticsAsync).WithName("ExportHazardStatistics")
            .WithSummary("The quarterly hazard statistics as .xlsx (format=xlsx).");
        return app;
    }

    public static HazardBoardDto ToDto(HazardBoardView view) => new(
        view.Today, HazardBoard.YellowWorkingDays,
        view.Items.Select(i => new HazardItemDto(i.DocumentId, i.Title, i.Place.UnitId, UiText.Pick(i.Place.Unit, i.Place.UnitEn), i.Place.VillageId,
            UiText.Pick(i.Place.Village, i.Place.VillageEn), UiText.Pick(i.Place.Industry, i.Place.IndustryEn), i.Place.Industry, i.Grade, i.Stage,
            DocumentStages.Words(i.Stage, UiText.IsEnglish), i.Deadline, i.DaysLeft, i.Level, i.Listed, i.ListedBy)).ToList(),
        view.ByVillage.Select(ToDto).ToList(),
        view.ByIndustry.Select(ToDto).ToList(),
        view.Trend.Select(m => new HazardMonthDto(m.Month, m.Found, m.Closed)).ToList());

    public static HazardStatisticsDto ToDto(HazardStatisticsView view) => new(
        view.Year, view.Quarter, UiText.IsEnglish ? $"Hazard statistics, Q{view.Quarter} {view.Year}" : view.Title, view.From, view.To, view.AsOf,
        view.ByVillage.Select(ToDto).ToList(), view.ByIndustry.Select(ToDto).ToList(), ToDto(view.Total));

    private static HazardCountDto ToDto(HazardCount c) => new(c.Key, UiText.Pick(c.Name, c.NameEn), c.Count, c.Red, c.Yellow, c.Green);

    private static HazardStatisticsLineDto ToDto(HazardStatisticsLine l) =>
        new(l.Key, UiText.Pick(l.Name, l.NameEn), l.Found, l.General, l.Major, l.Closed, l.ClosedOnTime, l.Rate, l.Listed, l.Overdue);

    private static async Task<FileContentHttpResult> HazardsAsync(HttpContext context, HazardBoard board, HazardBoardCache cache, CancellationToken cancellationToken)
    {
        var (_, json) = await cache.GetAsync(board, context.User.ToActor(), cancellationToken);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Bytes(json, "application/json; charset=utf-8");
    }

    private static async Task<FileStreamHttpResult> ExportHazardsAsync(string? format, HttpContext context, HazardBoard board, CancellationToken cancellationToken)
    {
        EnsureXlsx(format);
        var rows = await board.LedgerAsync(context.User.ToActor(), cancellationToken);
        var file = await XlsxWriter.WriteTemporaryAsync(HazardSheets.LedgerSheet, HazardSheets.Ledger, rows, cancellationToken);
        return TypedResults.File(file, XlsxWriter.ContentType, $"{HazardSheets.LedgerSheet}-{board.Today:yyyyMMdd}.xlsx");
    }

    private static async Task<Ok<HazardStatisticsDto>> StatisticsAsync(
        string? year, string? quarter, HttpContext context, HazardStatistics statistics, HazardBoard board, CancellationToken cancellationToken)
    {
        var (y, q) = HazardStatistics.Parse(year, quarter, board.Today);
        return TypedResults.Ok(ToDto(await statistics.ComputeAsync(y, q, context.User.ToActor(), cancellationToken)));
    }

    private static async Task<FileStreamHttpResult> ExportStatisticsAsync(
        string? year, string? quarter, string? format, HttpContext context, HazardStatistics statistics, HazardBoard board, CancellationToken cancellationToken)
    {
        EnsureXlsx(format);
        var (y, q) = HazardStatistics.Parse(year, quarter, board.Today);
        var view = await statistics.ComputeAsync(y, q, context.User.ToActor(), cancellationToken);
        var file = await XlsxWriter.WriteTemporaryAsync("隐患排查治理统计", HazardSheets.Statistics, HazardSheets.StatisticsRows(view), cancellationToken);
        return TypedResults.File(file, XlsxWriter.ContentType, HazardSheets.StatisticsFileName(view));
    }

    private static void EnsureXlsx(string? format)
    {
        if (!string.IsNullOrEmpty(format) && !string.Equals(format, "xlsx", StringComparison.OrdinalIgnoreCase))
        {
            throw new InputValidationException("format", $"不支持的导出格式“{format}”，可用: xlsx (format must be xlsx).");
        }
    }
}
