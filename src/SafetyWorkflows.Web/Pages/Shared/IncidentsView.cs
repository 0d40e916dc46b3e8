using SafetyWorkflows.Core.Incidents;

namespace SafetyWorkflows.Web.Pages.Shared;

/// <summary>The incidents partial's model: the open incidents, whether the reader may retry them, whether to name the document.</summary>
public sealed record IncidentsView(IReadOnlyList<OpenIncident> Incidents, bool CanRetry, bool ShowDocument = false);
