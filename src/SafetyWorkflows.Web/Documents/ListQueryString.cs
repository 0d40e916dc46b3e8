using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;

namespace SafetyWorkflows.Web.Documents;

/// <summary>A list's sort and filters from a query string: <c>sort=-deadline&amp;filter[grade]=重大&amp;filter[deadline]=2026-01-01..</c>.</summary>
public static class ListQueryString
{
    public static ListSpec Spec(IQueryCollection query, string? sort)
    {
        var filters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in query)
        {
            if (!name.StartsWith("filter[", StringComparison.Ordinal) || !name.EndsWith(']'))
            {
                continue;
            }

            var key = name["filter[".Length..^1];
            if (key.Length is 0 or > 40 || values.Count > 1)
            {
                throw new InputValidationException(name, "每列只能筛选一个值，范围写作 起..止 (one value per filter; a range is from..to).");
            }

            filters[key] = values.ToString();
        }

        if (filters.Count > 20)
        {
            throw new InputValidationException("filter", "筛选条件太多 (at most 20 filters).");
        }

        return new ListSpec(string.IsNullOrWhiteSpace(sort) ? null : sort, filters);
    }

    /// <summary>The query string of a spec, for links that keep the list as it is (paging, sort headers, export).</summary>
    public static string Format(ListSpec spec, string? view, IEnumerable<(string Key, string? Value)>? extra = null)
    {
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(view))
        {
            parts.Add("view=" + Uri.EscapeDataString(view));
        }

        if (!string.IsNullOrEmpty(spec.Sort))
        {
            parts.Add("sort=" + Uri.EscapeDataString(spec.Sort));
        }

        parts.AddRange(spec.Filters.Where(f => !string.IsNullOrWhiteSpace(f.Value))
            .Select(f => Uri.EscapeDataString($"filter[{f.Key}]") + "=" + Uri.EscapeDataString(f.Value)));
        parts.AddRange((extra ?? []).Where(e => !string.IsNullOrEmpty(e.Value)).Select(e => e.Key + "=" + Uri.EscapeDataString(e.Value!)));
        return string.Join('&', parts);
    }
}
