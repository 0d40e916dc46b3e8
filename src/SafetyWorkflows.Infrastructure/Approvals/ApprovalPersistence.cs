using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Notifications;
using SafetyWorkflows.Infrastructure.Persistence;

namespace SafetyWorkflows.Infrastructure.Approvals;

/// <summary>A decision command already applied: its id is unique, so a repeat finds the first answer.</summary>
public sealed class DecisionCommandRow
{
    public required string CommandId { get; set; }

    public Guid TaskId { get; set; }

    public required string By { get; set; }

    public required string ResultJson { get; set; }

    public DateTimeOffset At { get; set; }
}

internal sealed class ApprovalTaskConfiguration : IEntityTypeConfiguration<ApprovalTask>
{
    public void Configure(EntityTypeBuilder<ApprovalTask> builder)
    {
        builder.ToTable("ApprovalTasks");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.WorkflowInstanceId).HasMaxLength(64);
        builder.Property(t => t.ActivityId).HasMaxLength(128);
        builder.Property(t => t.ActivityInstanceId).HasMaxLength(64);
        builder.Property(t => t.BookmarkId).HasMaxLength(64);
        builder.Property(t => t.Step).HasMaxLength(200);
        builder.Property(t => t.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.Assignee).HasMaxLength(64);
        builder.Property(t => t.SubmittedBy).HasMaxLength(64);
        builder.Property(t => t.Action).HasMaxLength(32);
        builder.Property(t => t.Outcome).HasMaxLength(64);
        builder.Property(t => t.Opinion).HasMaxLength(2000);
        builder.Property(t => t.DecidedBy).HasMaxLength(64);
        builder.Property(t => t.Handover).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.ReturnTo).HasMaxLength(64);
        builder.Property(t => t.ResumeInputKey).HasMaxLength(64);
        builder.Property(t => t.CustomOutcomes)
            .HasConversion(
                list => string.Join('\u001f', list),
                text => text.Split('\u001f', StringSplitOptions.RemoveEmptyEntries).ToList(),
                new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<List<string>>((a, b) => a!.SequenceEqual(b!), l => l.Count, l => l.ToList()))
            .HasMaxLength(500);
        builder.Property(t => t.Revision).IsConcurrencyToken();
        builder.Ignore(t => t.IsOpen);
        builder.Property(t => t.LibraryKey).HasMaxLength(64);
        builder.Property(t => t.DueNote).HasMaxLength(300);
        builder.Property(t => t.AssignmentNote).HasMaxLength(500);
        builder.HasIndex(t => new { t.Assignee, t.Status, t.CreatedAt });
        builder.HasIndex(t => new { t.Assignee, t.Status, t.LibraryKey, t.CreatedAt });
        builder.HasIndex(t => new { t.Assignee, t.Status, t.ClosedAt });
        builder.HasIndex(t => new { t.WorkflowInstanceId, t.ActivityInstanceId });
        builder.HasIndex(t => t.DocumentId);
        builder.HasIndex(t => t.BookmarkId);
        builder.HasIndex(t => new { t.LibraryKey, t.ActivityId, t.Status }); // the hazard board: listing steps and its version
    }
}

internal sealed class DecisionCommandConfiguration : IEntityTypeConfiguration<DecisionCommandRow>
{
    public void Configure(EntityTypeBuilder<DecisionCommandRow> builder)
    {
        builder.ToTable("DecisionCommands");
        builder.HasKey(c => c.CommandId);
        builder.Property(c => c.CommandId).HasMaxLength(100);
        builder.Property(c => c.By).HasMaxLength(64);
    }
}

internal sealed class TaskAttachmentConfiguration : IEntityTypeConfiguration<TaskAttachment>
{
    public void Configure(EntityTypeBuilder<TaskAttachment> builder)
    {
        builder.ToTable("TaskAttachments");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.Sha256).HasMaxLength(64);
        builder.Property(a => a.FileName).HasMaxLength(260);
        builder.Property(a => a.ContentType).HasMaxLength(128);
        builder.Property(a => a.UploadedBy).HasMaxLength(64);
        builder.Property(a => a.Label).HasMaxLength(16).HasDefaultValue(EvidenceLabels.Other);
        builder.HasIndex(a => a.TaskId);
    }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.ToTable("Notifications");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Id).ValueGeneratedNever();
        builder.Property(n => n.Recipient).HasMaxLength(64);
        builder.Property(n => n.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(n => n.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(n => n.Subject).HasMaxLength(500);
        builder.Property(n => n.Link).HasMaxLength(200);
        builder.HasIndex(n => new { n.Recipient, n.CreatedAt });
        builder.HasIndex(n => new { n.Status, n.CreatedAt });
    }
}

