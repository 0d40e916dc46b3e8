using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Infrastructure.Approvals;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Notifications;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Core.Storage;
using SafetyWorkflows.Infrastructure.Files;
using SafetyWorkflows.Infrastructure.Identity;
using SafetyWorkflows.Infrastructure.Notifications;
using SafetyWorkflows.Infrastructure.Persistence;
using SafetyWorkflows.Infrastructure.Scheduling;
using SafetyWorkflows.Infrastructure.Seeding;
using SafetyWorkflows.Infrastructure.Workflows;
using SafetyWorkflows.Workflows;
using SafetyWorkflows.Workflows.Execution;
using SafetyWorkflows.Workflows.Expressions;
using SafetyWorkflows.Workflows.Persistence;
using SafetyWorkflows.Workflows.Scheduling;

namespace SafetyWorkflows.Infrastructure;

public static class DependencyInjection
{
    public static IHostApplicationBuilder AddInfrastructure(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SeedOptions>().BindConfiguration(SeedOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ListOptions>().BindConfiguration(ListOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // Both flavours are registered; Database:Provider picks one when a unit of work asks for SafetyDbContext. The
        // notification interceptor plans deliveries in the same SaveChanges as the business change, on either. The
        // options are built once, not per unit of work: on SQLite once per pooled connection (ADR-016).
        services.AddSingleton(sp => new SqliteConnectionPool(SqliteConnectionString(sp), connection =>
            new DbContextOptionsBuilder<SqliteSafetyDbContext>().UseApplicationServiceProvider(sp).UseSqlite(connection)
                .AddInterceptors(sp.GetRequiredService<Notifications.NotificationDeliveryInterceptor>(), SqliteWriterGateInterceptor.Instance)
                .Options));
        services.AddDbContext<PostgresSafetyDbContext>(
            (sp, options) => options.UseNpgsql(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString)
                .AddInterceptors(sp.GetRequiredService<Notifications.NotificationDeliveryInterceptor>()),
            optionsLifetime: ServiceLifetime.Singleton);
        services.AddScoped<SafetyDbContext>(sp =>
        {
            if (sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.PostgreSql)
            {
                return sp.GetRequiredService<PostgresSafetyDbContext>();
            }

            // One open SQLite connection for the unit of work, borrowed from the pool of open connections that keep their
            // prepared statements (ADR-016) and given back when the unit of work is disposed.
            return sp.GetRequiredService<SqliteConnectionPool>().CreateContext();
        });

        services.AddScoped<IDocumentRepository, EfDocumentRepository>();
        services.AddScoped<ILibraryViewRepository, EfLibraryViewRepository>();
        services.AddScoped<IAuditLog, EfAuditLog>();
        services.AddScoped<Core.Common.IIdempotencyKeys, EfIdempotencyKeys>();
        services.AddScoped<IOrganisationDirectory, EfOrganisationDirectory>();
        services.AddScoped<Core.Board.IHazardLedgerSource, EfHazardLedgerSource>();
        services.AddScoped<Core.Assessment.IAssessmentSource, Assessment.EfAssessmentSource>();
        services.AddScoped<Core.Assessment.IAssessmentWeightsStore, Assessment.EfAssessmentWeightsStore>();
        services.AddSingleton<IFileStore, DiskFileStore>();
        services.AddOptions<Core.Notices.NoticeOptions>().BindConfiguration(Core.Notices.NoticeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Core.Notices.INoticeRenderer, Notices.PdfNoticeRenderer>();
        services.AddSingleton<Core.Notices.INoticeSigner, Notices.NoticeSigner>();
        services.AddSingleton<Core.Notices.INoticeLinks, Notices.NoticeLinks>();
        services.AddScoped<Core.Notices.INoticeRepository, Notices.EfNoticeRepository>();
        services.AddScoped<Core.Notices.ISignatureImageRepository, Notices.EfSignatureImageRepository>();
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<AccountService>();
        services.AddScoped<AccountAdministration>();
        services.AddScoped<IApprovalTaskRepository, EfApprovalTaskRepository>();
        services.AddScoped<ITaskAttachmentRepository, EfTaskAttachmentRepository>();
        services.AddScoped<ITaskLinkRepository, EfTaskLinkRepository>();
        services.AddScoped<INotificationOutbox, EfNotificationOutbox>();
        services.AddScoped<Seeder>();
        services.AddSingleton<DocumentLibraries.StoredLibraryCatalog>();
        services.AddSingleton<Core.Documents.ILibraryCatalog>(sp => sp.GetRequiredService<DocumentLibraries.StoredLibraryCatalog>());
        services.AddHostedService<DocumentLibraries.LibraryCatalogRefresher>();
        services.AddHostedService<SqliteOptimizer>();
        services.AddScoped<DocumentLibraries.LibraryAdministration>();
        services.AddSingleton(sp => Core.Calendar.WorkingCalendar.Parse(File.ReadAllText(
            Path.Combine(sp.GetRequiredService<IOptions<SeedOptions>>().Value.ResolveDirectory(), "cn-holidays.json"))));

        services.AddOptions<WorkflowOptions>().BindConfiguration(WorkflowOptions.Section).ValidateOnStart();
        services.AddOptions<JavaScriptOptions>().BindConfiguration(JavaScriptOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<WorkflowBudgetOptions>()
            .BindConfiguration(WorkflowBudgetOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddWorkflowRuntime();
        services.AddScoped<EfWorkflowStore>();
        services.AddScoped<IWorkflowDefinitionStore>(sp => sp.GetRequiredService<EfWorkflowStore>());
        services.AddScoped<IWorkflowInstanceStore>(sp => sp.GetRequiredService<EfWorkflowStore>());
        services.AddScoped<IBookmarkStore>(sp => sp.GetRequiredService<EfWorkflowStore>());
        services.AddScoped<ITriggerStore>(sp => sp.GetRequiredService<EfWorkflowStore>());
        services.AddScoped<IWorkflowJournalStore>(sp => sp.GetRequiredService<EfWorkflowStore>());
        services.AddScoped<IWorkflowUnitOfWork>(sp => sp.GetRequiredService<EfWorkflowStore>());
        services.AddHangfireScheduling();
        services.AddNotificationDelivery();
        services.AddSingleton<DueTimerPoller>();
        services.AddHostedService(sp => sp.GetRequiredService<DueTimerPoller>());
        return builder;
    }

    private static string SqliteConnectionString(IServiceProvider services)
    {
        var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        if (!string.IsNullOrWhiteSpace(database.ConnectionString))
        {
            return database.ConnectionString;
        }

        var dataDirectory = services.GetRequiredService<IOptions<StorageOptions>>().Value.ResolveDataDirectory();
        Directory.CreateDirectory(dataDirectory);
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "safety.db"),
            Cache = SqliteCacheMode.Private,
            DefaultTimeout = 30,
        }.ToString();
    }
}
