using System.Text.Json.Nodes;
using SafetyWorkflows.Core.Documents;

namespace SafetyWorkflows.Core.Approvals;

/// <summary>
/// Elsa-shaped descriptors of our domain activities, so that Elsa Studio lists them in its toolbox under 安全生产 with
/// Chinese names, proper editors and a port per outcome. The assignee pickers are filled from the organisation when the
/// Studio asks for descriptors (<see cref="DesignerChoices"/>).
/// </summary>
public static class DomainActivityDescriptors
{
    public const string Category = "安全生产";

    /// <summary>Marks an input whose check list <see cref="DesignerChoices"/> fills with roles, units and officials.</summary>
    public const string AssigneePicker = "assigneePicker";

    private static readonly (string Value, string Text)[] Modes =
    [
        (nameof(ApprovalMode.Serial), "顺序会签（依次办理）"),
        (nameof(ApprovalMode.AllMustApprove), "会签（全部同意）"),
        (nameof(ApprovalMode.FirstResponse), "或签（一人办理即可）"),
        (nameof(ApprovalMode.Quorum), "M 选 N（达到最少同意人数）"),
    ];

    private const string DueHelp = "ISO-8601 时长（P3D 为 3 天，PT4H 为 4 小时）、工作日（5WD、5个工作日，按法定节假日顺延）、自然日（10天）、"
        + "quarter+15（季后次月 15 日）或日期（2026-04-03）；留空为不限期。"
        + " (an ISO-8601 duration, working days on the official calendar, calendar days, quarter+15 or a date)";

    public static JsonObject RequestApproval() => Activity(
        Approvals.RequestApproval.ApprovalType, "RequestApproval", "请求审批", "Request approval",
        "向办理人发起审批（顺序会签、会签、或签、M 选 N），按结果走出不同分支：同意、不同意、退回、超期，以及自定义结果。",
        [
            Input("Step", "String", "步骤名称", "在待办和流程轨迹中显示的环节名称。", "singleline", 0),
            Assignees("办理人", "按角色、单位（其主要负责人）或人员指定；顺序会签按勾选顺序依次办理。提交人本人不会成为办理人。", 1),
            Dropdown("Mode", "办理方式", "多人办理时如何得出结果。", 2, nameof(ApprovalMode.FirstResponse), Modes),
            Input("Quorum", "Int32", "最少同意人数", "办理方式为“M 选 N”时，达到这个同意人数即通过。", "singleline", 3),
            Input("Due", "String", "办理期限", DueHelp, "singleline", 4),
            Outcomes(5, "Approved", "Rejected", "SentBack", "TimedOut"),
            .. ClockInputs(6),
        ],
        ["Approved", "Rejected", "SentBack", "TimedOut"]);

    public static JsonObject RequestSignature() => Activity(
        Approvals.RequestApproval.SignatureType, "RequestSignature", "请求签字", "Request signature",
        "由单位主要负责人签字；拒签同样留痕（谁检查谁签字）。结果：已签字、拒签、超期。",
        [
            Input("Step", "String", "步骤名称", "在待办和流程轨迹中显示的环节名称。", "singleline", 0),
            Assignees("签字人", "按角色、单位（其主要负责人）或人员指定。", 1),
            Dropdown("Mode", "办理方式", "多人签字时如何得出结果。", 2, nameof(ApprovalMode.FirstResponse), Modes),
            Input("Due", "String", "签字期限", DueHelp, "singleline", 3),
            .. ClockInputs(4),
        ],
        ["Signed", "Refused", "TimedOut"]);

    public static JsonObject RequestSubmission() => Activity(
        Approvals.RequestApproval.SubmissionType, "RequestSubmission", "请求报送材料", "Request submission",
        "单位在期限内上传整改方案、证据照片或修订后的预案并报送。结果：已报送、超期。",
        [
            Input("Step", "String", "步骤名称", "在待办和流程轨迹中显示的环节名称。", "singleline", 0),
            Assignees("报送单位/人", "按角色、单位（其主要负责人）或人员指定。", 1),
            Input("Due", "String", "报送期限", DueHelp, "singleline", 2),
            .. ClockInputs(3),
        ],
        ["Submitted", "TimedOut"]);