internal sealed class EfNotificationOutbox(SafetyDbContext db) : INotificationOutbox
{
    public void Add(Notification notification) => db.Set<Notification>().Add(notification);
}

internal sealed class EfTaskAttachmentRepository(SafetyDbContext db) : ITaskAttachmentRepository
{
    public void Add(TaskAttachment attachment) => db.Set<TaskAttachment>().Add(attachment);

    public async Task<IReadOnlyList<TaskAttachment>> ListAsync(Guid taskId, CancellationToken cancellationToken) =>
        await db.Set<TaskAttachment>().AsNoTracking().Where(a => a.TaskId == taskId).OrderBy(a => a.UploadedAt).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<TaskAttachment>> ListForDocumentAsync(Guid documentId, CancellationToken cancellationToken) =>
        await db.Set<TaskAttachment>().AsNoTracking()
            .Where(a => db.Set<ApprovalTask>().Any(t => t.Id == a.TaskId && t.DocumentId == documentId))
            .OrderBy(a => a.UploadedAt).ToListAsync(cancellationToken);

    public Task<TaskAttachment?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.Set<TaskAttachment>().AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
}

/// <summary>
/// The decision path's and the inbox's reads of tasks as EF compiled queries (issue 12): the expression tree is
/// translated once, not looked up in the query cache on every call.
/// </summary>
internal static class TaskQueries
{
    public static readonly CompiledPerModel<Func<SafetyDbContext, Guid, CancellationToken, Task<ApprovalTask?>>> ById = new(() =>
        EF.CompileAsyncQuery((SafetyDbContext db, Guid id, CancellationToken _) => db.Set<ApprovalTask>().FirstOrDefault(t => t.Id == id)));

    public static readonly CompiledPerModel<Func<SafetyDbContext, string, IAsyncEnumerable<ApprovalTask>>> OpenByBookmark = new(() =>
        EF.CompileAsyncQuery((SafetyDbContext db, string bookmarkId) =>
            db.Set<ApprovalTask>().Where(t => t.BookmarkId == bookmarkId && t.Status == ApprovalTaskStatus.Open)));

    public static readonly CompiledPerModel<Func<SafetyDbContext, string, string, IAsyncEnumerable<ApprovalTask>>> ForStep = new(() =>
        EF.CompileAsyncQuery((SafetyDbContext db, string workflowInstanceId, string activityInstanceId) =>
            db.Set<ApprovalTask>().Where(t => t.WorkflowInstanceId == workflowInstanceId && t.ActivityInstanceId == activityInstanceId)));

    public static readonly CompiledPerModel<Func<SafetyDbContext, string, TaskKind, IAsyncEnumerable<ApprovalTask>>> OpenForInstance = new(() =>
        EF.CompileAsyncQuery((SafetyDbContext db, string workflowInstanceId, TaskKind kind) =>
            db.Set<ApprovalTask>().Where(t => t.WorkflowInstanceId == workflowInstanceId && t.Kind == kind && t.Status == ApprovalTaskStatus.Open)));

    public static readonly CompiledPerModel<Func<SafetyDbContext, string, CancellationToken, Task<AppliedCommand?>>> Command = new(() =>
        EF.CompileAsyncQuery((SafetyDbContext db, string commandId, CancellationToken _) => db.Set<DecisionCommandRow>().AsNoTracking()
            .Where(c => c.CommandId == commandId).Select(c => new AppliedCommand(c.CommandId, c.TaskId, c.By, c.ResultJson)).FirstOrDefault()));

    // The inbox's four shapes, each with its count: open or done, in one library or in all. Each keeps its own SQL, so
    // each keeps the index plan it had as a LINQ query.
    public static readonly CompiledPerModel<Func<SafetyDbContext, string, CancellationToken, Task<int>>> OpenCount = new(() =>
        EF.CompileAsyncQuery((SafetyDbContext db, string userName, CancellationToken _) => db.Set<ApprovalTask>()
            .Count(t => t.Assignee == userName && t.Status == ApprovalTaskStatus.Open)));

    public static readonly CompiledPerModel<Func<SafetyDbContext, string, string, CancellationToken, Task<int>>> OpenCountIn = new(() =>
        EF.CompileAsyncQuery((SafetyDbContext db, string userName, string library, CancellationToken _) => db.Set<ApprovalTask>()
            .Count(t => t.Assignee == userName && t.Status == ApprovalTaskStatus.Open && t.LibraryKey == library)));

    public static readonly CompiledPerModel<Func<SafetyDbContext, string, CancellationToken, Task<int>>> DoneCount = new(() =>
        EF.CompileAsyncQuery((SafetyDbContext db, string userName, CancellationToken _) => db.Set<ApprovalTask>()
            .Count(t => t.Assignee == userName && (t.Status == ApprovalTaskStatus.Completed || t.Status == ApprovalTaskStatus.Cancelled))));

