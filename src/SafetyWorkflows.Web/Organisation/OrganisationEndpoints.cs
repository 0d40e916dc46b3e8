using Microsoft.AspNetCore.Http.HttpResults;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Web.Auth;

namespace SafetyWorkflows.Web.Organisation;

public sealed record PersonDto(string UserName, string DisplayName, string Email, IReadOnlyList<string> Roles, string? UnitId, string? Position);

public sealed record UnitDto(string Id, string Name, string? NameEn, string Kind, string? ParentId, string? Sector);

public static class OrganisationEndpoints
{
    public static IEndpointRouteBuilder MapOrganisationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/people", ListPeopleAsync).RequireAuthorization(AuthSetup.AdminPolicy)
            .WithName("ListPeople").WithTags("Organisation").WithSummary("Officials (administrators only).");
        app.MapGet("/api/units", ListUnitsAsync).WithName("ListUnits").WithTags("Organisation").WithSummary("Units of the township.");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<PersonDto>>> ListPeopleAsync(IOrganisationDirectory directory, CancellationToken cancellationToken)
    {
        var officials = await directory.ListOfficialsAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<PersonDto>>(officials.Select(o => new PersonDto(o.UserName, o.DisplayName, o.Email, o.Roles, o.UnitId, o.Position)).ToList());
    }

    private static async Task<Ok<IReadOnlyList<UnitDto>>> ListUnitsAsync(IOrganisationDirectory directory, CancellationToken cancellationToken)
    {
        var units = await directory.ListUnitsAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<UnitDto>>(units.Select(u => new UnitDto(u.Id, u.Name, u.NameEn, u.Kind.ToString(), u.ParentId, u.Sector)).ToList());
    }
}
