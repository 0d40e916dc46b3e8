namespace SafetyWorkflows.Core.Organisation;

public enum UnitKind
{
    Government,
    Department,
    Community,
    Village,
    School,
    Kindergarten,
    Enterprise,

    /// <summary>Outside the township's organisation, e.g. the county's 专家库 the experts are drawn from.</summary>
    External,
}

/// <summary>An organisation: the town government, a department, a village, a school or an enterprise. Its id is a stable code.</summary>
public sealed class Unit
{
    private Unit()
    {
    }

    public Unit(string id, string name, string? nameEn, UnitKind kind, string? parentId, string? sector)
    {
        Id = id;
        Update(name, nameEn, kind, parentId, sector);
    }

    public string Id { get; private set; } = "";

    public string Name { get; private set; } = "";

    public string? NameEn { get; private set; }

    public UnitKind Kind { get; private set; }

    public string? ParentId { get; private set; }

    /// <summary>For enterprises: the plan's sector (危化品, 烟花爆竹, 非煤矿山, 建筑施工, 旅游景区, 油库).</summary>
    public string? Sector { get; private set; }

    public void Update(string name, string? nameEn, UnitKind kind, string? parentId, string? sector)
    {
        Name = name;
        NameEn = nameEn;
        Kind = kind;
        ParentId = parentId;
        Sector = sector;
    }
}
