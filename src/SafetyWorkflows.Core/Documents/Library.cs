using SafetyWorkflows.Core.Common;

namespace SafetyWorkflows.Core.Documents;

public enum ColumnType
{
    Text,
    Integer,
    Date,
    Choice,
    Unit,
    User,
}

/// <summary>A typed metadata column of a library. <see cref="Options"/> lists the allowed values of a choice column.</summary>
public sealed record LibraryColumn(
    string Key,
    string Name,
    string NameEn,
    ColumnType Type,
    bool Required,
    IReadOnlyList<string>? Options = null,
    int MaxLength = 500);

/// <summary>A document library: one per document kind, with its columns. <see cref="UnitColumn"/> names the column that
/// decides which unit a document belongs to (and so who may see it).</summary>
public sealed record Library(string Key, string Name, string NameEn, string UnitColumn, IReadOnlyList<LibraryColumn> Columns)
{
    public LibraryColumn? FindColumn(string key) => Columns.FirstOrDefault(c => c.Key == key);
}

/// <summary>The three libraries of the township's plan. Their keys are a contract (API paths, workflow inputs).</summary>
public static class Libraries
{
    public const string ResponsibilityLetters = "responsibility-letters";
    public const string EmergencyPlans = "emergency-plans";
    public const string RectificationOrders = "rectification-orders";

    public static readonly Library ResponsibilityLetter = new(
        ResponsibilityLetters,
        "安全生产责任书",
        "Responsibility letters",
        "counterpartyUnit",
        [
            new("counterpartyUnit", "签订单位", "Counterparty unit", ColumnType.Unit, true),
            new("year", "年度", "Year", ColumnType.Integer, true),
            new("counterpartyKind", "单位类别", "Counterparty kind", ColumnType.Choice, true,
                ["部门站所", "村(社区)", "学校", "幼儿园", "重点企业", "重点单位"]),
        ]);

    public static readonly Library EmergencyPlan = new(
        EmergencyPlans,
        "应急预案",
        "Emergency plans",
        "ownerUnit",
        [
            new("ownerUnit", "编制单位", "Owner unit", ColumnType.Unit, true),
            new("planType", "预案类型", "Plan type", ColumnType.Choice, true, ["综合应急预案", "专项应急预案", "现场处置方案"]),
            new("riskClass", "风险等级", "Risk class", ColumnType.Choice, true, ["高风险", "中风险", "低风险"]),
            new("publishedOn", "公布日期", "Published on", ColumnType.Date, false),
            new("lastDrill", "最近演练", "Last drill", ColumnType.Date, false),
            new("nextEvaluationDue", "下次评估", "Next evaluation due", ColumnType.Date, false),
        ]);

    public static readonly Library RectificationOrder = new(
        RectificationOrders,
        "隐患整改通知",
        "Rectification orders",
        "inspectedUnit",
        [
            new("inspectedUnit", "被检查单位", "Inspected unit", ColumnType.Unit, true),
            new("hazardDescription", "隐患描述", "Hazard description", ColumnType.Text, true, MaxLength: 2000),
            new("location", "隐患部位", "Location", ColumnType.Text, true),
            new("grade", "隐患等级", "Grade", ColumnType.Choice, true, ["一般", "重大"]),
            new("legalBasis", "依据", "Legal basis", ColumnType.Text, false, MaxLength: 1000),
            new("deadline", "整改期限", "Deadline", ColumnType.Date, true),
            new("inspector", "检查人", "Inspector", ColumnType.User, false),
        ]);

    public static readonly IReadOnlyList<Library> All = [ResponsibilityLetter, EmergencyPlan, RectificationOrder];

    public static Library? Find(string key) => All.FirstOrDefault(l => l.Key == key);

    /// <summary>The error for a library key that is not one of ours: bad input naming the field, not a missing resource.</summary>
    public static InputValidationException Unknown(string key) => new("library",
        $"文档库“{key}”不存在，可用: {string.Join(", ", All.Select(l => l.Key))} (unknown library '{key}').");
}
