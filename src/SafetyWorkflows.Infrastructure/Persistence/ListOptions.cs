using System.ComponentModel.DataAnnotations;

namespace SafetyWorkflows.Infrastructure.Persistence;

/// <summary>How a filtered count intersects its filters' document sets (see <see cref="EfDocumentRepository"/>).</summary>
public enum ListCountPlan
{
    /// <summary>Picks the cheaper of the two from each filter's estimated size.</summary>
    Auto,

    /// <summary>Reads the largest filter's index range and tests each entry against the other filters' id lists.</summary>
    IdLists,

    /// <summary>Reads the smallest filter's index range and looks each entry up in the other filters' values.</summary>
    Lookups,
}

/// <summary>
/// Section <c>Lists</c>: how library lists are read. The defaults suit every library size; the settings exist to compare
/// plans (the tests run each one against rows computed from the metadata, the bench times them).
/// </summary>
public sealed class ListOptions
{
    public const string Section = "Lists";

    /// <summary>The most index entries a page may walk in sort order (testing each against the filters) before the list
    /// collects every match and sorts it instead: 0 always collects, a large number always walks.</summary>
    [Range(0, int.MaxValue)]
    public int WalkBudget { get; set; } = 5_000;

    public ListCountPlan CountPlan { get; set; } = ListCountPlan.Auto;
}
