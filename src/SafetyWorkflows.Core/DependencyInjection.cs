using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Notifications;
using SafetyWorkflows.Workflows.Activities;

namespace SafetyWorkflows.Core;

public static class DependencyInjection
{
    /// <summary>Registers the use cases. Their ports (stores, file store, clock) come from Infrastructure.</summary>
    public static IHostApplicationBuilder AddCore(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<MetadataValidator>();
        services.AddScoped<IncomingFiles>();
        services.AddScoped<DocumentLoader>();
        services.AddScoped<UploadDocument>();
        services.AddScoped<Notices.IssueNotice>();
        services.AddScoped<Notices.VerifyNotice>();
        services.AddScoped<Notices.SignatureImages>();
        services.AddScoped<ChangeDocument>();
        services.AddScoped<ReviseDocument>();
        services.AddScoped<QueryDocuments>();
        services.AddScoped<ManageViews>();
        services.AddScoped<Board.HazardBoard>();
        services.AddScoped<Board.HazardStatistics>();
        services.AddScoped<Assessment.AnnualAssessment>();

        services.AddScoped<IAssigneeResolver, AssigneeResolver>();
        services.AddScoped<SubmitDocument>();
        services.AddScoped<TaskLoader>();
        services.AddScoped<DecideTask>();
        services.AddScoped<TaskLinks>();
        services.AddScoped<Records.RecordEffects>();
        services.AddScoped<Records.MeetingTasks>();
        services.AddScoped<WithdrawDocument>();
        services.AddSingleton(new ActivityRegistration(RequestApproval.ApprovalType, 1, new RequestApproval(TaskKind.Approval), DomainActivityDescriptors.RequestApproval()));
        services.AddSingleton(new ActivityRegistration(RequestApproval.SignatureType, 1, new RequestApproval(TaskKind.Signature), DomainActivityDescriptors.RequestSignature()));
        services.AddSingleton(new ActivityRegistration(RequestApproval.SubmissionType, 1, new RequestApproval(TaskKind.Submission), DomainActivityDescriptors.RequestSubmission()));
        services.AddScoped<AttachTaskFile>();
        services.AddScoped<ReadEvidence>();
        services.AddScoped<DesignerChoices>();
        services.AddScoped<AssigneeWarnings>();
        services.AddScoped<Workflows.Hosting.IWorkflowRunObserver, RunTaskInbox>();
        services.AddScoped<Incidents.IncidentRetries>();
        services.AddScoped<Workflows.Hosting.IWorkflowRunObserver, Incidents.IncidentInbox>();
        services.AddScoped<Incidents.QueryIncidents>();
        services.AddScoped<Incidents.RetryIncident>();
        services.AddSingleton(new ActivityRegistration(Notify.TypeName, 1, new Notify(), DomainActivityDescriptors.Notify()));
        services.AddSingleton(new ActivityRegistration(SetDocumentStatus.TypeName, 1, new SetDocumentStatus(), DomainActivityDescriptors.SetDocumentStatus()));
        return builder;
    }
}
