using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Foundation;

/// <summary>
/// Every endpoint × one seeded login per role (and anonymous), against an expected table (issue 15, "Done when"). The
/// answer is classed, not compared to the status: <c>A</c> allowed (2xx, 3xx, or a 4xx about the input or the state:
/// it got past authorization), <c>U</c> unauthenticated (401, or a page's redirect to the login), <c>F</c> forbidden or
/// hidden (403, 404, or a redirect to <c>/forbidden</c>). A 5xx never matches. Requests are valid-shaped and aim at
/// seeded data, so the class reflects authorization, not validation.
/// </summary>
/// <remarks>
/// <para><b>Adding an endpoint:</b> the test fails naming every endpoint of the app (from its <see cref="EndpointDataSource"/>)
/// that has no row, and every row whose endpoint is gone. Add a row to <see cref="Rows"/>: the endpoint as listed
/// (<c>METHOD pattern</c>, <c>ANY</c> when the endpoint names no method), one cell per column, and the request. An
/// endpoint may have several rows (variants of one request).</para>
/// <para><b>Adding a column</b> (a role): add the identity to <see cref="Identities"/>, add its name to the header comment,
/// and append its cell to every row; a row with the wrong number of cells fails the test by name.</para>
/// </remarks>
public sealed class AuthorizationMatrixTests(AuthorizationMatrixTests.Fixture fixture) : IClassFixture<AuthorizationMatrixTests.Fixture>
{
    /// <summary>The columns, in the order of every row's cells: anonymous, then one seeded login per role (README, seeds/officials.json).</summary>
    public static readonly Identity[] Identities =
    [
        new("anonymous", null),
        new("admin", "admin"),
        new("safety-clerk", "zhaomin"),
        new("safety-head", "wangqiang"),
        new("leader-in-charge", "liuhua"),
        new("mayor", "sunli"),
        new("inspector", "wujie"),
        new("unit-principal", "heping"),    // 湘南化工: the rectification order's unit
        new("expert", "linfang"),
        new("village-head", "yangshan"),    // 青山村: the responsibility letter's unit
        new("security-admin", "secadmin"),  // 安全管理员: accounts, roles, sessions
        new("audit-admin", "auditadmin"),   // 审计管理员: reads and verifies the audit
    ];

    private const string Letters = "responsibility-letters";