    public static JsonObject Notify()
    {
        var descriptor = Activity(
            Notifications.Notify.TypeName, "Notify", "发送通知", "Notify",
            "向人员或角色发送通知（写入发件箱，与流程同一事务）；标题和正文可用 Liquid 模板。",
            [
                Assignees("接收人", "按角色、单位（其主要负责人）或人员指定。", 0, "Recipients"),
                Input("Subject", "String", "标题", "通知标题，可用 Liquid 模板。", "singleline", 1),
                Input("Body", "String", "正文", "通知正文，可用 Liquid 模板，例如 {{ Input.documentId }}。", "multiline", 2),
            ],
            []);
        descriptor["kind"] = "Action";
        descriptor["outputs"] = new JsonArray(Output("Result", "接收人数"));
        return descriptor;
    }

    public static JsonObject SetDocumentStatus() => Activity(
        Approvals.SetDocumentStatus.TypeName, "SetDocumentStatus", "设置文档状态", "Set document status",
        "通过文档自身的状态规则改变状态；审批通过时生成下一个主版本。",
        [
            Dropdown("Status", "状态", "文档要进入的状态；不合规则的状态变化会使流程出错，而不是静默写入。留空则只设置阶段。", 0, "Approved",
            [
                ("", "（不变）"), ("Draft", "草稿"), ("Pending", "审批中"), ("Approved", "已批准"), ("Rejected", "已驳回"),
                ("Published", "已发布"), ("Signed", "已签订"), ("Closed", "已销号"), ("Archived", "已归档"),
            ]),
            Dropdown("Stage", "阶段", "文档库自己的阶段（整改中、待复查、已备案……），显示给办事人员；留空则按状态显示，状态再次变化时清除。", 1, "",
            [
                ("", "（按状态）"), (DocumentStages.Issued, "已下达"), (DocumentStages.Rectifying, "整改中"),
                (DocumentStages.Reinspection, "待复查"), (DocumentStages.Closed, "已销号"), (DocumentStages.Published, "已公布"),
                (DocumentStages.Filed, "已备案"), (DocumentStages.Signed, "已签订"), (DocumentStages.Pending, "审批中"),
                (DocumentStages.Rejected, "已驳回"),
            ]),
        ],
        []);

    /// <summary>The reminder (催办) and escalation (督办) inputs every task activity has (see <see cref="TaskClocks"/>).</summary>
    private static JsonObject[] ClockInputs(int order) =>
    [
        Input("Reminders", "List<String>", "到期前催办", "期限前多久向办理人催办，每行一个（1WD、P2D、PT4H）。 (offsets before the deadline)", "multitext", order),
        Input("RemindAtDue", "Boolean", "到期时催办", "到期时再催办一次（本步骤到期即结束时不催）。 (remind at the deadline)", "checkbox", order + 1),
        Input("Escalations", "List<String>", "超期督办", "超期后逐级督办，每行“超期时长: 督办对象”，如 1WD: leader-in-charge、3WD: party-secretary, mayor。 (the escalation ladder)", "multitext", order + 2),
        Input("Timeout", "String", "超时结束", "到期后多久经“超期”(TimedOut)结束本步骤：P0D 到期即结束，5WD；留空或 never 为不因超期结束（只催办、督办）。填写时必须连接“超期”端口。 (when the step times out; empty: never)", "singleline", order + 3),
        Input("ProgressReports", "String", "挂牌督办进展报告周期", "挂牌督办期间每隔多久要求报送整改进展（P7D、5WD）；留空为不要求。 (progress report period)", "singleline", order + 4),
    ];

