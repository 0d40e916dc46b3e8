using SafetyWorkflows.Core.Documents;

namespace SafetyWorkflows.UnitTests.Core.Documents;

/// <summary>The libraries of <c>seeds/libraries.json</c>, read as the seeder reads them.</summary>
internal static class SeededLibraries
{
    public static readonly ILibraryCatalog Catalog = new FixedLibraryCatalog(
        LibraryDefinition.ReadSeeds(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "seeds", "libraries.json")), "seeds/libraries.json",
            DateTimeOffset.UnixEpoch).Select(l => l.ToLibrary()));

    public static Library ResponsibilityLetter => Catalog.Find(Libraries.ResponsibilityLetters)!;

    public static Library EmergencyPlan => Catalog.Find(Libraries.EmergencyPlans)!;

    public static Library RectificationOrder => Catalog.Find(Libraries.RectificationOrders)!;
}