    /// <summary>
    /// The expected table. Shared data (see <see cref="Fixture"/>): <c>Letter</c>, a pending letter of 青山村 submitted by
    /// the clerk with the safety head's open task <c>LetterTask</c>; <c>Draft</c>, a draft letter of 青山村; <c>Order</c>,
    /// a rectification order of 湘南化工 at its unit's evidence step (<c>OrderTask</c>, one <c>Evidence</c> file);
    /// <c>matrix-*</c> Elsa definitions and instances. Rows marked "fresh" make their own data per identity.
    /// </summary>
    public static readonly Row[] Rows =
    [
        //                                                                 anon admin clerk head  leader mayor insp  unit  expert village sec aud
        new("ANY /healthz",                                               "A    A     A     A     A      A     A     A     A      A    A   A", _ => Get("/healthz")),
        new("GET /openapi/{documentName}.json",                           "A    A     A     A     A      A     A     A     A      A    A   A", _ => Get("/openapi/v1.json")),
        new("GET /culture",                                               "A    A     A     A     A      A     A     A     A      A    A   A", _ => Get("/culture?c=en&returnUrl=/")),
        new("POST /api/auth/token",                                       "A    A     A     A     A      A     A     A     A      A    A   A",
            _ => Json(HttpMethod.Post, "/api/auth/token", new { userName = "chenjing", password = AppFactory.DemoPassword })),
        new("GET /api/me",                                                "U    A     A     A     A      A     A     A     A      A    A   A", _ => Get("/api/me")),
        new("GET /api/people",                                            "U    A     F     F     F      F     F     F     F      F    A   F", _ => Get("/api/people")),
        new("POST /api/auth/logout",                                      "U    A     A     A     A      A     A     A     A      A    A   A",
            async d => await d.WithFreshTokenAsync(Post("/api/auth/logout"))), // fresh: a token of its own, so the identity's stays alive
        new("POST /api/me/password",                                      "U    A     A     A     A      A     A     A     A      A    A   A",
            _ => Json(HttpMethod.Post, "/api/me/password", new { currentPassword = "not-the-password", newPassword = "Another-Pass-2026" })), // 400: past authorization
        new("GET /api/people/accounts",                                   "U    F     F     F     F      F     F     F     F      F    A   F", _ => Get("/api/people/accounts")),
        new("POST /api/people/{userName}/deactivate",                     "U    F     F     F     F      F     F     F     F      F    A   F", _ => Post("/api/people/caiying/deactivate")),
        new("POST /api/people/{userName}/activate",                       "U    F     F     F     F      F     F     F     F      F    A   F", _ => Post("/api/people/caiying/activate")),
        new("POST /api/people/{userName}/reset-password",                 "U    F     F     F     F      F     F     F     F      F    A   F",
            _ => Json(HttpMethod.Post, "/api/people/caiying/reset-password", new { })),
        new("POST /api/people/{userName}/roles",                          "U    F     F     F     F      F     F     F     F      F    A   F",
            _ => Json(HttpMethod.Post, "/api/people/caiying/roles", new { roles = (string[])["unit-principal"] })),
        new("POST /api/people/{userName}/sign-out",                       "U    F     F     F     F      F     F     F     F      F    A   F", _ => Post("/api/people/caiying/sign-out")),
        new("POST /api/people/{userName}/unlock",                         "U    F     F     F     F      F     F     F     F      F    A   F", _ => Post("/api/people/caiying/unlock")),
        new("GET /api/units",                                             "U    A     A     A     A      A     A     A     A      A    A   A", _ => Get("/api/units")),

        // Documents: DocumentAccess. The letter is 青山村's: township-wide roles and its village head see it.
        new("GET /api/libraries/",                                        "U    A     A     A     A      A     A     A     A      A    A   A", _ => Get("/api/libraries")),
        new("GET /api/libraries/{key}",                                   "U    A     A     A     A      A     A     A     A      A    A   A", _ => Get($"/api/libraries/{Letters}")),
        new("GET /api/libraries/{key}/documents/export",                  "U    A     A     A     A      A     A     A     A      A    A   A",
            _ => Get($"/api/libraries/{Letters}/documents/export?format=csv")),
        new("GET /api/libraries/{key}/views/",                            "U    A     A     A     A      A     A     A     A      A    A   A", _ => Get($"/api/libraries/{Letters}/views")),
        new("POST /api/libraries/{key}/views/",                           "U    A     A     A     A      A     A     A     A      A    A   A",
            _ => Json(HttpMethod.Post, $"/api/libraries/{Letters}/views", new { name = "矩阵视图", shared = false, filters = new Dictionary<string, string>() })),
        new("DELETE /api/libraries/{key}/views/{id:guid}",                "U    F     F     F     F      F     F     F     F      F    F   F",
            _ => new HttpRequestMessage(HttpMethod.Delete, $"/api/libraries/{Letters}/views/{Guid.NewGuid()}")), // nobody's view: 404 for all
        // Library edits: the system administrator's. Each request is refused as input (400) once past authorization, or changes nothing.
        new("POST /api/libraries/",                                       "U    A     F     F     F      F     F     F     F      F    F   F",
            _ => Json(HttpMethod.Post, "/api/libraries", new { name = "矩阵", nameEn = "Matrix", unitColumn = "unit", chainId = "no-such-chain", columns = Array.Empty<object>() })),
        new("PATCH /api/libraries/{key}",                                 "U    A     F     F     F      F     F     F     F      F    F   F",
            _ => Json(HttpMethod.Patch, $"/api/libraries/{Letters}", new { })),
        new("POST /api/libraries/{key}/columns",                          "U    A     F     F     F      F     F     F     F      F    F   F",
            _ => Json(HttpMethod.Post, $"/api/libraries/{Letters}/columns", new { name = "矩阵", nameEn = "Matrix", type = "no-such-type" })),
        new("PATCH /api/libraries/{key}/columns/{column}",                "U    A     F     F     F      F     F     F     F      F    F   F",
            _ => Json(HttpMethod.Patch, $"/api/libraries/{Letters}/columns/year", new { })),
        new("POST /api/libraries/{key}/columns/{column}/choices",         "U    A     F     F     F      F     F     F     F      F    F   F",
            _ => Json(HttpMethod.Post, $"/api/libraries/{Letters}/columns/counterpartyKind/choices", new { choice = "学校" })),
        new("GET /api/libraries/{key}/documents",                         "U    A     A     A     A      A     A     A     A      A    A   A", _ => Get($"/api/libraries/{Letters}/documents")),
        new("POST /api/libraries/{key}/documents",                        "U    A     A     A     F      F     A     F     F      A    F   F",
            _ => Upload($"/api/libraries/{Letters}/documents", "青山村责任书（矩阵上传）")),
        new("GET /api/documents/{id:guid}/",                              "U    A     A     A     A      A     A     F     F      A    F   F", d => Get($"/api/documents/{d.Letter}")),
        new("GET /api/documents/{id:guid}/versions",                      "U    A     A     A     A      A     A     F     F      A    F   F", d => Get($"/api/documents/{d.Letter}/versions")),
        new("GET /api/documents/{id:guid}/versions/{version}/content",    "U    A     A     A     A      A     A     F     F      A    F   F", d => Get($"/api/documents/{d.Letter}/versions/0.1/content")),
        new("GET /api/documents/{id:guid}/revisions",                     "U    A     A     A     A      A     A     F     F      A    F   F", d => Get($"/api/documents/{d.Letter}/revisions")),
        new("POST /api/documents/{id:guid}/checkout",                     "U    A     A     A     F      F     A     F     F      A    F   F", d => Post($"/api/documents/{d.Draft}/checkout")),
        new("POST /api/documents/{id:guid}/checkin",                      "U    A     A     A     F      F     A     F     F      A    F   F",
            d => Multipart($"/api/documents/{d.Draft}/checkin", ("file", "修改稿.pdf", TestFiles.Pdf("checkin")), ("comment", null, "矩阵"u8.ToArray()))),
        new("POST /api/documents/{id:guid}/discard-checkout",             "U    A     A     A     F      F     A     F     F      A    F   F", d => Post($"/api/documents/{d.Draft}/discard-checkout")),
        new("POST /api/documents/{id:guid}/versions/{version}/restore",   "U    A     A     A     F      F     A     F     F      A    F   F", d => Post($"/api/documents/{d.Draft}/versions/0.1/restore")),
        new("POST /api/documents/{id:guid}/revise",                       "U    A     A     A     F      F     A     F     F      A    F   F", d => Post($"/api/documents/{d.Letter}/revise")),
        new("GET /api/documents/{id:guid}/clocks",                        "U    A     A     A     A      A     A     F     F      A    F   F", d => Get($"/api/documents/{d.Letter}/clocks")),
        new("GET /api/audit/",                                            "U    A     A     A     A      A     A     F     F      A    F   A", d => Get($"/api/audit?documentId={d.Letter}")),
        new("GET /api/audit/",                                            "U    F     F     F     F      F     F     F     F      F    F   A", _ => Get("/api/audit")),
        new("GET /api/audit/verify",                                      "U    F     F     F     F      F     F     F     F      F    F   A", _ => Get("/api/audit/verify")),

        // Approvals: TaskAccess. Seeing a task follows its document; acting on it is the assignee's alone.
        new("POST /api/documents/{id:guid}/submit",                       "U    A     A     A     F      F     A     F     F      A    F   F",
            async d => Post($"/api/documents/{await d.FreshDraftAsync()}/submit")), // fresh
        new("POST /api/documents/{id:guid}/withdraw",                     "U    F     A     F     F      F     F     F     F      F    F   F",
            async d => Post($"/api/documents/{(await d.FreshPendingAsync()).Document}/withdraw")), // fresh: only the submitter (the clerk)
        new("GET /api/documents/{id:guid}/trail",                         "U    A     A     A     A      A     A     F     F      A    F   F", d => Get($"/api/documents/{d.Letter}/trail")),
        new("GET /api/documents/{id:guid}/evidence",                      "U    A     A     A     A      A     A     A     F      F    F   F", d => Get($"/api/documents/{d.Order}/evidence")),
        new("GET /api/documents/{id:guid}/evidence/{fileId:guid}/content", "U   A     A     A     A      A     A     A     F      F    F   F",
            d => Get($"/api/documents/{d.Order}/evidence/{d.Evidence}/content")),
        new("GET /api/documents/{id:guid}/notices",                       "U    A     A     A     A      A     A     A     F      F    F   F", d => Get($"/api/documents/{d.Order}/notices")),
        new("GET /api/documents/{id:guid}/notice.pdf",                    "U    A     A     A     A      A     A     A     F      F    F   F", d => Get($"/api/documents/{d.Order}/notice.pdf")),
        new("GET /api/documents/{id:guid}/notice.p7s",                    "U    A     A     A     A      A     A     A     F      F    F   F", d => Get($"/api/documents/{d.Order}/notice.p7s")),
        new("GET /api/me/signature/",                                     "U    A     A     A     A      A     A     A     A      A    A   A", _ => Get("/api/me/signature")),
        new("PUT /api/me/signature/",                                     "U    A     A     A     A      A     A     A     A      A    A   A",
            _ => new HttpRequestMessage(HttpMethod.Put, "/api/me/signature") { Content = new MultipartFormDataContent { { new ByteArrayContent([1, 2, 3]), "file", "x.png" } } }), // 400: past authorization
        new("DELETE /api/me/signature/",                                  "U    A     A     A     A      A     A     A     A      A    A   A", _ => new HttpRequestMessage(HttpMethod.Delete, "/api/me/signature")),
        new("ANY /verify/{code}",                                         "A    A     A     A     A      A     A     A     A      A    A   A", async d => Get($"/verify/{await d.NoticeCodeAsync()}")),
        new("GET /api/incidents",                                         "U    A     F     A     F      F     F     F     F      F    F   F", _ => Get("/api/incidents")),
        new("POST /api/documents/{id:guid}/incidents/{incidentId}/retry", "U    A     F     A     F      F     F     F     F      F    F   F",
            d => Post($"/api/documents/{d.Letter}/incidents/no-such-incident/retry")), // 409 for those who may: nothing to retry
        new("GET /api/tasks/",                                            "U    A     A     A     A      A     A     A     A      A    A   A", _ => Get("/api/tasks?state=open")),
        new("GET /api/tasks/{id:guid}",                                   "U    A     A     A     A      A     A     F     F      A    F   F", d => Get($"/api/tasks/{d.LetterTask}")),
        new("GET /api/tasks/{id:guid}/files",                             "U    A     A     A     A      A     A     F     F      A    F   F", d => Get($"/api/tasks/{d.LetterTask}/files")),
        new("POST /api/tasks/{id:guid}/files",                            "U    F     F     F     F      F     F     A     F      F    F   F",
            d => Multipart($"/api/tasks/{d.OrderTask}/files", ("file", "整改方案.pdf", TestFiles.Pdf("plan")), ("label", null, "plan"u8.ToArray()))),
        new("POST /api/tasks/{id:guid}/decisions",                        "U    F     F     A     F      F     F     F     F      F    F   F",
            async d => Json(HttpMethod.Post, $"/api/tasks/{(await d.FreshPendingAsync()).Task}/decisions",
                new { commandId = Guid.NewGuid().ToString(), action = "approve", opinion = "同意" })), // fresh: the safety head's task
        new("GET /api/tasks/{id:guid}/clocks",                            "U    A     A     A     A      A     A     F     F      A    F   F", d => Get($"/api/tasks/{d.LetterTask}/clocks")),
        new("GET /api/clocks",                                            "U    A     F     F     F      F     F     F     F      F    F   F", _ => Get("/api/clocks")),
        new("GET /api/tasks/{id:guid}/files/{fileId:guid}/content",       "U    A     A     A     A      A     A     A     F      F    F   F",
            d => Get($"/api/tasks/{d.OrderTask}/files/{d.Evidence}/content")),

        // The hazard board (issue 11): township-wide roles, village heads (their village) and unit principals (their unit).
        new("GET /api/board/hazards",                                     "U    A     A     A     A      A     A     A     F      A    F   F", _ => Get("/api/board/hazards")),
        new("GET /api/board/hazards/export",                              "U    A     A     A     A      A     A     A     F      A    F   F",
            _ => Get("/api/board/hazards/export?format=xlsx")),
        new("GET /api/board/statistics",                                  "U    A     A     A     A      A     A     A     F      A    F   F",
            _ => Get("/api/board/statistics?year=2026&quarter=1")),
        new("GET /api/board/statistics/export",                           "U    A     A     A     A      A     A     A     F      A    F   F",
            _ => Get("/api/board/statistics/export?year=2026&quarter=1&format=xlsx")),

        // Signed task links (issue 14): the safety office lists and revokes them; the page /t/{token} needs no sign-in, only a
        // live token (a made-up one is a 404 for everyone, anonymous included: no login redirect).
        new("GET /api/tasks/{id:guid}/links",                             "U    A     A     A     F      F     F     F     F      F    F   F", d => Get($"/api/tasks/{d.OrderTask}/links")),
        new("POST /api/tasks/{id:guid}/links/revoke",                     "U    A     A     A     F      F     F     F     F      F    F   F",
            d => new HttpRequestMessage(HttpMethod.Post, $"/api/tasks/{d.OrderTask}/links/revoke")),
        new("ANY /t/{token}",                                             "F    F     F     F     F      F     F     F     F      F    F   F", _ => Get("/t/not-a-live-token")),

        // The annual assessment (issue 14): the leaders, the safety office and the administrator; the weights are the administrator's.
        new("GET /api/assessment/{year}",                                 "U    A     A     A     A      A     F     F     F      F    F   F", _ => Get("/api/assessment/2026")),
        new("GET /api/assessment/{year}/export",                          "U    A     A     A     A      A     F     F     F      F    F   F",
            _ => Get("/api/assessment/2026/export?format=xlsx")),
        new("POST /api/assessment/{year}/review",                         "U    F     A     A     F      F     F     F     F      F    F   F",
            _ => new HttpRequestMessage(HttpMethod.Post, "/api/assessment/1999/review")), // 400 for the safety office: past authorization
        new("GET /api/assessment/weights",                                "U    A     A     A     A      A     F     F     F      F    F   F", _ => Get("/api/assessment/weights")),
        new("PUT /api/assessment/weights",                                "U    A     F     F     F      F     F     F     F      F    F   F",
            _ => Json(HttpMethod.Put, "/api/assessment/weights", new { letter = 101, hazards = 0, statistics = 0, drills = 0, training = 0, vetoSeverity = "较大" })), // 400: past authorization

        // Pages (GET; their posts run the same use cases as the API rows above).
        new("ANY /",                                                      "U    A     A     A     A      A     A     A     A      A    A   A", _ => Get("/")),
        new("ANY /login",                                                 "A    A     A     A     A      A     A     A     A      A    A   A", _ => Get("/login")),
        new("ANY /logout",                                                "U    A     A     A     A      A     A     A     A      A    A   A", _ => Get("/logout")),
        new("ANY /forbidden",                                             "U    A     A     A     A      A     A     A     A      A    A   A", _ => Get("/forbidden")),
        new("ANY /inbox",                                                 "U    A     A     A     A      A     A     A     A      A    A   A", _ => Get("/inbox")),
        new("ANY /outbox",                                                "U    A     A     A     A      A     A     A     A      A    A   A", _ => Get("/outbox")),
        new("ANY /preferences",                                           "U    A     A     A     A      A     A     A     A      A    A   A", _ => Get("/preferences")),
        new("ANY /libraries/{key}",                                       "U    A     A     A     A      A     A     A     A      A    A   A", _ => Get($"/libraries/{Letters}")),
        new("ANY /libraries/{key}/upload",                                "U    A     A     A     F      F     A     A     F      A    F   F", _ => Get($"/libraries/{Letters}/upload")),
        new("ANY /board",                                                 "U    A     A     A     A      A     A     A     F      A    F   F", _ => Get("/board")),
        new("ANY /board/statistics",                                      "U    A     A     A     A      A     A     A     F      A    F   F", _ => Get("/board/statistics")),
        new("ANY /assessment/{year?}/{unitId?}",                          "U    A     A     A     A      A     F     F     F      F    F   F", _ => Get("/assessment/2026")),
        new("ANY /admin/assessment",                                      "U    A     F     F     F      F     F     F     F      F    F   F", _ => Get("/admin/assessment")),
        new("ANY /documents/{id:guid}",                                   "U    A     A     A     A      A     A     F     F      A    F   F", d => Get($"/documents/{d.Letter}")),
        new("ANY /tasks/{id:guid}",                                       "U    A     A     A     A      A     A     F     F      A    F   F", d => Get($"/tasks/{d.LetterTask}")),
        new("ANY /account/password",                                      "U    A     A     A     A      A     A     A     A      A    A   A", _ => Get("/account/password")),
        new("ANY /admin/people",                                          "U    F     F     F     F      F     F     F     F      F    A   F", _ => Get("/admin/people")),
        new("ANY /admin/audit",                                           "U    F     F     F     F      F     F     F     F      F    F   A", _ => Get("/admin/audit")),
        new("ANY /admin/libraries",                                       "U    A     F     F     F      F     F     F     F      F    F   F", _ => Get("/admin/libraries")),
        new("ANY /admin/clocks",                                          "U    A     F     F     F      F     F     F     F      F    F   F", _ => Get("/admin/clocks")),
        new("ANY /designer",                                              "U    A     F     F     F      F     F     F     F      F    F   F", _ => Get("/designer")),
        new("ANY /designer/{definitionId}",                               "U    A     F     F     F      F     F     F     F      F    F   F", _ => Get("/designer/matrix-probe")),
        new("ANY /designer/instances",                                    "U    A     F     F     F      F     F     F     F      F    F   F", _ => Get("/designer/instances")),
        new("ANY /designer/instances/{instanceId}",                       "U    A     F     F     F      F     F     F     F      F    F   F", d => Get($"/designer/instances/{d.ProbeInstance}")),
        new("GET /designer/appsettings.json",                             "A    A     A     A     A      A     A     A     A      A    A   A", _ => Get("/designer/appsettings.json")),
        new("GET /designer/appsettings.{environment}.json",               "A    A     A     A     A      A     A     A     A      A    A   A", _ => Get("/designer/appsettings.Production.json")),
        new("GET /designer/Elsa.Studio.Host.CustomElements.styles.css",   "A    A     A     A     A      A     A     A     A      A    A   A",
            _ => Get("/designer/Elsa.Studio.Host.CustomElements.styles.css")),
        new("ANY /hangfire/{**path}",                                     "U    A     F     F     F      F     F     F     F      F    F   F", _ => Get("/hangfire")),

        // The Elsa API: administrators only, as one group.
        new("GET /elsa/api/workflow-definitions",                         "U    A     F     F     F      F     F     F     F      F    F   F", _ => Get("/elsa/api/workflow-definitions")),
        new("GET /elsa/api/workflow-definitions/by-definition-id/{definitionId}", "U A F     F     F      F     F     F     F      F    F   F",
            _ => Get("/elsa/api/workflow-definitions/by-definition-id/matrix-probe?versionOptions=Latest")),
        new("GET /elsa/api/workflow-definitions/by-id/{id}",              "U    A     F     F     F      F     F     F     F      F    F   F", d => Get($"/elsa/api/workflow-definitions/by-id/{d.ProbeVersionId}")),
        new("GET /elsa/api/workflow-definitions/many-by-id",              "U    A     F     F     F      F     F     F     F      F    F   F", d => Get($"/elsa/api/workflow-definitions/many-by-id?id={d.ProbeVersionId}")),
        new("GET /elsa/api/workflow-definitions/query/count",             "U    A     F     F     F      F     F     F     F      F    F   F", _ => Get("/elsa/api/workflow-definitions/query/count")),
        new("GET /elsa/api/workflow-definitions/validation/is-name-unique", "U  A     F     F     F      F     F     F     F      F    F   F",
            _ => Get("/elsa/api/workflow-definitions/validation/is-name-unique?name=matrix-new")),
        new("POST /elsa/api/workflow-definitions",                        "U    A     F     F     F      F     F     F     F      F    F   F",
            _ => Json(HttpMethod.Post, "/elsa/api/workflow-definitions", new JsonObject { ["model"] = Probe("matrix-saved"), ["publish"] = false })),
        new("POST /elsa/api/workflow-definitions/{definitionId}/publish", "U    A     F     F     F      F     F     F     F      F    F   F", _ => Post("/elsa/api/workflow-definitions/matrix-probe/publish")),
        new("POST /elsa/api/workflow-definitions/{definitionId}/retract", "U    A     F     F     F      F     F     F     F      F    F   F", _ => Post("/elsa/api/workflow-definitions/matrix-retract/retract")),
        new("DELETE /elsa/api/workflow-definitions/{definitionId}",       "U    A     F     F     F      F     F     F     F      F    F   F",
            _ => new HttpRequestMessage(HttpMethod.Delete, "/elsa/api/workflow-definitions/matrix-delete")),
        new("DELETE /elsa/api/workflow-definition-versions/{id}",         "U    A     F     F     F      F     F     F     F      F    F   F",
            d => new HttpRequestMessage(HttpMethod.Delete, $"/elsa/api/workflow-definition-versions/{d.DeletableVersionId}")),
        new("POST /elsa/api/workflow-definitions/{definitionId}/revert/{version:int}", "U A F F     F      F     F     F     F      F    F   F",
            _ => Post("/elsa/api/workflow-definitions/matrix-probe/revert/1")),
        new("POST /elsa/api/workflow-definitions/import",                 "U    A     F     F     F      F     F     F     F      F    F   F", _ => Json(HttpMethod.Post, "/elsa/api/workflow-definitions/import", Probe("matrix-imported"))),
        new("POST /elsa/api/workflow-definitions/import-files",           "U    A     F     F     F      F     F     F     F      F    F   F",
            _ => Multipart("/elsa/api/workflow-definitions/import-files", ("files", "matrix-filed.json", Encoding.UTF8.GetBytes(Probe("matrix-filed").ToJsonString())))),
        new("GET /elsa/api/workflow-definitions/{definitionId}/export",   "U    A     F     F     F      F     F     F     F      F    F   F", _ => Get("/elsa/api/workflow-definitions/matrix-probe/export")),
        new("GET /elsa/api/descriptors/activities",                       "U    A     F     F     F      F     F     F     F      F    F   F", _ => Get("/elsa/api/descriptors/activities")),
        new("POST /elsa/api/descriptors/activities/{type}/options/{propertyName}", "U A F F     F      F     F     F     F      F    F   F",
            _ => Json(HttpMethod.Post, "/elsa/api/descriptors/activities/Elsa.Event/options/EventName", new JsonObject())),
        new("GET /elsa/api/descriptors/expression-descriptors",           "U    A     F     F     F      F     F     F     F      F    F   F", _ => Get("/elsa/api/descriptors/expression-descriptors")),
        new("GET /elsa/api/descriptors/variables",                        "U    A     F     F     F      F     F     F     F      F    F   F", _ => Get("/elsa/api/descriptors/variables")),
        new("GET /elsa/api/descriptors/storage-drivers",                  "U    A     F     F     F      F     F     F     F      F    F   F", _ => Get("/elsa/api/descriptors/storage-drivers")),
        new("GET /elsa/api/descriptors/incident-strategies",              "U    A     F     F     F      F     F     F     F      F    F   F", _ => Get("/elsa/api/descriptors/incident-strategies")),
        new("GET /elsa/api/descriptors/workflow-activation-strategies",   "U    A     F     F     F      F     F     F     F      F    F   F", _ => Get("/elsa/api/descriptors/workflow-activation-strategies")),
        new("GET /elsa/api/descriptors/log-persistence-strategies",       "U    A     F     F     F      F     F     F     F      F    F   F", _ => Get("/elsa/api/descriptors/log-persistence-strategies")),
        new("GET /elsa/api/descriptors/commit-strategies/workflows",      "U    A     F     F     F      F     F     F     F      F    F   F", _ => Get("/elsa/api/descriptors/commit-strategies/workflows")),
        new("GET /elsa/api/descriptors/commit-strategies/activities",     "U    A     F     F     F      F     F     F     F      F    F   F", _ => Get("/elsa/api/descriptors/commit-strategies/activities")),
        new("GET /elsa/api/descriptors/output-converters",                "U    A     F     F     F      F     F     F     F      F    F   F", _ => Get("/elsa/api/descriptors/output-converters")),
        new("GET /elsa/api/features/installed",                           "U    A     F     F     F      F     F     F     F      F    F   F", _ => Get("/elsa/api/features/installed")),
        // No Elsa feature is installed: every name answers 404, so even an administrator reads F here.
        new("GET /elsa/api/features/installed/{fullName}",                "U    F     F     F     F      F     F     F     F      F    F   F", _ => Get("/elsa/api/features/installed/Elsa.Workflows")),
        new("GET /elsa/api/package/version",                              "U    A     F     F     F      F     F     F     F      F    F   F", _ => Get("/elsa/api/package/version")),
        new("POST /elsa/api/workflow-definitions/{definitionId}/execute", "U    A     F     F     F      F     F     F     F      F    F   F",
            _ => Json(HttpMethod.Post, "/elsa/api/workflow-definitions/matrix-probe/execute", new JsonObject())),
        new("POST /elsa/api/workflow-definitions/{definitionId}/dispatch", "U   A     F     F     F      F     F     F     F      F    F   F",
            _ => Json(HttpMethod.Post, "/elsa/api/workflow-definitions/matrix-probe/dispatch", new JsonObject())),
        new("POST /elsa/api/workflow-instances",                          "U    A     F     F     F      F     F     F     F      F    F   F", _ => Json(HttpMethod.Post, "/elsa/api/workflow-instances", new JsonObject())),
        new("GET /elsa/api/workflow-instances/{id}",                      "U    A     F     F     F      F     F     F     F      F    F   F", d => Get($"/elsa/api/workflow-instances/{d.ProbeInstance}")),
        new("DELETE /elsa/api/workflow-instances/{id}",                   "U    A     F     F     F      F     F     F     F      F    F   F",
            d => new HttpRequestMessage(HttpMethod.Delete, $"/elsa/api/workflow-instances/{d.DeletableInstance}")),
        new("GET /elsa/api/workflow-instances/{id}/execution-state",      "U    A     F     F     F      F     F     F     F      F    F   F", d => Get($"/elsa/api/workflow-instances/{d.ProbeInstance}/execution-state")),
        new("GET /elsa/api/workflow-instances/{id}/variables",            "U    A     F     F     F      F     F     F     F      F    F   F", d => Get($"/elsa/api/workflow-instances/{d.ProbeInstance}/variables")),
        new("GET /elsa/api/workflow-instances/{id}/journal",              "U    A     F     F     F      F     F     F     F      F    F   F", d => Get($"/elsa/api/workflow-instances/{d.ProbeInstance}/journal")),
        new("POST /elsa/api/workflow-instances/{id}/journal",             "U    A     F     F     F      F     F     F     F      F    F   F",
            d => Json(HttpMethod.Post, $"/elsa/api/workflow-instances/{d.ProbeInstance}/journal", new JsonObject())),
        new("POST /elsa/api/cancel/workflow-instances/{id}",              "U    A     F     F     F      F     F     F     F      F    F   F", d => Post($"/elsa/api/cancel/workflow-instances/{d.CancellableInstance}")),
        new("POST /elsa/api/workflow-instances/{id}/cancel",              "U    A     F     F     F      F     F     F     F      F    F   F", d => Post($"/elsa/api/workflow-instances/{d.CancellableInstance}/cancel")),
        new("POST /elsa/api/bulk-actions/cancel/workflow-instances",      "U    A     F     F     F      F     F     F     F      F    F   F",
            _ => Json(HttpMethod.Post, "/elsa/api/bulk-actions/cancel/workflow-instances", new JsonObject { ["ids"] = new JsonArray("matrix-no-such-instance") })),
        new("POST /elsa/api/bulk-actions/cancel/workflow-instances/by-id", "U   A     F     F     F      F     F     F     F      F    F   F",
            _ => Json(HttpMethod.Post, "/elsa/api/bulk-actions/cancel/workflow-instances/by-id", new JsonObject { ["Ids"] = new JsonArray("matrix-no-such-instance") })),
        new("GET /elsa/api/alterations/workflows/retry",                  "U    A     F     F     F      F     F     F     F      F    F   F",
            d => Get($"/elsa/api/alterations/workflows/retry?workflowInstanceIds={d.ProbeInstance}")), // 409: the probe has no incident
        new("POST /elsa/api/alterations/workflows/retry",                 "U    A     F     F     F      F     F     F     F      F    F   F",
            d => Json(HttpMethod.Post, "/elsa/api/alterations/workflows/retry", new JsonObject { ["workflowInstanceIds"] = new JsonArray(d.ProbeInstance) })),
        new("POST /elsa/api/activity-executions/report",                  "U    A     F     F     F      F     F     F     F      F    F   F",
            d => Json(HttpMethod.Post, "/elsa/api/activity-executions/report", new JsonObject { ["workflowInstanceId"] = d.ProbeInstance })),
        new("GET /elsa/api/activity-executions/list",                     "U    A     F     F     F      F     F     F     F      F    F   F", d => Get($"/elsa/api/activity-executions/list?workflowInstanceId={d.ProbeInstance}")),
        new("GET /elsa/api/activity-execution-summaries/list",            "U    A     F     F     F      F     F     F     F      F    F   F",
            d => Get($"/elsa/api/activity-execution-summaries/list?workflowInstanceId={d.ProbeInstance}")),
        new("GET /elsa/api/activity-executions/by-id",                    "U    A     F     F     F      F     F     F     F      F    F   F", d => Get($"/elsa/api/activity-executions/by-id?id={d.ProbeExecution}")),
        new("GET /elsa/api/activity-executions/{id}/call-stack",           "U    A     F     F     F      F     F     F     F      F    F   F", d => Get($"/elsa/api/activity-executions/{d.ProbeExecution}/call-stack")),
        new("POST /elsa/api/bulk-actions/delete/workflow-definitions/by-definition-id", "U    A     F     F     F      F     F     F     F      F    F   F",
            _ => Json(HttpMethod.Post, "/elsa/api/bulk-actions/delete/workflow-definitions/by-definition-id", new JsonObject { ["definitionIds"] = new JsonArray("matrix-no-such-definition") })),
        new("POST /elsa/api/bulk-actions/delete/workflow-definitions/by-id", "U    A     F     F     F      F     F     F     F      F    F   F",
            _ => Json(HttpMethod.Post, "/elsa/api/bulk-actions/delete/workflow-definitions/by-id", new JsonObject { ["ids"] = new JsonArray("matrix-no-such-version") })),
        new("POST /elsa/api/bulk-actions/publish/workflow-definitions/by-definition-ids", "U    A     F     F     F      F     F     F     F      F    F   F",
            _ => Json(HttpMethod.Post, "/elsa/api/bulk-actions/publish/workflow-definitions/by-definition-ids", new JsonObject { ["definitionIds"] = new JsonArray("matrix-probe") })),
        new("POST /elsa/api/bulk-actions/retract/workflow-definitions/by-definition-ids", "U    A     F     F     F      F     F     F     F      F    F   F",
            _ => Json(HttpMethod.Post, "/elsa/api/bulk-actions/retract/workflow-definitions/by-definition-ids", new JsonObject { ["definitionIds"] = new JsonArray("matrix-no-such-definition") })),
        new("POST /elsa/api/bulk-actions/export/workflow-definitions", "U    A     F     F     F      F     F     F     F      F    F   F",
            d => Json(HttpMethod.Post, "/elsa/api/bulk-actions/export/workflow-definitions", new JsonObject { ["ids"] = new JsonArray(d.ProbeVersionId) })),
        new("POST /elsa/api/bulk-actions/delete/workflow-instances/by-id", "U    A     F     F     F      F     F     F     F      F    F   F",
            _ => Json(HttpMethod.Post, "/elsa/api/bulk-actions/delete/workflow-instances/by-id", new JsonObject { ["ids"] = new JsonArray("matrix-no-such-instance") })),
        new("GET /elsa/api/workflow-instances/{id}/export",                "U    A     F     F     F      F     F     F     F      F    F   F", d => Get($"/elsa/api/workflow-instances/{d.ProbeInstance}/export")),
        new("POST /elsa/api/workflow-instances/{id}/export",               "U    A     F     F     F      F     F     F     F      F    F   F", d => Post($"/elsa/api/workflow-instances/{d.ProbeInstance}/export")),
        new("POST /elsa/api/bulk-actions/export/workflow-instances", "U    A     F     F     F      F     F     F     F      F    F   F",
            d => Json(HttpMethod.Post, "/elsa/api/bulk-actions/export/workflow-instances", new JsonObject { ["ids"] = new JsonArray(d.ProbeInstance) })),
        new("POST /elsa/api/bulk-actions/import/workflow-instances", "U    A     F     F     F      F     F     F     F      F    F   F", // 400: the file is no exported instance
            _ => Multipart("/elsa/api/bulk-actions/import/workflow-instances", ("files", "matrix-instance.json", Encoding.UTF8.GetBytes("{}")))),
        new("GET /elsa/api/descriptors/activities/{typeName}",             "U    A     F     F     F      F     F     F     F      F    F   F", _ => Get("/elsa/api/descriptors/activities/Elsa.Event")),
        new("POST /elsa/api/tests/activities", "U    A     F     F     F      F     F     F     F      F    F   F", // 400: the probe has no such activity
            d => Json(HttpMethod.Post, "/elsa/api/tests/activities", new JsonObject { ["workflowDefinitionHandle"] = new JsonObject { ["definitionVersionId"] = d.ProbeVersionId }, ["activityHandle"] = new JsonObject { ["activityNodeId"] = "matrix-none" } })),
        new("POST /elsa/api/scripting/javascript/type-definitions/{definitionId}", "U    A     F     F     F      F     F     F     F      F    F   F",
            _ => Json(HttpMethod.Post, "/elsa/api/scripting/javascript/type-definitions/matrix-probe", new JsonObject { ["workflowDefinitionId"] = "matrix-probe" })),
        new("POST /elsa/api/events/{eventName}/trigger",                  "U    A     F     F     F      F     F     F     F      F    F   F", _ => Json(HttpMethod.Post, "/elsa/api/events/MatrixNobodyWaits/trigger", new JsonObject())),
        new("POST /elsa/api/tasks/{taskId}/complete",                     "U    A     F     F     F      F     F     F     F      F    F   F",
            _ => Json(HttpMethod.Post, $"/elsa/api/tasks/{Guid.NewGuid()}/complete", new JsonObject { ["result"] = "ok" })),
        new("GET /elsa/api/bookmarks/resume",                             "U    A     F     F     F      F     F     F     F      F    F   F", _ => Get("/elsa/api/bookmarks/resume?t=not-a-token")),
        new("POST /elsa/api/bookmarks/resume",                            "U    A     F     F     F      F     F     F     F      F    F   F", _ => Post("/elsa/api/bookmarks/resume?t=not-a-token")),
    ];

