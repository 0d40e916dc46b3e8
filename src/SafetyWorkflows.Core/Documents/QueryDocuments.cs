using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.Core.Documents;

public sealed record ListDocumentsQuery(string LibraryKey, string? Status, string? UnitId, string? Text, int? Page, int? PageSize)
{
    /// <summary>Sort and column filters (<c>sort=</c>, <c>filter[key]=</c>); they apply over the view's.</summary>
    public ListSpec Spec { get; init; } = ListSpec.Empty;

    /// <summary>A built-in view id (all, mine, overdue, major, my-unit) or a saved view's id.</summary>
    public string? View { get; init; }
}

public sealed record VersionContent(DocumentVersion Version, Stream Content);

/// <summary>Reading documents: the filtered list (visibility applied in the query), one document, one version's bytes.</summary>
public sealed class QueryDocuments(
    IDocumentRepository documents, DocumentLoader loader, IFileStore files, ILibraryCatalog libraries, ILibraryViewRepository views, TimeProvider clock)
{
    public async Task<PagedResult<Document>> ListAsync(ListDocumentsQuery query, Actor actor, CancellationToken cancellationToken) =>
        await documents.ListAsync(await BuildAsync(query, actor, all: false, cancellationToken), cancellationToken);

    /// <summary>Every document the list would show, in its order (the export): same checks, no paging.</summary>
    public async Task<IAsyncEnumerable<Document>> StreamAsync(ListDocumentsQuery query, Actor actor, CancellationToken cancellationToken) =>
        documents.StreamAsync(await BuildAsync(query, actor, all: true, cancellationToken), cancellationToken);

    /// <summary>The view a list runs: a built-in one, or a saved one the caller may use; 400 naming <c>view</c> otherwise.</summary>
    public async Task<ListSpec> ViewSpecAsync(Library library, string? view, Actor actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(view))
        {
            return ListSpec.Empty;
        }

        if (BuiltInViews.For(library, actor).FirstOrDefault(v => v.Id == view) is { } builtIn)
        {
            return builtIn.Spec;
        }

        var saved = Guid.TryParse(view, out var id) ? await views.FindAsync(id, cancellationToken) : null;
        if (saved is null || saved.LibraryKey != library.Key || !(saved.IsShared || saved.Owner == actor.UserName))
        {
            throw new InputValidationException("view", $"视图“{view}”不存在 (no view '{view}' in this library; built-in: {string.Join(", ", BuiltInViews.For(library, actor).Select(v => v.Id))}).");
        }

        return saved.Spec;
    }

    private async Task<DocumentQuery> BuildAsync(ListDocumentsQuery query, Actor actor, bool all, CancellationToken cancellationToken)
    {
        var library = libraries.Get(query.LibraryKey);
        // status= takes the stage key the API answers with (draft, rectifying …); a generic name (Approved) still works.
        DocumentStatus? status = null;
        string? stage = null;
        if (!string.IsNullOrWhiteSpace(query.Status))
        {
            if (DocumentStages.IsKnown(query.Status.Trim()))
            {
                stage = query.Status.Trim();
            }
            else if (!Enum.TryParse<DocumentStatus>(query.Status, ignoreCase: true, out var parsed) || int.TryParse(query.Status, out _))
            {
                throw new InputValidationException("status", $"未知状态“{query.Status}” (status must be one of {string.Join(", ", DocumentStages.All)}).");
            }
            else
            {
                status = parsed;
            }
        }

        var text = query.Text?.Trim();
        if (text is { Length: > 100 })
        {
            throw new InputValidationException("q", "搜索词不能超过 100 字 (q is longer than 100 characters).");
        }

        var paging = Paging.Create(query.Page, query.PageSize);
        var seesAll = DocumentAccess.SeesAll(actor, library.Key);
        var spec = query.Spec.Over(await ViewSpecAsync(library, query.View, actor, cancellationToken));
        var (sort, fields, filterStage, filterUnit, overdue, mine) = ListSpecReader.Read(library, spec);
        return new DocumentQuery(library.Key, status, NullIfEmpty(query.UnitId) ?? filterUnit, NullIfEmpty(text), paging, actor.UnitId, seesAll)
        {
            Stage = stage ?? filterStage,
            Fields = fields,
            Sort = sort,
            OverdueAt = overdue ? clock.GetUtcNow() : null,
            InvolvedUser = mine ? actor.UserName : null,
            All = all,
        };
    }

    public Task<Document> GetAsync(Guid id, Actor actor, CancellationToken cancellationToken) =>
        loader.LoadVisibleAsync(id, actor, cancellationToken);

    /// <summary>The drafts made from a visible document by 修订 (same library and unit, so just as visible).</summary>
    public async Task<IReadOnlyList<Document>> ListRevisionsAsync(Guid id, Actor actor, CancellationToken cancellationToken)
    {
        await loader.LoadVisibleAsync(id, actor, cancellationToken);
        return await documents.ListRevisionsAsync(id, cancellationToken);
    }

    public async Task<VersionContent> OpenVersionAsync(Guid id, string versionLabel, Actor actor, CancellationToken cancellationToken)
    {
        var document = await loader.LoadVisibleAsync(id, actor, cancellationToken);
        var version = (VersionNumber.TryParse(versionLabel, out var number) ? document.FindVersion(number) : null)
            ?? throw new NotFoundException($"版本“{versionLabel}”不存在 (version '{versionLabel}' not found).");
        var stream = files.OpenRead(version.ContentHash)
            ?? throw new InvalidOperationException($"The file store has lost content {version.ContentHash} of document {id} version {version.Number}.");
        return new VersionContent(version, stream);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