    public static readonly CompiledPerModel<Func<SafetyDbContext, string, string, CancellationToken, Task<int>>> DoneCountIn = new(() =>
        EF.CompileAsyncQuery((SafetyDbContext db, string userName, string library, CancellationToken _) => db.Set<ApprovalTask>()
            .Count(t => t.Assignee == userName && (t.Status == ApprovalTaskStatus.Completed || t.Status == ApprovalTaskStatus.Cancelled)
                && t.LibraryKey == library)));

    public static readonly CompiledPerModel<Func<SafetyDbContext, string, int, int, IAsyncEnumerable<ApprovalTask>>> OpenPage = new(() =>
        EF.CompileAsyncQuery((SafetyDbContext db, string userName, int skip, int take) => db.Set<ApprovalTask>().AsNoTracking()
            .Where(t => t.Assignee == userName && t.Status == ApprovalTaskStatus.Open)
            .OrderByDescending(t => t.CreatedAt).Skip(skip).Take(take)));

    public static readonly CompiledPerModel<Func<SafetyDbContext, string, string, int, int, IAsyncEnumerable<ApprovalTask>>> OpenPageIn = new(() =>
        EF.CompileAsyncQuery((SafetyDbContext db, string userName, string library, int skip, int take) => db.Set<ApprovalTask>().AsNoTracking()
            .Where(t => t.Assignee == userName && t.Status == ApprovalTaskStatus.Open && t.LibraryKey == library)
            .OrderByDescending(t => t.CreatedAt).Skip(skip).Take(take)));

    public static readonly CompiledPerModel<Func<SafetyDbContext, string, int, int, IAsyncEnumerable<ApprovalTask>>> DonePage = new(() =>
        EF.CompileAsyncQuery((SafetyDbContext db, string userName, int skip, int take) => db.Set<ApprovalTask>().AsNoTracking()
            .Where(t => t.Assignee == userName && (t.Status == ApprovalTaskStatus.Completed || t.Status == ApprovalTaskStatus.Cancelled))
            .OrderByDescending(t => t.ClosedAt).Skip(skip).Take(take)));

    public static readonly CompiledPerModel<Func<SafetyDbContext, string, string, int, int, IAsyncEnumerable<ApprovalTask>>> DonePageIn = new(() =>
        EF.CompileAsyncQuery((SafetyDbContext db, string userName, string library, int skip, int take) => db.Set<ApprovalTask>().AsNoTracking()
            .Where(t => t.Assignee == userName && (t.Status == ApprovalTaskStatus.Completed || t.Status == ApprovalTaskStatus.Cancelled)
                && t.LibraryKey == library)
            .OrderByDescending(t => t.ClosedAt).Skip(skip).Take(take)));
}

internal sealed class EfApprovalTaskRepository(SafetyDbContext db) : IApprovalTaskRepository
{
    public void Add(ApprovalTask task) => db.Set<ApprovalTask>().Add(task);

    public Task<ApprovalTask?> FindAsync(Guid id, CancellationToken cancellationToken) => TaskQueries.ById.For(db)(db, id, cancellationToken);

    public async Task<IReadOnlyList<ApprovalTask>> ListOpenByBookmarkAsync(string bookmarkId, CancellationToken cancellationToken) =>
        await TaskQueries.OpenByBookmark.For(db)(db, bookmarkId).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<ApprovalTask>> ListForStepAsync(string workflowInstanceId, string activityInstanceId, CancellationToken cancellationToken)
    {
        // Tasks added in this unit of work are not in the database yet: include the tracked ones.
        var stored = await TaskQueries.ForStep.For(db)(db, workflowInstanceId, activityInstanceId).ToListAsync(cancellationToken);
        var added = db.ChangeTracker.Entries<ApprovalTask>().Where(e => e.State == EntityState.Added).Select(e => e.Entity)
            .Where(t => t.WorkflowInstanceId == workflowInstanceId && t.ActivityInstanceId == activityInstanceId);
        return stored.Concat(added).Distinct().ToList();
    }

    public async Task<IReadOnlyList<ApprovalTask>> ListForDocumentAsync(Guid documentId, CancellationToken cancellationToken) =>
        await db.Set<ApprovalTask>().AsNoTracking().Where(t => t.DocumentId == documentId).OrderBy(t => t.CreatedAt).ThenBy(t => t.Order).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<ApprovalTask>> ListOpenForInstanceAsync(string workflowInstanceId, TaskKind kind, CancellationToken cancellationToken)
    {
        var stored = await TaskQueries.OpenForInstance.For(db)(db, workflowInstanceId, kind).ToListAsync(cancellationToken);
        var added = db.ChangeTracker.Entries<ApprovalTask>().Where(e => e.State == EntityState.Added).Select(e => e.Entity)
            .Where(t => t.WorkflowInstanceId == workflowInstanceId && t.Kind == kind && t.IsOpen);
        return stored.Where(t => t.IsOpen).Concat(added).Distinct().OrderBy(t => t.Order).ToList();
    }

