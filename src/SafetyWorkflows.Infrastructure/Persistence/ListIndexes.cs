namespace SafetyWorkflows.Infrastructure.Persistence;

/// <summary>
/// The indexes a library list walks in sort order, named once for the model (their configuration) and for the SQLite
/// walks that name them (<c>INDEXED BY</c>, see <see cref="EfDocumentRepository"/>), so the two cannot drift apart.
/// </summary>
internal static class ListIndexes
{
    public const string ByUpdatedAt = "IX_Documents_LibraryKey_UpdatedAt";
    public const string ByTitle = "IX_Documents_LibraryKey_Title";
    public const string BySortText = "IX_DocumentFields_LibraryKey_Key_SortText_DocumentId";
    public const string ByNumber = "IX_DocumentFields_LibraryKey_Key_Number_DocumentId";

    public const string WalkByUpdatedAt = "SELECT * FROM \"Documents\" INDEXED BY \"" + ByUpdatedAt + "\"";
    public const string WalkByTitle = "SELECT * FROM \"Documents\" INDEXED BY \"" + ByTitle + "\"";
    public const string WalkBySortText = "SELECT * FROM \"DocumentFields\" INDEXED BY \"" + BySortText + "\"";
    public const string WalkByNumber = "SELECT * FROM \"DocumentFields\" INDEXED BY \"" + ByNumber + "\"";
}
