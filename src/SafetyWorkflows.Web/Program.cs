using SafetyWorkflows.Web.Infrastructure;
using Hangfire;
using SafetyWorkflows.Core;
using SafetyWorkflows.Infrastructure;
using SafetyWorkflows.Infrastructure.Persistence;
using SafetyWorkflows.Infrastructure.Scheduling;
using SafetyWorkflows.Infrastructure.Workflows;
using SafetyWorkflows.Web;
using SafetyWorkflows.Web.Approvals;
using SafetyWorkflows.Web.Assessment;
using SafetyWorkflows.Web.Audit;
using SafetyWorkflows.Web.Auth;
using SafetyWorkflows.Web.Board;
using SafetyWorkflows.Web.Clocks;
using SafetyWorkflows.Web.Designer;
using SafetyWorkflows.Web.Documents;
using SafetyWorkflows.Web.Elsa;
using SafetyWorkflows.Web.Incidents;
using SafetyWorkflows.Web.Notices;
using SafetyWorkflows.Web.Organisation;

var builder = WebApplication.CreateBuilder(args);

builder.AddCore();
builder.AddInfrastructure();
builder.AddAuth();
builder.AddTransportSecurity();
builder.AddWebUi();
builder.AddDesigner();

var app = builder.Build();

await app.Services.InitialiseDatabaseAsync();
await app.Services.ImportWorkflowsAsync();
app.Services.PrepareNotices();
app.Services.RegisterRecurringClocks();

app.UseSecurityHeaders();
app.UseExceptionHandler();
app.UseRequestGuard();
app.UseTransportSecurity();
app.UseStatusCodePages();
app.UseRequestLocalization();
app.UseStaticFiles();
app.UseDesignerStudio();
app.UseChartFiles();
app.UseAuthentication();
app.UseSessionCheck();
app.UseAuthorization();
app.UseAntiforgery();
app.UseHangfireJobGuard("/hangfire");

app.MapHealthChecks("/healthz").AllowAnonymous();
app.MapOpenApi().AllowAnonymous();
app.MapAuthEndpoints();
app.MapOrganisationEndpoints();
app.MapDocumentEndpoints();
app.MapLibraryEndpoints();
app.MapExportEndpoints();
app.MapAuditEndpoints();
app.MapApprovalEndpoints();
app.MapTaskLinkEndpoints();
app.MapClockEndpoints();
app.MapBoardEndpoints();
app.MapAssessmentEndpoints();
app.MapIncidentEndpoints();
app.MapNoticeEndpoints();
app.MapElsaApi();
app.MapHangfireDashboard("/hangfire", new DashboardOptions
{
    // Our admin policy guards the endpoint (403 for officials, sign-in for anonymous); no Hangfire filter on top.
    Authorization = [],
    AsyncAuthorization = [],
    DashboardTitle = "安全生产文书流转 · 定时任务",
    AppPath = "/",
    DisplayStorageConnectionString = false,
}).RequireAuthorization(AuthSetup.AdminPolicy);
app.MapDesignerEndpoints();
app.MapWebUi();

await app.RunAsync();

/// <summary>Visible to WebApplicationFactory&lt;Program&gt; in the integration tests.</summary>
public partial class Program;
