using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.Core.Approvals;

/// <summary>
/// Resolves assignee entries in order: <c>role:key</c> or a bare role key → every active official with that role;
/// <c>unit:id</c> or a bare unit id → the unit's principal or village head; <c>user:name</c> or a bare user name → that
/// official. Duplicates are removed, order kept (it is the serial order).
/// </summary>
public sealed class AssigneeResolver(IOrganisationDirectory directory) : IAssigneeResolver
{
    public async Task<IReadOnlyList<string>> ResolveAsync(IEnumerable<string> entries, CancellationToken cancellationToken)
    {
        var officials = await directory.ListOfficialsAsync(cancellationToken);
        // The units are read only when an entry without a known prefix, and not a role, needs telling apart from a user
        // name; chains name roles, so a step usually reads the officials alone.
        HashSet<string>? units = null;
        var result = new List<string>();
        foreach (var raw in entries.Select(e => e.Trim()).Where(e => e.Length > 0))
        {
            var (kind, value) = raw.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon ? (raw[..colon], raw[(colon + 1)..]) : ("", raw);
            if (kind is not ("role" or "unit" or "user") && !Roles.All.Contains(value))
            {
                units ??= (await directory.ListUnitsAsync(cancellationToken)).Select(u => u.Id).ToHashSet(StringComparer.Ordinal);
            }

            IEnumerable<string> found = kind switch
            {
                "role" => officials.Where(o => o.IsActive && o.Roles.Contains(value)).Select(o => o.UserName),
                "unit" => UnitHeads(officials, value),
                "user" => officials.Where(o => o.IsActive && o.UserName == value).Select(o => o.UserName),
                _ when Roles.All.Contains(value) => officials.Where(o => o.IsActive && o.Roles.Contains(value)).Select(o => o.UserName),
                _ when units!.Contains(value) => UnitHeads(officials, value),
                _ => officials.Where(o => o.IsActive && o.UserName == value).Select(o => o.UserName),
            };
            result.AddRange(found.Where(name => !result.Contains(name)));
        }

        return result;
    }

    private static IEnumerable<string> UnitHeads(IEnumerable<Official> officials, string unitId) =>
        officials.Where(o => o.IsActive && o.UnitId == unitId && (o.Roles.Contains(Roles.UnitPrincipal) || o.Roles.Contains(Roles.VillageHead)))
            .Select(o => o.UserName);
}
