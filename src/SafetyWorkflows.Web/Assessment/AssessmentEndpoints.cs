using Microsoft.AspNetCore.Http.HttpResults;
using SafetyWorkflows.Core.Assessment;
using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Infrastructure.Exports;
using SafetyWorkflows.Web.Auth;
using SafetyWorkflows.Web.Localization;

namespace SafetyWorkflows.Web.Assessment;

public sealed record AssessmentSourceDto(Guid DocumentId, string Title, string Url);

public sealed record AssessmentRowDto(
    string UnitId, string Unit, string CounterpartyKind, Guid? LetterId, DateOnly? LetterSignedOn,
    int HazardsFound, int HazardsClosedOnTime, int HazardsOverdue, int HazardsListed, int StatisticsOnTime, int StatisticsRequired,
    int DrillsHeld, int DrillsRequired, int TrainingAttended, int MeetingsHeld, int Accidents, bool Veto, IReadOnlyList<string> VetoReasons,
    decimal Score, IReadOnlyDictionary<string, IReadOnlyList<AssessmentSourceDto>> Sources);

public sealed record SigningRateDto(string Kind, int Required, int Signed, decimal Rate);

public sealed record ReviewDto(Guid DocumentId, string Url);

public sealed record AssessmentWeightsDto(int Letter, int Hazards, int Statistics, int Drills, int Training, string VetoSeverity);

public sealed record AssessmentDto(
    int Year, DateOnly AsOf, AssessmentWeightsDto Weights, IReadOnlyList<AssessmentRowDto> Rows, IReadOnlyList<SigningRateDto> SigningRates, SigningRateDto SigningTotal);

