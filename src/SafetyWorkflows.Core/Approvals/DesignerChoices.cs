using System.Text.Json.Nodes;
using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.Core.Approvals;

/// <summary>
/// Fills the assignee pickers of our activity descriptors with the organisation as it is now: every role (value: the
/// bare role key, as the shipped chains write it), every unit (<c>unit:id</c>, meaning its principal or village head)
/// and every active official (<c>user:name</c>), in the form <see cref="AssigneeResolver"/> reads.
/// </summary>
public sealed class DesignerChoices(IOrganisationDirectory directory)
{
    /// <summary>A copy of <paramref name="descriptor"/> with its assignee check lists filled; other descriptors come back as they are.</summary>
    public async Task<JsonObject> DescribeAsync(JsonObject descriptor, CancellationToken cancellationToken)
    {
        var copy = (JsonObject)descriptor.DeepClone();
        var pickers = (copy["inputs"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(i => i["uiSpecifications"] as JsonObject)
            .Where(s => s?[DomainActivityDescriptors.AssigneePicker] is not null)
            .ToList();
        if (pickers.Count == 0)
        {
            return copy;
        }

        var items = await ItemsAsync(cancellationToken);
        foreach (var specifications in pickers)
        {
            specifications!["checklist"] = new JsonObject
            {
                ["checkList"] = new JsonObject { ["items"] = items.DeepClone(), ["isFlagsEnum"] = false },
            };
        }

        return copy;
    }

    private JsonArray? _items;

    private async Task<JsonArray> ItemsAsync(CancellationToken cancellationToken)
    {
        if (_items is not null)
        {
            return _items;
        }

        var known = Roles.All.ToList();
        // The security and audit administrators take no part in documents' chains (三员 separation): they are not offered.
        static bool TakesPart(string role) => role is not (Roles.SecurityAdmin or Roles.AuditAdmin);
        var roles = (await directory.ListRolesAsync(cancellationToken)).Where(r => TakesPart(r.Key))
            .OrderBy(r => known.IndexOf(r.Key) is var i and >= 0 ? i : int.MaxValue).ThenBy(r => r.Key, StringComparer.Ordinal).ToList();
        // An external unit (the 专家库) has no principal to sign: its people are picked by role or by name.
        var units = (await directory.ListUnitsAsync(cancellationToken)).Where(u => u.Kind != UnitKind.External);
        var officials = (await directory.ListOfficialsAsync(cancellationToken)).Where(o => o.IsActive && o.Roles.All(TakesPart));
        var roleNames = roles.ToDictionary(r => r.Key, r => r.Name, StringComparer.Ordinal);
        var items = new List<(string Value, string Text)>();
        items.AddRange(roles.Select(r => (r.Key, $"角色：{r.Name}")));
        items.AddRange(units.Select(u => ($"unit:{u.Id}", $"单位：{u.Name}（主要负责人）")));
        items.AddRange(officials.Select(o => ($"user:{o.UserName}",
            $"人员：{o.DisplayName}（{string.Join("、", o.Roles.Select(r => roleNames.GetValueOrDefault(r, r)))}）")));
        _items = new JsonArray(items.Select(i => (JsonNode)new JsonObject { ["text"] = i.Text, ["value"] = i.Value, ["isChecked"] = false }).ToArray());
        return _items;
    }
}
