using Microsoft.AspNetCore.Http.HttpResults;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Infrastructure.DocumentLibraries;
using SafetyWorkflows.Web.Auth;

namespace SafetyWorkflows.Web.Documents;

public sealed record CreateLibraryRequest(string? Key, string? Name, string? NameEn, string? UnitColumn, string? ChainId, IReadOnlyList<NewColumn>? Columns);

public sealed record ChangeLibraryRequest(string? Name, string? NameEn, string? ChainId);

public sealed record ChangeColumnRequest(string? Name, string? NameEn, bool? Hidden, bool? Required);

public sealed record AddChoiceRequest(string? Choice);

public sealed record SaveViewRequest(string? Name, bool Shared, string? Sort, Dictionary<string, string>? Filters);

public sealed record ViewDto(string Id, string Name, string? NameEn, bool BuiltIn, bool Shared, bool MayDelete, string? Sort, IReadOnlyDictionary<string, string> Filters)
{
    public static ViewDto From(ViewChoice view) =>
        new(view.Id, view.Name, view.NameEn, view.BuiltIn, view.Shared, view.MayDelete, view.Spec.Sort, view.Spec.Filters);
}

/// <summary>The system administrator edits libraries: no code for a new library or column (issue: libraries are data).</summary>
public static class LibraryEndpoints
{
    public static IEndpointRouteBuilder MapLibraryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/libraries/{key}", (string key, ILibraryCatalog libraries) =>
                TypedResults.Ok((libraries.Find(key) ?? throw new NotFoundException($"文档库“{key}”不存在 (library '{key}' not found).")).ToDto()))
            .WithName("GetLibrary").WithTags("Documents").WithSummary("One library with its columns (hidden ones included) and chain.");

        var views = app.MapGroup("/api/libraries/{key}/views").WithTags("Documents");
        views.MapGet("/", async (string key, HttpContext context, ManageViews manage, CancellationToken ct) =>
                TypedResults.Ok((await manage.ListAsync(key, context.User.ToActor(), ct)).Select(ViewDto.From).ToList()))
            .WithName("ListViews").WithSummary("The library's views: built in (all, mine, overdue, major, my-unit), shared, and the caller's own.");
        views.MapPost("/", async (string key, SaveViewRequest request, HttpContext context, ManageViews manage, CancellationToken ct) =>
            {
                var view = await manage.SaveAsync(key, request.Name, request.Shared, new ListSpec(request.Sort, request.Filters ?? []), context.User.ToActor(), ct);
                return TypedResults.Created($"/api/libraries/{key}/documents?view={view.Id}", ViewDto.From(view));
            })
            .WithName("SaveView").WithSummary("Saves a view {name, shared, sort, filters: {column: value}}; shared views: the township office and leaders.");
        views.MapDelete("/{id:guid}", async (string key, Guid id, HttpContext context, ManageViews manage, CancellationToken ct) =>
            {
                await manage.DeleteAsync(key, id, context.User.ToActor(), ct);
                return TypedResults.NoContent();
            })
            .WithName("DeleteView").WithSummary("Deletes a saved view (its owner; a shared one: the township office and leaders).");

        var admin = app.MapGroup("/api/libraries").WithTags("Libraries").RequireAuthorization(AuthSetup.AdminPolicy);
        admin.MapPost("/", CreateAsync).WithName("CreateLibrary")
            .WithSummary("A new library: {key, name, nameEn, unitColumn, chainId, columns: [{key, name, nameEn, type, required, options, maxLength}]}; 201.");
        admin.MapPatch("/{key}", async (string key, ChangeLibraryRequest request, HttpContext context, LibraryAdministration libraries, CancellationToken ct) =>
                TypedResults.Ok((await libraries.RenameAsync(context.User.ToActor(), key, request.Name, request.NameEn, request.ChainId, ct)).ToDto()))
            .WithName("ChangeLibrary").WithSummary("Renames the library or points it at another published chain ({name, nameEn, chainId}, each optional).");
        admin.MapPost("/{key}/columns", async (string key, NewColumn column, HttpContext context, LibraryAdministration libraries, CancellationToken ct) =>
                TypedResults.Created($"/api/libraries/{key}", (await libraries.AddColumnAsync(context.User.ToActor(), key, column, ct)).ToDto()))
            .WithName("AddColumn").WithSummary("Adds a column ({key, name, nameEn, type: text|integer|number|date|choice|unit|user|yesno, required, options, maxLength}).");
        admin.MapPatch("/{key}/columns/{column}", async (string key, string column, ChangeColumnRequest request, HttpContext context,
                LibraryAdministration libraries, CancellationToken ct) =>
                TypedResults.Ok((await libraries.ChangeColumnAsync(context.User.ToActor(), key, column, request.Name, request.NameEn, request.Hidden, request.Required, ct)).ToDto()))
            .WithName("ChangeColumn").WithSummary("Relabels, hides, shows or (un)requires a column ({name, nameEn, hidden, required}); stored values are kept.");
        admin.MapPost("/{key}/columns/{column}/choices", async (string key, string column, AddChoiceRequest request, HttpContext context,
                LibraryAdministration libraries, CancellationToken ct) =>
                TypedResults.Ok((await libraries.AddChoiceAsync(context.User.ToActor(), key, column, request.Choice, ct)).ToDto()))
            .WithName("AddChoice").WithSummary("Adds a choice to a choice column ({choice}).");
        return app;
    }

    private static async Task<Created<LibraryDto>> CreateAsync(CreateLibraryRequest request, HttpContext context, LibraryAdministration libraries, CancellationToken ct)
    {
        var library = await libraries.CreateAsync(context.User.ToActor(), request.Key, request.Name, request.NameEn, request.UnitColumn, request.ChainId,
            request.Columns, ct);
        return TypedResults.Created($"/api/libraries/{library.Key}", library.ToDto());
    }
}