    public async Task<IReadOnlySet<Guid>> OverdueDocumentsAsync(IReadOnlyCollection<Guid> documentIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (documentIds.Count == 0)
        {
            return new HashSet<Guid>();
        }

        var ids = documentIds.Cast<Guid?>().ToList();
        var overdue = await db.Set<ApprovalTask>().AsNoTracking()
            .Where(t => ids.Contains(t.DocumentId) && t.Status == ApprovalTaskStatus.Open && t.DueAt != null && t.DueAt < now)
            .Select(t => t.DocumentId!.Value).Distinct().ToListAsync(cancellationToken);
        return overdue.ToHashSet();
    }

    public async Task<(IReadOnlyList<ApprovalTask> Items, int TotalCount)> ListForAssigneeAsync(
        string userName, bool open, string? libraryKey, int skip, int take, CancellationToken cancellationToken)
    {
        // 待办 newest first by creation; 已办 newest first by when it was closed (both served by an index).
        var total = (open, libraryKey) switch
        {
            (true, null) => await TaskQueries.OpenCount.For(db)(db, userName, cancellationToken),
            (true, _) => await TaskQueries.OpenCountIn.For(db)(db, userName, libraryKey, cancellationToken),
            (false, null) => await TaskQueries.DoneCount.For(db)(db, userName, cancellationToken),
            (false, _) => await TaskQueries.DoneCountIn.For(db)(db, userName, libraryKey, cancellationToken),
        };
        var page = await ((open, libraryKey) switch
        {
            (true, null) => TaskQueries.OpenPage.For(db)(db, userName, skip, take),
            (true, _) => TaskQueries.OpenPageIn.For(db)(db, userName, libraryKey, skip, take),
            (false, null) => TaskQueries.DonePage.For(db)(db, userName, skip, take),
            (false, _) => TaskQueries.DonePageIn.For(db)(db, userName, libraryKey, skip, take),
        }).ToListAsync(cancellationToken);
        return (page, total);
    }

    public Task<AppliedCommand?> FindCommandAsync(string commandId, CancellationToken cancellationToken) =>
        TaskQueries.Command.For(db)(db, commandId, cancellationToken);

    public void RecordCommand(string commandId, Guid taskId, string by, string resultJson, DateTimeOffset at) =>
        db.Set<DecisionCommandRow>().Add(new DecisionCommandRow { CommandId = commandId, TaskId = taskId, By = by, ResultJson = resultJson, At = at });

    public void UpdateCommandResult(string commandId, string resultJson)
    {
        if (db.Set<DecisionCommandRow>().Local.FirstOrDefault(c => c.CommandId == commandId) is { } row)
        {
            row.ResultJson = resultJson;
        }
    }
}

internal sealed class TaskLinkConfiguration : IEntityTypeConfiguration<TaskLink>
{
    public void Configure(EntityTypeBuilder<TaskLink> builder)
    {
        builder.ToTable("TaskLinks");
        builder.HasKey(l => l.Id);
        builder.Property(l => l.Id).ValueGeneratedNever();
        builder.Property(l => l.UserName).HasMaxLength(64);
        builder.Property(l => l.TokenHash).HasMaxLength(64).IsRequired();
        builder.Property(l => l.RevokedBy).HasMaxLength(64);
        builder.Ignore(l => l.IsRevoked);
        builder.HasIndex(l => l.TokenHash).IsUnique();
        builder.HasIndex(l => l.TaskId);
    }
}

internal sealed class EfTaskLinkRepository(SafetyDbContext db) : ITaskLinkRepository
{
    public void Add(TaskLink link) => db.Set<TaskLink>().Add(link);

    public Task<TaskLink?> FindByHashAsync(string tokenHash, CancellationToken cancellationToken) =>
        db.Set<TaskLink>().FirstOrDefaultAsync(l => l.TokenHash == tokenHash, cancellationToken);

    public async Task<IReadOnlyList<TaskLink>> ListForTaskAsync(Guid taskId, CancellationToken cancellationToken) =>
        await db.Set<TaskLink>().Where(l => l.TaskId == taskId).OrderBy(l => l.CreatedAt).ToListAsync(cancellationToken);

    public Task SaveAsync(CancellationToken cancellationToken) => db.SaveChangesAsync(cancellationToken);
}
