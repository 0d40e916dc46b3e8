using System.Globalization;

namespace SafetyWorkflows.Web.Localization;

/// <summary>
/// The words of the web UI in zh-CN (the default) and English. One table rather than .resx files: a clerk can read and
/// correct it, and a missing key shows itself as the key.
/// </summary>
public sealed class UiText
{
    private static readonly Dictionary<string, (string Zh, string En)> Texts = new(StringComparer.Ordinal)
    {
        ["AppName"] = ("安全生产文书流转", "SafetyWorkflows"),
        ["SignIn"] = ("登录", "Sign in"),
        ["SignOut"] = ("退出", "Sign out"),
        ["UserName"] = ("用户名", "User name"),
        ["Password"] = ("密码", "Password"),
        ["WrongCredentials"] = ("用户名或密码不正确", "Wrong user name or password"),
        ["Libraries"] = ("文档库", "Libraries"),
        ["Documents"] = ("文档", "Documents"),
        ["Upload"] = ("上传文档", "Upload"),
        ["Title"] = ("标题", "Title"),
        ["File"] = ("文件", "File"),
        ["Status"] = ("状态", "Status"),
        ["Version"] = ("版本", "Version"),
        ["Versions"] = ("版本历史", "Versions"),
        ["Unit"] = ("单位", "Unit"),
        ["AllUnits"] = ("全部单位", "All units"),
        ["AllStatuses"] = ("全部状态", "All statuses"),
        ["Search"] = ("搜索", "Search"),
        ["Filter"] = ("筛选", "Filter"),
        ["UpdatedAt"] = ("更新时间", "Updated"),
        ["CreatedBy"] = ("创建人", "Created by"),
        ["Comment"] = ("备注", "Comment"),
        ["Download"] = ("下载", "Download"),
        ["CheckOut"] = ("签出编辑", "Check out"),
        ["CheckIn"] = ("签入新版本", "Check in"),
        ["DiscardCheckOut"] = ("放弃签出", "Discard check-out"),
        ["Restore"] = ("恢复此版本", "Restore"),
        ["CheckedOutBy"] = ("签出人", "Checked out by"),
        ["NotCheckedOut"] = ("未签出", "Not checked out"),
        ["Metadata"] = ("元数据", "Metadata"),
        ["NoDocuments"] = ("暂无文档", "No documents yet"),
        ["Previous"] = ("上一页", "Previous"),
        ["Next"] = ("下一页", "Next"),
        ["Total"] = ("共 {0} 件", "{0} in all"),
        ["Choose"] = ("请选择", "Choose"),
        ["Save"] = ("保存", "Save"),
        ["Forbidden"] = ("无权访问", "Access denied"),
        ["ForbiddenText"] = ("您没有访问此页面的权限。", "You may not open this page."),
        ["Home"] = ("首页", "Home"),
        ["Language"] = ("English", "中文"),
        ["DocumentCount"] = ("{0} 件文档", "{0} documents"),
        ["Audit"] = ("审计记录", "Audit trail"),
        ["Actor"] = ("操作人", "By"),
        ["Action"] = ("操作", "Action"),
        ["At"] = ("时间", "When"),
        ["Summary"] = ("摘要", "Summary"),
        ["Status.Draft"] = ("草稿", "Draft"),
        ["Status.Pending"] = ("审批中", "Pending"),
        ["Status.Approved"] = ("已批准", "Approved"),
        ["Status.Rejected"] = ("已驳回", "Rejected"),
        ["Status.Published"] = ("已发布", "Published"),
        ["Status.Signed"] = ("已签订", "Signed"),
        ["Status.Closed"] = ("已销号", "Closed"),
        ["Status.Archived"] = ("已归档", "Archived"),
        ["Uploaded"] = ("上传成功", "Uploaded"),
        ["DemoHint"] = ("演示账号见 README", "Demo logins are listed in the README"),
        ["Inbox"] = ("待办事项", "Inbox"),
        ["Todo"] = ("待办", "To do"),
        ["Done"] = ("已办", "Done"),
        ["Step"] = ("环节", "Step"),
        ["Due"] = ("期限", "Due"),
        ["Overdue"] = ("已超期", "Overdue"),
        ["Opinion"] = ("意见", "Opinion"),
        ["OpinionHint"] = ("请填写审批意见（不同意、退回时必填）", "Your opinion (required to reject or send back)"),
        ["Decide"] = ("办理", "Decide"),
        ["BulkApprove"] = ("批量同意", "Approve selected"),
        ["NoTasks"] = ("暂无待办", "Nothing waiting for you"),
        ["NoDoneTasks"] = ("暂无已办", "Nothing done yet"),
        ["Trail"] = ("流程轨迹", "Trail"),
        ["Submit"] = ("提交审批", "Submit for approval"),
        ["Withdraw"] = ("撤回", "Withdraw"),
        ["Assignee"] = ("办理人", "Assignee"),
        ["Result"] = ("结果", "Result"),
        ["ToUser"] = ("转交给", "Hand to"),
        ["Kind"] = ("类型", "Kind"),
        ["AllKinds"] = ("全部类型", "All kinds"),
        ["Kind.Approval"] = ("审批", "Approval"),
        ["Kind.Signature"] = ("签字", "Signature"),
        ["Kind.Submission"] = ("报送", "Submission"),
        ["Action.approve"] = ("同意", "Approve"),
        ["Action.reject"] = ("不同意", "Reject"),
        ["Action.sendBack"] = ("退回", "Send back"),
        ["Action.reassign"] = ("转办", "Reassign"),
        ["Action.addApprover"] = ("加签", "Add approver"),
        ["Action.delegate"] = ("委托", "Delegate"),
        ["Action.copy"] = ("抄送", "Copy for information"),
        ["Action.sign"] = ("签字", "Sign"),
        ["Action.refuse"] = ("拒签", "Refuse to sign"),
        ["Action.submit"] = ("报送", "Submit"),
        ["TaskStatus.Open"] = ("待办", "Open"),
        ["TaskStatus.Completed"] = ("已办结", "Completed"),
        ["TaskStatus.Cancelled"] = ("已取消", "Cancelled"),
        ["Decided"] = ("已提交办理结果", "Your decision was recorded"),
    };

    public static bool IsEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public string this[string key] => Texts.TryGetValue(key, out var text) ? (IsEnglish ? text.En : text.Zh) : key;

    public string Format(string key, params object[] args) => string.Format(CultureInfo.CurrentCulture, this[key], args);

    /// <summary>Picks the Chinese or English name of a thing that has both.</summary>
    public static string Pick(string zh, string? en) => IsEnglish && !string.IsNullOrEmpty(en) ? en : zh;
}