/// <summary>年度考核: the rows as JSON and as a sheet, and the administrator's weights.</summary>
public static class AssessmentEndpoints
{
    public static IEndpointRouteBuilder MapAssessmentEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/assessment").WithTags("Assessment");
        group.MapGet("/weights", WeightsAsync).WithName("AssessmentWeights").WithSummary("The weights of the assessment and the veto severity.");
        group.MapPut("/weights", ChangeWeightsAsync).WithName("ChangeAssessmentWeights").RequireAuthorization(AuthSetup.AdminPolicy)
            .WithSummary("Sets the weights (0–100 each, not all 0) and the accident severity that vetoes a unit (administrator).");
        group.MapGet("/{year}", AssessmentAsync).WithName("Assessment")
            .WithSummary("One row per unit with a responsibility letter for the year: figures, veto (一票否决) and score; 签订率 by counterparty kind.");
        group.MapGet("/{year}/export", ExportAsync).WithName("ExportAssessment").WithSummary("The assessment as .xlsx (format=xlsx).");
        group.MapPost("/{year}/review", ReviewAsync).WithName("SubmitAssessmentReview")
            .WithSummary("考核点评: files the year's sheet in the assessment-reviews library and submits it to the leaders' chain (safety office).");
        return app;
    }

    public static AssessmentWeightsDto ToDto(AssessmentWeights w) => new(w.Letter, w.Hazards, w.Statistics, w.Drills, w.Training, w.VetoSeverity);

    public static AssessmentDto ToDto(AssessmentView view) => new(
        view.Year, view.AsOf, ToDto(view.Weights),
        [.. view.Rows.Select(r => new AssessmentRowDto(r.UnitId, UiText.Pick(r.Unit, r.UnitEn), KindWords(r.CounterpartyKind), r.LetterId, r.LetterSignedOn,
            r.HazardsFound, r.HazardsClosedOnTime, r.HazardsOverdue, r.HazardsListed, r.StatisticsOnTime, r.StatisticsRequired, r.DrillsHeld, r.DrillsRequired,
            r.TrainingAttended, r.MeetingsHeld, r.Accidents, r.Veto, r.VetoReasons, r.Score,
            r.Sources.ToDictionary(s => s.Key, s => (IReadOnlyList<AssessmentSourceDto>)[.. s.Value.Select(d => new AssessmentSourceDto(d.DocumentId, d.Title, $"/documents/{d.DocumentId}"))])))],
        [.. view.SigningRates.Select(ToDto)], ToDto(view.SigningTotal));

    private static SigningRateDto ToDto(SigningRate r) => new(KindWords(r.Kind), r.Required, r.Signed, r.Rate);

    /// <summary>The counterparty kinds are the letters' choice values (Chinese); English readers get them in English.</summary>
    public static string KindWords(string kind) => UiText.IsEnglish ? kind switch
    {
        "部门站所" => "Departments",
        "村(社区)" => "Villages",
        "学校" => "Schools",
        "幼儿园" => "Kindergartens",
        "重点企业" => "Key enterprises",
        "重点单位" => "Key units",
        "合计" => "Total",
        _ => kind,
    } : kind;

    private static async Task<Ok<AssessmentDto>> AssessmentAsync(string year, HttpContext context, AnnualAssessment assessment, CancellationToken cancellationToken) =>
        TypedResults.Ok(ToDto(await assessment.ComputeAsync(AnnualAssessment.ParseYear(year), context.User.ToActor(), cancellationToken)));

    private static async Task<IResult> ExportAsync(
        string year, string? format, HttpContext context, AnnualAssessment assessment, Microsoft.Extensions.Options.IOptions<Core.Notices.NoticeOptions> notices,
        CancellationToken cancellationToken)
    {
        var pdf = string.Equals(format, "pdf", StringComparison.OrdinalIgnoreCase);
        if (!string.IsNullOrEmpty(format) && !pdf && !string.Equals(format, "xlsx", StringComparison.OrdinalIgnoreCase))
        {
            throw new InputValidationException("format", $"不支持的导出格式“{format}”，可用: xlsx、pdf (format must be xlsx or pdf).");
        }

        var view = await assessment.ComputeAsync(AnnualAssessment.ParseYear(year), context.User.ToActor(), cancellationToken);
        if (pdf)
        {
            return TypedResults.File(AssessmentPdf.Render(view, notices.Value.FontPath), "application/pdf", $"{view.Year}年度安全生产考核.pdf");
        }

        var file = await AssessmentSheet.WriteAsync(view, cancellationToken);
        return TypedResults.File(file, XlsxWriter.ContentType, AssessmentSheet.FileName(view.Year));
    }

    private static async Task<Created<ReviewDto>> ReviewAsync(
        string year, HttpContext context, AnnualAssessment assessment, Core.Documents.UploadDocument upload, Core.Approvals.SubmitDocument submit,
        CancellationToken cancellationToken)
    {
        var id = await SubmitReviewAsync(year, context.User.ToActor(), assessment, upload, submit, cancellationToken);
        return TypedResults.Created($"/api/documents/{id}", new ReviewDto(id, $"/documents/{id}"));
    }

    /// <summary>
    /// The one way a review is filed (API and page): the year's sheet becomes a 考核点评 document of the safety office and goes
    /// to the leaders' chain (<c>workflows/assessment-review.json</c>). Only the safety office files it.
    /// </summary>
    public static async Task<Guid> SubmitReviewAsync(
        string? yearText, Core.Organisation.Actor actor, AnnualAssessment assessment, Core.Documents.UploadDocument upload, Core.Approvals.SubmitDocument submit,
        CancellationToken cancellationToken)
    {
        if (!Core.Approvals.TaskLinks.IsSafetyOffice(actor) || actor.IsAdmin)
        {
            throw new ForbiddenException("考核点评由安办提交 (the safety office files the assessment review).");
        }

        var year = AnnualAssessment.ParseYear(yearText);

        var view = await assessment.ComputeAsync(year, actor, cancellationToken);
        await using var sheet = await AssessmentSheet.WriteAsync(view, cancellationToken);
        var metadata = System.Text.Json.JsonSerializer.Serialize(new { assessedUnit = ReviewUnit, year });
        var document = await upload.HandleAsync(new Core.Documents.UploadDocumentCommand(Core.Documents.Libraries.AssessmentReviews,
            $"{year}年度安全生产考核点评", metadata, AssessmentSheet.FileName(year), sheet), actor, cancellationToken);
        await submit.HandleAsync(document.Id, actor, cancellationToken);
        return document.Id;
    }

    /// <summary>The unit a review belongs to: the safety committee's office, which runs the assessment.</summary>
    public const string ReviewUnit = "safety-committee";

    private static async Task<Ok<AssessmentWeightsDto>> WeightsAsync(HttpContext context, IAssessmentWeightsStore store, CancellationToken cancellationToken)
    {
        if (!AnnualAssessment.MayRead(context.User.ToActor()))
        {
            throw new ForbiddenException("年度考核仅限领导和安办查看 (the assessment is for the leaders and the safety office).");
        }

        return TypedResults.Ok(ToDto(await store.GetAsync(cancellationToken)));
    }

    private static async Task<Ok<AssessmentWeightsDto>> ChangeWeightsAsync(
        AssessmentWeightsDto body, HttpContext context, IAssessmentWeightsStore store, IAuditLog audit, TimeProvider clock, CancellationToken cancellationToken)
    {
        var weights = await ChangeAsync(body, context.User.ToActor().UserName, store, audit, clock, cancellationToken);
        return TypedResults.Ok(ToDto(weights));
    }

    /// <summary>The one way weights change (API and page): checked by the aggregate, audited in the same save.</summary>
    public static async Task<AssessmentWeights> ChangeAsync(
        AssessmentWeightsDto body, string by, IAssessmentWeightsStore store, IAuditLog audit, TimeProvider clock, CancellationToken cancellationToken)
    {
        var weights = await store.GetAsync(cancellationToken);
        var now = clock.GetUtcNow();
        weights.Change(body.Letter, body.Hazards, body.Statistics, body.Drills, body.Training, body.VetoSeverity, by, now);
        audit.Append(new AuditEntry(now, by, AssessmentSheet.AuditAction, null, null,
            $"考核权重：责任书 {body.Letter}、隐患整改 {body.Hazards}、统计报送 {body.Statistics}、应急演练 {body.Drills}、会议培训 {body.Training}；一票否决事故等级 {body.VetoSeverity}"));
        await store.SaveAsync(cancellationToken);
        return weights;
    }
}