    [Fact]
    public void EveryEndpoint_HasARow_AndEveryRowAnEndpoint_WithACellPerIdentity()
    {
        var endpoints = AppEndpoints(fixture.App);
        var rows = Rows.Select(r => r.Endpoint).ToHashSet(StringComparer.Ordinal);

        var missing = endpoints.Where(e => !rows.Contains(e)).ToList();
        var stale = rows.Where(r => !endpoints.Contains(r)).ToList();
        var misshapen = Rows.Where(r => r.Cells.Length != Identities.Length || r.Cells.Any(c => c is not ("A" or "U" or "F"))).Select(r => r.Endpoint).ToList();

        Assert.True(missing.Count == 0, "endpoints without a row in AuthorizationMatrixTests.Rows:\n  " + string.Join("\n  ", missing));
        Assert.True(stale.Count == 0, "rows whose endpoint the app no longer has:\n  " + string.Join("\n  ", stale));
        Assert.True(misshapen.Count == 0, $"rows without exactly one A, U or F per identity ({Identities.Length}):\n  " + string.Join("\n  ", misshapen));
    }

    [Fact]
    public async Task EveryEndpoint_AnswersEachIdentity_AsTheTableSays()
    {
        var data = fixture.Data;
        var mismatches = new List<string>();
        foreach (var row in Rows.Where(r => r.Cells.Length == Identities.Length))
        {
            for (var column = 0; column < Identities.Length; column++)
            {
                var identity = Identities[column];
                using var request = await row.Request(data.For(identity));
                using var response = await fixture.Clients[identity.Name].SendAsync(request);
                var got = Classify(response);
                if (got != row.Cells[column])
                {
                    var body = await response.Content.ReadAsStringAsync();
                    mismatches.Add($"{row.Endpoint} [{request.RequestUri}] as {identity.Name}: expected {row.Cells[column]}, got {got} " +
                        $"({(int)response.StatusCode}{(response.Headers.Location is { } to ? " → " + to : "")}) {body[..Math.Min(body.Length, 200)]}");
                }
            }
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} answers differ from the table:\n" + string.Join("\n", mismatches));
    }

