using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Assessment;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Infrastructure.Persistence;

namespace SafetyWorkflows.Infrastructure.Assessment;

internal sealed class AssessmentWeightsConfiguration : IEntityTypeConfiguration<AssessmentWeights>
{
    public void Configure(EntityTypeBuilder<AssessmentWeights> builder)
    {
        builder.ToTable("AssessmentWeights");
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Id).ValueGeneratedNever();
        builder.Property(w => w.VetoSeverity).HasMaxLength(10).IsRequired();
        builder.Property(w => w.UpdatedBy).HasMaxLength(100);
        builder.Ignore(w => w.Total);
    }
}

internal sealed class EfAssessmentWeightsStore(SafetyDbContext db) : IAssessmentWeightsStore
{
    public async Task<AssessmentWeights> GetAsync(CancellationToken cancellationToken)
    {
        if (await db.Set<AssessmentWeights>().FirstOrDefaultAsync(w => w.Id == AssessmentWeights.SingletonId, cancellationToken) is { } stored)
        {
            return stored;
        }

        var weights = AssessmentWeights.Default();
        db.Set<AssessmentWeights>().Add(weights);
        return weights;
    }

    public Task SaveAsync(CancellationToken cancellationToken) => db.SaveChangesAsync(cancellationToken);
}

/// <summary>The assessment's reads: column projections of the year's documents and of the tasks it counts.</summary>
internal sealed class EfAssessmentSource(SafetyDbContext db) : IAssessmentSource
{
    public async Task<IReadOnlyList<RecordFact>> DocumentsAsync(IReadOnlyCollection<string> libraries, CancellationToken cancellationToken)
    {
        var keys = libraries.ToList();
        return await db.Documents.AsNoTracking()
            .Where(d => keys.Contains(d.LibraryKey) && d.Status != DocumentStatus.Archived)
            .Select(d => new RecordFact(d.Id, d.LibraryKey, d.Title, d.UnitId, d.Status, d.Stage, d.MetadataJson, d.CreatedAt, d.UpdatedAt))
            .ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<TaskFact>> TasksAsync(IReadOnlyCollection<string> statisticsInstances, CancellationToken cancellationToken)
    {
        var instances = statisticsInstances.ToList();
        return await db.Set<ApprovalTask>().AsNoTracking()
            .Where(t => (t.LibraryKey == Libraries.ResponsibilityLetters && t.Kind == TaskKind.Signature && t.Status == ApprovalTaskStatus.Completed)
                || (t.LibraryKey == Libraries.AccidentReports && t.ActivityId == RecordColumns.ReportStep)
                || instances.Contains(t.WorkflowInstanceId))
            .Select(t => new TaskFact(t.Id, t.DocumentId, t.WorkflowInstanceId, t.ActivityId, t.Kind, t.Assignee, t.Status, t.Outcome, t.CreatedAt, t.DueAt, t.ClosedAt))
            .ToListAsync(cancellationToken);
    }
}
