using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.Core.Documents;

/// <summary>A view as lists offer it: built in, shared or the caller's own.</summary>
public sealed record ViewChoice(string Id, string Name, string? NameEn, bool BuiltIn, bool Shared, bool MayDelete, ListSpec Spec);

/// <summary>The views of a library: the built-in ones, the shared ones and the caller's own; saving and deleting.</summary>
public sealed class ManageViews(ILibraryCatalog libraries, ILibraryViewRepository views, TimeProvider clock)
{
    public async Task<IReadOnlyList<ViewChoice>> ListAsync(string libraryKey, Actor actor, CancellationToken cancellationToken)
    {
        var library = libraries.Get(libraryKey);
        var builtIn = BuiltInViews.For(library, actor).Select(v => new ViewChoice(v.Id, v.Name, v.NameEn, true, true, false, v.Spec));
        var saved = (await views.ListAsync(library.Key, actor.UserName, cancellationToken))
            .Select(v => new ViewChoice(v.Id.ToString(), v.Name, null, false, v.IsShared, v.MayDelete(actor), v.Spec));
        return builtIn.Concat(saved).ToList();
    }

    public async Task<ViewChoice> SaveAsync(string libraryKey, string? name, bool shared, ListSpec spec, Actor actor, CancellationToken cancellationToken)
    {
        var library = libraries.Get(libraryKey);
        var view = LibraryView.Create(library, name, shared, spec, actor, clock.GetUtcNow());
        views.Add(view);
        await views.SaveChangesAsync(cancellationToken);
        return new ViewChoice(view.Id.ToString(), view.Name, null, false, view.IsShared, true, view.Spec);
    }

    public async Task DeleteAsync(string libraryKey, Guid id, Actor actor, CancellationToken cancellationToken)
    {
        var view = await views.FindAsync(id, cancellationToken);
        if (view is null || view.LibraryKey != libraryKey || !(view.IsShared || view.Owner == actor.UserName))
        {
            throw new NotFoundException("视图不存在 (view not found).");
        }

        if (!view.MayDelete(actor))
        {
            throw new ForbiddenException("无权删除该视图 (you may not delete this view).");
        }

        views.Remove(view);
        await views.SaveChangesAsync(cancellationToken);
    }
}