    /// <summary>The endpoints the app serves, as rows name them: <c>METHOD pattern</c> (<c>ANY</c> when the endpoint names no method).</summary>
    public static HashSet<string> AppEndpoints(AppFactory app)
    {
        var source = app.Services.GetRequiredService<EndpointDataSource>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            foreach (var method in methods is { Count: > 0 } ? methods : ["ANY"])
            {
                keys.Add($"{method} {pattern}");
            }
        }

        return keys;
    }

    /// <summary>A = got past authorization; U = asked to sign in; F = refused or hidden; a 5xx is an error, never a match.</summary>
    public static string Classify(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var location = response.Headers.Location?.OriginalString ?? "";
        return status switch
        {
            >= 500 => $"E{status}",
            401 => "U",
            403 or 404 => "F",
            >= 300 and < 400 when location.Contains("/login", StringComparison.OrdinalIgnoreCase) => "U",
            >= 300 and < 400 when location.Contains("/forbidden", StringComparison.OrdinalIgnoreCase) => "F",
            _ => "A",
        };
    }

    private static HttpRequestMessage Get(string url) => new(HttpMethod.Get, url);

    private static HttpRequestMessage Post(string url) => new(HttpMethod.Post, url);

    private static HttpRequestMessage Json(HttpMethod method, string url, object body) =>
        new(method, url) { Content = body is JsonNode node ? new StringContent(node.ToJsonString(), Encoding.UTF8, "application/json") : JsonContent.Create(body) };

    private static HttpRequestMessage Multipart(string url, params (string Name, string? FileName, byte[] Bytes)[] parts)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, fileName, bytes) in parts)
        {
            if (fileName is null)
            {
                form.Add(new StringContent(Encoding.UTF8.GetString(bytes)), name);
            }
            else
            {
                form.Add(new ByteArrayContent(bytes), name, fileName);
            }
        }

        return new HttpRequestMessage(HttpMethod.Post, url) { Content = form };
    }

    private static HttpRequestMessage Upload(string url, string title) =>
        new(HttpMethod.Post, url) { Content = TestFiles.Upload(TestFiles.Pdf(title), "letter.pdf", TestFiles.LetterMetadata("qingshan-village"), title) };

    /// <summary>A workflow that waits for an event nobody sends: its instances stay suspended.</summary>
    public static JsonObject Probe(string definitionId) => JsonNode.Parse($$"""
        {
          "id": "{{definitionId}}-v1", "definitionId": "{{definitionId}}", "name": "{{definitionId}}", "version": 1,
          "root": { "id": "flow", "type": "Elsa.Flowchart", "version": 1,
            "activities": [
              { "id": "start", "type": "Elsa.Start", "version": 1 },
              { "id": "wait", "type": "Elsa.Event", "version": 1, "eventName": { "typeName": "String", "expression": { "type": "Literal", "value": "MatrixNeverSent" } } },
              { "id": "end", "type": "Elsa.End", "version": 1 }
            ],
            "connections": [
              { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "wait", "port": "In" } },
              { "source": { "activity": "wait", "port": "Done" }, "target": { "activity": "end", "port": "In" } }
            ] } }
        """)!.AsObject();

    /// <summary>A column of the table: a role, and the seeded login that stands for it (none: anonymous).</summary>
    public sealed record Identity(string Name, string? UserName);

    /// <summary>A row: the endpoint as <see cref="AppEndpoints"/> lists it, one cell per identity, and the request to send.</summary>
    public sealed record Row(string Endpoint, string Expected, Func<MatrixData.Scope, Task<HttpRequestMessage>> Request)
    {
        public Row(string endpoint, string expected, Func<MatrixData.Scope, HttpRequestMessage> request)
            : this(endpoint, expected, scope => Task.FromResult(request(scope)))
        {
        }

        public string[] Cells { get; } = Expected.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The data the rows aim at, made once through the API the way officials make it.</summary>
    public sealed class MatrixData(IReadOnlyDictionary<string, HttpClient> clients)
    {
        public Guid Letter { get; private set; }

        public Guid LetterTask { get; private set; }

        public Guid Draft { get; private set; }

        public Guid Order { get; private set; }

        public Guid OrderTask { get; private set; }

        public Guid Evidence { get; private set; }

        public string ProbeVersionId { get; private set; } = "";

        public string ProbeInstance { get; private set; } = "";

        public string ProbeExecution { get; private set; } = "";

        public string DeletableVersionId { get; private set; } = "";

        public string DeletableInstance { get; private set; } = "";

        public string CancellableInstance { get; private set; } = "";

        public HttpClient Staff(string userName) => clients[Identities.Single(i => (i.UserName ?? "anonymous") == userName).Name];

        public Scope For(Identity identity) => new(this, identity);

        public async Task CreateAsync()
        {
            (Letter, LetterTask) = await PendingLetterAsync("青山村责任书（矩阵）");
            Draft = await DraftLetterAsync("青山村责任书（矩阵草稿）");

            var clerk = Staff("zhaomin");
            var order = await clerk.PostAsync("/api/libraries/rectification-orders/documents", TestFiles.Upload(TestFiles.Pdf("order"), "order.pdf", new
            {
                inspectedUnit = "xiangnan-chemical", hazardDescription = "消防通道堵塞", location = "厂区北门", grade = "一般", deadline = "2027-03-01", inspector = "wujie",
            }, "湘南化工消防通道整改通知（矩阵）"));
            Order = await IdAsync(order);
            await EnsureAsync(await clerk.PostAsync($"/api/documents/{Order}/submit", null));
            await DecideAsync("wangqiang", Order, "approve");
            await DecideAsync("heping", Order, "sign");
            OrderTask = await OpenTaskAsync("heping", Order);
            var attached = await Staff("heping").PostAsync($"/api/tasks/{OrderTask}/files",
                new MultipartFormDataContent { { new ByteArrayContent(TestFiles.Photo(200, 0, 0)), "file", "整改前.png" }, { new StringContent("before"), "label" } });
            Evidence = await IdAsync(attached);

            var admin = Staff("admin");
            foreach (var definitionId in new[] { "matrix-probe", "matrix-retract", "matrix-delete", "matrix-versions" })
            {
                await EnsureAsync(await admin.PostAsync("/elsa/api/workflow-definitions", JsonBody(new JsonObject { ["model"] = Probe(definitionId), ["publish"] = true })));
            }

            var probe = await admin.GetFromJsonAsync<JsonObject>("/elsa/api/workflow-definitions/by-definition-id/matrix-probe?versionOptions=Published");
            ProbeVersionId = probe!["id"]!.GetValue<string>();
            var draft = await admin.PostAsync("/elsa/api/workflow-definitions", JsonBody(new JsonObject { ["model"] = Probe("matrix-versions"), ["publish"] = false }));
            DeletableVersionId = (await draft.Content.ReadFromJsonAsync<JsonObject>())!["workflowDefinition"]!["id"]!.GetValue<string>();
            ProbeInstance = await ExecuteProbeAsync();
            DeletableInstance = await ExecuteProbeAsync();
            CancellableInstance = await ExecuteProbeAsync();
            var executions = await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/activity-executions/list?workflowInstanceId={ProbeInstance}");
            ProbeExecution = executions!["items"]![0]!["id"]!.GetValue<string>();
        }

        public async Task<string> NoticeCodeAsync()
        {
            var notices = await Staff("admin").GetFromJsonAsync<JsonElement>($"/api/documents/{Order}/notices");
            if (notices[0].GetProperty("verifyUrl").GetString() is not { } url)
            {
                await EnsureAsync(await Staff("admin").GetAsync($"/api/documents/{Order}/notice.pdf"));
                return await NoticeCodeAsync();
            }

            return url[(url.LastIndexOf('/') + 1)..];
        }

        /// <summary>A letter of 青山村 submitted by the clerk, and the safety head's open task on it.</summary>
        public async Task<(Guid Document, Guid Task)> PendingLetterAsync(string title)
        {
            var id = await DraftLetterAsync(title);
            await EnsureAsync(await Staff("zhaomin").PostAsync($"/api/documents/{id}/submit", null));
            return (id, await OpenTaskAsync("wangqiang", id));
        }

        public async Task<Guid> DraftLetterAsync(string title) =>
            await IdAsync(await Staff("zhaomin").PostAsync($"/api/libraries/{Letters}/documents",
                TestFiles.Upload(TestFiles.Pdf(title), "letter.pdf", TestFiles.LetterMetadata("qingshan-village"), title)));

        private async Task<string> ExecuteProbeAsync()
        {
            var executed = await Staff("admin").PostAsync("/elsa/api/workflow-definitions/matrix-probe/execute", JsonBody(new JsonObject()));
            await EnsureAsync(executed);
            return executed.Headers.GetValues("x-elsa-workflow-instance-id").Single();
        }

        private async Task DecideAsync(string userName, Guid document, string action)
        {
            var task = await OpenTaskAsync(userName, document);
            await EnsureAsync(await Staff(userName).PostAsJsonAsync($"/api/tasks/{task}/decisions", new { commandId = Guid.NewGuid().ToString(), action }));
        }

        private async Task<Guid> OpenTaskAsync(string userName, Guid document)
        {
            var list = await Staff(userName).GetFromJsonAsync<JsonElement>("/api/tasks?state=open&pageSize=200");
            return list.GetProperty("items").EnumerateArray().Where(t => t.GetProperty("documentId").GetGuid() == document).Select(t => t.GetProperty("id").GetGuid()).Single();
        }

        private static async Task<Guid> IdAsync(HttpResponseMessage response)
        {
            await EnsureAsync(response);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        }

        private static async Task EnsureAsync(HttpResponseMessage response) =>
            Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");

        private static StringContent JsonBody(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

        /// <summary>The shared data, plus fresh data made for one identity's request (rows whose request changes state).</summary>
        public sealed class Scope(MatrixData data, Identity identity)
        {
            public Identity Identity { get; } = identity;

            public Guid Letter => data.Letter;

            public Guid LetterTask => data.LetterTask;

            public Guid Draft => data.Draft;

            public Guid Order => data.Order;

            public Guid OrderTask => data.OrderTask;

            public Guid Evidence => data.Evidence;

            public string ProbeVersionId => data.ProbeVersionId;

            public string ProbeInstance => data.ProbeInstance;

            public string ProbeExecution => data.ProbeExecution;

            public string DeletableVersionId => data.DeletableVersionId;

            public string DeletableInstance => data.DeletableInstance;

            public string CancellableInstance => data.CancellableInstance;

            /// <summary>The verification code of the order's notice (issued by the first caller).</summary>
            public Task<string> NoticeCodeAsync() => data.NoticeCodeAsync();

            public Task<Guid> FreshDraftAsync() => data.DraftLetterAsync($"青山村责任书（矩阵，{Identity.Name}）");

            /// <summary>The request with a bearer token of a sign-in of its own (none for anonymous), for requests that end it.</summary>
            public async Task<HttpRequestMessage> WithFreshTokenAsync(HttpRequestMessage request)
            {
                if (Identity.UserName is { } userName)
                {
                    var response = await data.Staff("anonymous").PostAsJsonAsync("/api/auth/token", new { userName, password = AppFactory.PasswordOf(userName) });
                    var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                }

                return request;
            }

            public Task<(Guid Document, Guid Task)> FreshPendingAsync() => data.PendingLetterAsync($"青山村责任书（矩阵，{Identity.Name}）");
        }
    }

    /// <summary>One app, a client per identity (bearer token; no redirects followed, so a login redirect shows), and the data.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public AppFactory App { get; } = new();

        public Dictionary<string, HttpClient> Clients { get; } = [];

        public MatrixData Data { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            foreach (var identity in Identities)
            {
                var client = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
                if (identity.UserName is { } userName)
                {
                    var password = AppFactory.PasswordOf(userName);
                    var token = await (await client.PostAsJsonAsync("/api/auth/token", new { userName, password })).Content.ReadFromJsonAsync<JsonElement>();
                    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("accessToken").GetString());
                }

                Clients[identity.Name] = client;
            }

            Data = new MatrixData(Clients);
            await Data.CreateAsync();
        }

        public async Task DisposeAsync()
        {
            foreach (var client in Clients.Values)
            {
                client.Dispose();
            }

            await App.DisposeAsync();
        }
    }
}