    private static JsonObject Activity(string typeName, string name, string displayName, string nameEn, string description, JsonObject[] inputs, string[] ports) => new()
    {
        ["typeName"] = typeName,
        ["namespace"] = "SafetyWorkflows",
        ["name"] = name,
        ["version"] = 1,
        ["category"] = Category,
        ["displayName"] = displayName,
        ["description"] = $"{description} ({nameEn})",
        ["kind"] = "Task",
        ["isBrowsable"] = true,
        ["isContainer"] = false,
        ["isStart"] = false,
        ["isTerminal"] = false,
        ["runAsynchronously"] = false,
        ["customProperties"] = new JsonObject(),
        ["constructionProperties"] = new JsonObject(),
        ["inputs"] = new JsonArray(inputs.Select(i => (JsonNode)i).ToArray()),
        ["outputs"] = new JsonArray(
            Output("Decision", "决定"), Output("Opinion", "意见"), Output("DecidedBy", "办理人")),
        ["ports"] = new JsonArray(ports.Select(p => (JsonNode)new JsonObject
        {
            ["name"] = p,
            ["displayName"] = p,
            ["type"] = "Flow",
            ["isBrowsable"] = true,
        }).ToArray()),
    };

    private static JsonObject Input(string name, string typeName, string displayName, string description, string uiHint, int order) => new()
    {
        ["name"] = name,
        ["typeName"] = typeName,
        ["displayName"] = displayName,
        ["description"] = description,
        ["category"] = null,
        ["order"] = order,
        ["isWrapped"] = true,
        ["uiHint"] = uiHint,
        ["defaultValue"] = null,
        ["defaultSyntax"] = "Literal",
        ["isReadOnly"] = false,
        ["isBrowsable"] = true,
        ["isSerializable"] = true,
        ["isSynthetic"] = false,
        ["isSensitive"] = false,
        ["autoEvaluate"] = true,
        ["storageDriverType"] = null,
        ["uiSpecifications"] = null,
    };

    /// <summary>A check list of roles, units and officials (filled per request); the Studio stores the ticked values as an Object expression holding a JSON array.</summary>
    private static JsonObject Assignees(string displayName, string description, int order, string name = "Assignees")
    {
        var input = Input(name, "List<String>", displayName, description, "checklist", order);
        input["defaultSyntax"] = "Object";
        input["uiSpecifications"] = new JsonObject
        {
            ["checklist"] = new JsonObject { ["checkList"] = new JsonObject { ["items"] = new JsonArray(), ["isFlagsEnum"] = false } },
            [AssigneePicker] = true,
        };
        return input;
    }

    /// <summary>
    /// Custom outcomes (for example <c>SentBack:review</c>, a send-back to an earlier step). The Studio's dynamic-outcomes
    /// port provider then draws a port per custom outcome plus the fixed ones, so the fixed ones are listed here too.
    /// </summary>
    private static JsonObject Outcomes(int order, params string[] fixedOutcomes)
    {
        var input = Input("Outcomes", "List<String>", "自定义结果", "除固定结果外的其他出口，例如 SentBack:review（退回到指定环节）；每个结果在设计器中成为一个端口。", "dynamic-outcomes", order);
        input["defaultSyntax"] = "Object";
        input["uiSpecifications"] = new JsonObject
        {
            ["DynamicOutcomesOptions"] = new JsonObject { ["fixedOutcomes"] = new JsonArray(fixedOutcomes.Select(o => (JsonNode)JsonValue.Create(o)!).ToArray()) },
        };
        return input;
    }

    private static JsonObject Dropdown(string name, string displayName, string description, int order, string defaultValue, (string Value, string Text)[] options)
    {
        var input = Input(name, "String", displayName, description, "dropdown", order);
        input["defaultValue"] = defaultValue;
        input["uiSpecifications"] = new JsonObject
        {
            ["dropdown"] = new JsonObject
            {
                ["selectList"] = new JsonObject
                {
                    ["items"] = new JsonArray(options.Select(o => (JsonNode)new JsonObject { ["text"] = o.Text, ["value"] = o.Value }).ToArray()),
                    ["isFlagsEnum"] = false,
                },
            },
        };
        return input;
    }

    private static JsonObject Output(string name, string displayName) => new()
    {
        ["name"] = name,
        ["typeName"] = "String",
        ["displayName"] = displayName,
        ["description"] = null,
        ["order"] = 0,
        ["isBrowsable"] = true,
        ["isSerializable"] = true,
        ["isSynthetic"] = false,
    };
}
