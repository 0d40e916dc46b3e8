using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.Core.Board;

/// <summary>Where an inspected unit sits: its village (社区) and its industry (行业领域), in both languages.</summary>
public sealed record HazardPlace(string UnitId, string Unit, string UnitEn, string VillageId, string Village, string VillageEn, string Industry, string IndustryEn);

/// <summary>
/// The board's places. A unit's village is the nearest village or community up its parent chain (a village's own orders
/// are its own); units under the town directly (departments, the town itself) sit under 镇直单位. A unit's industry is
/// its sector (enterprises), else its kind (学校, 村(社区), 机关站所).
/// </summary>
public sealed class HazardPlaces
{
    /// <summary>The village key of units that belong to no village.</summary>
    public const string Township = "township";

    private static readonly Dictionary<string, string> IndustryEn = new(StringComparer.Ordinal)
    {
        ["危化品"] = "Hazardous chemicals",
        ["烟花爆竹"] = "Fireworks",
        ["非煤矿山"] = "Non-coal mines",
        ["建筑施工"] = "Construction",
        ["旅游景区"] = "Scenic areas",
        ["油库"] = "Oil depots",
        ["学校"] = "Schools",
        ["村(社区)"] = "Villages and communities",
        ["机关站所"] = "Town offices",
        ["其他"] = "Other",
    };

    private readonly Dictionary<string, Unit> _units;
    private readonly Dictionary<string, HazardPlace> _places = new(StringComparer.Ordinal);

    public HazardPlaces(IEnumerable<Unit> units)
    {
        _units = units.ToDictionary(u => u.Id, StringComparer.Ordinal);
    }

    public HazardPlace Of(string unitId)
    {
        if (_places.TryGetValue(unitId, out var known))
        {
            return known;
        }

        _units.TryGetValue(unitId, out var unit);
        var village = VillageOf(unit);
        var industry = IndustryOf(unit);
        var place = new HazardPlace(
            unitId, unit?.Name ?? unitId, unit?.NameEn ?? unit?.Name ?? unitId,
            village?.Id ?? Township, village?.Name ?? "镇直单位", village is null ? "Township offices" : village.NameEn ?? village.Name,
            industry, IndustryEn.GetValueOrDefault(industry, industry));
        _places[unitId] = place;
        return place;
    }

    /// <summary>
    /// The units whose orders the caller may see on the board, or null for every unit. Township-wide roles see all (as in
    /// <see cref="DocumentAccess.SeesAll"/>); a village head sees their village and every unit in it; a unit principal sees
    /// their own unit (<see cref="DocumentAccess.CanSee"/>). Anyone else may not open the board.
    /// </summary>
    public IReadOnlySet<string>? VisibleUnits(Actor actor)
    {
        if (DocumentAccess.SeesAll(actor, Libraries.RectificationOrders))
        {
            return null;
        }

        if (actor.UnitId is { } own && actor.HasRole(Roles.VillageHead))
        {
            var units = _units.Keys.Where(id => id == own || VillageOf(_units[id])?.Id == own).ToHashSet(StringComparer.Ordinal);
            units.Add(own);
            return units;
        }

        if (actor.UnitId is { } unit && actor.HasRole(Roles.UnitPrincipal))
        {
            return new HashSet<string>(StringComparer.Ordinal) { unit };
        }

        throw new ForbiddenException("隐患台账仅对镇领导、安办、检查员、村(社区)负责人和单位负责人开放 (the hazard board is for leaders, the safety office, inspectors, village heads and unit principals).");
    }

    /// <summary>Whether the caller may open the board at all (the nav link, the page).</summary>
    public static bool MayOpen(Actor actor) =>
        DocumentAccess.SeesAll(actor, Libraries.RectificationOrders)
        || (actor.UnitId is not null && (actor.HasRole(Roles.VillageHead) || actor.HasRole(Roles.UnitPrincipal)));

    private Unit? VillageOf(Unit? unit)
    {
        for (var hops = 0; unit is not null && hops < 16; hops++)
        {
            if (unit.Kind is UnitKind.Village or UnitKind.Community)
            {
                return unit;
            }

            unit = unit.ParentId is { } parent ? _units.GetValueOrDefault(parent) : null;
        }

        return null;
    }

    private static string IndustryOf(Unit? unit) => unit switch
    {
        { Sector: { Length: > 0 } sector } => sector,
        { Kind: UnitKind.School or UnitKind.Kindergarten } => "学校",
        { Kind: UnitKind.Village or UnitKind.Community } => "村(社区)",
        { Kind: UnitKind.Government or UnitKind.Department } => "机关站所",
        _ => "其他",
    };
}