/// <summary>The assessment as a sheet: one row per unit, Chinese headers (the office files it as is).</summary>
public static class AssessmentSheet
{
    public const string AuditAction = "assessment.weights";

    public static string FileName(int year) => $"{year}年度安全生产考核.xlsx";

    private static readonly IReadOnlyList<XlsxColumn<AssessmentRow>> Columns =
    [
        new("单位", r => r.Unit, 28),
        new("单位类别", r => r.CounterpartyKind, 10),
        new("责任书签订日期", r => r.LetterSignedOn, 14),
        new("排查隐患", r => r.HazardsFound, 10),
        new("按期整改", r => r.HazardsClosedOnTime, 10),
        new("逾期", r => r.HazardsOverdue, 8),
        new("挂牌督办", r => r.HazardsListed, 10),
        new("统计按时报送（季度）", r => r.StatisticsOnTime, 12),
        new("应报统计（季度）", r => r.StatisticsRequired, 12),
        new("演练次数", r => r.DrillsHeld, 10),
        new("应演练次数", r => r.DrillsRequired, 10),
        new("参加会议培训", r => r.TrainingAttended, 12),
        new("召开会议培训", r => r.MeetingsHeld, 12),
        new("事故起数", r => r.Accidents, 10),
        new("一票否决", r => r.Veto ? "是" : "否", 10),
        new("得分", r => r.Score, 8),
    ];

    public static Task<Stream> WriteAsync(AssessmentView view, CancellationToken cancellationToken) =>
        XlsxWriter.WriteTemporaryAsync($"{view.Year}年度考核", Columns, view.Rows, cancellationToken);
}
