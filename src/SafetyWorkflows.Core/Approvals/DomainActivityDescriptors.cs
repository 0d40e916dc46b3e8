using System.Text.Json.Nodes;

namespace SafetyWorkflows.Core.Approvals;

/// <summary>Elsa-shaped descriptors of our domain activities, so the Studio shows them in the toolbox under 安全生产.</summary>
internal static class DomainActivityDescriptors
{
    public const string Category = "安全生产";

    public static JsonObject RequestApproval() => Activity(
        Approvals.RequestApproval.ApprovalType, "RequestApproval", "请求审批", "Request approval",
        "向办理人发起审批（顺序会签、会签、或签、M 选 N），按结果走出不同分支。",
        [
            Input("Step", "String", "步骤名称", "Step", "singleline", 0),
            Input("Assignees", "List<String>", "办理人", "Role keys, unit ids or user names", "multitext", 1),
            Dropdown("Mode", "办理方式", 2, "FirstResponse", ["Serial", "AllMustApprove", "FirstResponse", "Quorum"]),
            Input("Quorum", "Int32", "最少同意人数", "M of N", "singleline", 3),
            Input("Due", "String", "办理期限", "ISO-8601 duration (P3D) or working days (5WD, 5个工作日)", "singleline", 4),
            Input("Outcomes", "List<String>", "其他结果", "Custom outcomes", "dynamic-outcomes", 5),
            .. ClockInputs(6),
        ],
        ["Approved", "Rejected", "SentBack", "TimedOut"]);

    public static JsonObject RequestSignature() => Activity(
        Approvals.RequestApproval.SignatureType, "RequestSignature", "请求签字", "Request signature",
        "由单位主要负责人签字；拒签同样留痕（谁检查谁签字）。",
        [
            Input("Step", "String", "步骤名称", "Step", "singleline", 0),
            Input("Assignees", "List<String>", "签字人", "Role keys, unit ids or user names", "multitext", 1),
            Dropdown("Mode", "办理方式", 2, "FirstResponse", ["Serial", "AllMustApprove", "FirstResponse", "Quorum"]),
            Input("Due", "String", "办理期限", "ISO-8601 duration (P3D) or working days (5WD, 5个工作日)", "singleline", 3),
            .. ClockInputs(4),
        ],
        ["Signed", "Refused", "TimedOut"]);

    public static JsonObject RequestSubmission() => Activity(
        Approvals.RequestApproval.SubmissionType, "RequestSubmission", "请求报送材料", "Request submission",
        "单位在期限内上传整改方案、证据照片或修订后的预案并报送。",
        [
            Input("Step", "String", "步骤名称", "Step", "singleline", 0),
            Input("Assignees", "List<String>", "报送单位/人", "Role keys, unit ids or user names", "multitext", 1),
            Input("Due", "String", "报送期限", "ISO-8601 duration (P20D) or working days (20WD, 20个工作日)", "singleline", 2),
            .. ClockInputs(3),
        ],
        ["Submitted", "TimedOut"]);

    public static JsonObject Notify()
    {
        var descriptor = Activity(
            Notifications.Notify.TypeName, "Notify", "发送通知", "Notify",
            "向人员或角色发送通知（写入发件箱，与流程同一事务）；标题和正文可用 Liquid 模板。",
            [
                Input("Recipients", "List<String>", "接收人", "Role keys, unit ids or user names", "multitext", 0),
                Input("Subject", "String", "标题", "Subject", "singleline", 1),
                Input("Body", "String", "正文", "Body (Liquid)", "multiline", 2),
            ],
            []);
        descriptor["kind"] = "Action";
        descriptor["outputs"] = new JsonArray(Output("Result", "接收人数"));
        return descriptor;
    }

    public static JsonObject SetDocumentStatus() => Activity(
        Approvals.SetDocumentStatus.TypeName, "SetDocumentStatus", "设置文档状态", "Set document status",
        "通过文档自身的状态规则改变状态；审批通过时生成下一个主版本。",
        [Dropdown("Status", "状态", 0, "Approved", ["Draft", "Pending", "Approved", "Rejected", "Published", "Signed", "Closed", "Archived"])],
        []);

    /// <summary>The reminder (催办) and escalation (督办) inputs every task activity has (see <see cref="TaskClocks"/>).</summary>
    private static JsonObject[] ClockInputs(int order) =>
    [
        Input("Reminders", "List<String>", "到期前催办", "Offsets before the deadline (1WD, P2D, PT4H)", "multitext", order),
        Input("RemindAtDue", "Boolean", "到期时催办", "Remind at the deadline", "checkbox", order + 1),
        Input("Escalations", "List<String>", "超期督办", "One rung per line: offset: assignees (1WD: leader-in-charge)", "multitext", order + 2),
        Input("Timeout", "String", "超时结束", "When the step ends through TimedOut, after the deadline (P0D, 5WD, never)", "singleline", order + 3),
        Input("ProgressReports", "String", "挂牌督办进展报告周期", "Ask for a progress report every period while open (P7D, 5WD)", "singleline", order + 4),
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
        ["defaultSyntax"] = null,
        ["isReadOnly"] = false,
        ["isBrowsable"] = true,
        ["isSerializable"] = true,
        ["isSynthetic"] = false,
        ["isSensitive"] = false,
        ["autoEvaluate"] = true,
        ["storageDriverType"] = null,
        ["uiSpecifications"] = null,
    };

    private static JsonObject Dropdown(string name, string displayName, int order, string defaultValue, string[] options)
    {
        var input = Input(name, "String", displayName, displayName, "dropdown", order);
        input["defaultValue"] = defaultValue;
        input["uiSpecifications"] = new JsonObject
        {
            ["dropdown"] = new JsonObject
            {
                ["selectList"] = new JsonObject
                {
                    ["items"] = new JsonArray(options.Select(o => (JsonNode)new JsonObject { ["text"] = o, ["value"] = o }).ToArray()),
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
