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
        ["CheckOut"] = ("锁定修改", "Lock to edit"),
        ["CheckIn"] = ("上传修改稿", "Upload the new version"),
        ["DiscardCheckOut"] = ("取消锁定", "Unlock without changes"),
        ["Revise"] = ("修订", "Revise"),
        ["Locked"] = ("已定稿，如需修改请点“修订”", "Final: press Revise to change it"),
        ["RevisionOf"] = ("修订自", "Revision of"),
        ["Revisions"] = ("修订稿", "Revisions"),
        ["Restore"] = ("恢复此版本", "Restore"),
        ["EditState"] = ("修改状态", "Editing"),
        ["BeingEditedBy"] = ("{0} 正在修改", "Being edited by {0}"),
        ["NotCheckedOut"] = ("草稿，可锁定后修改", "Draft: lock it to edit"),
        ["Metadata"] = ("基本信息", "Details"),
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
        ["Status.Published"] = ("已公布", "Published"),
        ["Status.Signed"] = ("已签订", "Signed"),
        ["Status.Closed"] = ("已销号", "Closed"),
        ["Status.Archived"] = ("已归档", "Archived"),
        ["Uploaded"] = ("上传成功", "Uploaded"),
        ["ChangePassword"] = ("修改密码", "Change password"),
        ["CurrentPassword"] = ("当前密码", "Current password"),
        ["NewPassword"] = ("新密码", "New password"),
        ["ConfirmPassword"] = ("再次输入新密码", "New password again"),
        ["PasswordRule"] = ("至少 {0} 位，包含小写字母、大写字母、数字、符号中的至少 {1} 种，不含用户名。", "At least {0} characters mixing at least {1} of lower case, upper case, digits and symbols, without the user name."),
        ["PasswordChanged"] = ("密码已修改。您在其他设备上的登录已全部失效。", "Your password is changed. You are signed out everywhere else."),
        ["MustChangePassword"] = ("管理员已重置您的密码，请先设置新密码再继续。", "Your password was reset: choose a new one to go on."),
        ["PasswordChangeEndsSessions"] = ("修改密码后，您在所有设备上的登录（包括接口令牌）都会失效。", "Changing the password ends every session you have, API tokens included."),
        ["Accounts"] = ("账号管理", "Accounts"),
        ["Accounts.Intro"] = ("停用或启用账号、重置密码、调整角色、强制退出登录、解除登录锁定。每项操作都记入审计。", "Deactivate or activate accounts, reset passwords, change roles, end sessions and lift lock-outs. Every act is audited."),
        ["Account.Active"] = ("正常", "Active"),
        ["Account.Inactive"] = ("已停用", "Deactivated"),
        ["Account.LockedUntil"] = ("已锁定至 {0}", "Locked until {0}"),
        ["Account.MustChange"] = ("须修改密码", "Must change password"),
        ["Account.Sessions"] = ("在线登录 {0} 处", "{0} open sessions"),
        ["Account.LastSignIn"] = ("最近登录 {0}", "last signed in {0}"),
        ["Account.Self"] = ("这是您自己的账号：停用、重置、角色调整须由另一位安全管理员办理。", "This is your own account: another security administrator deactivates, resets or changes it."),
        ["Account.Deactivate"] = ("停用", "Deactivate"),
        ["Account.Activate"] = ("启用", "Activate"),
        ["Account.ResetPassword"] = ("重置密码", "Reset password"),
        ["Account.SignOut"] = ("强制退出登录", "End all sessions"),
        ["Account.Unlock"] = ("解除锁定", "Lift lock-out"),
        ["Account.EditRoles"] = ("调整角色", "Change roles"),
        ["Account.Deactivated"] = ("已停用{0}的账号，其全部登录已失效。", "{0}'s account is deactivated; every session has ended."),
        ["Account.Activated"] = ("已启用{0}的账号。", "{0}'s account is active again."),
        ["Account.SignedOut"] = ("已让{0}退出全部登录。", "Every session of {0} has ended."),
        ["Account.Unlocked"] = ("已解除{0}的登录锁定。", "{0} may sign in again."),
        ["Account.RolesSaved"] = ("已保存{0}的角色，下次登录生效。", "{0}'s roles are saved; they apply from the next sign-in."),
        ["Account.Reset"] = ("已为{0}设置临时密码，下次登录时须修改。", "A temporary password is set for {0}; it must be changed at the next sign-in."),
        ["Account.TemporaryIs"] = ("{0}的临时密码（只显示这一次，请当面或电话告知）：", "Temporary password for {0} (shown only now; tell them in person or by phone):"),
        ["AuditLog"] = ("审计日志", "Audit log"),
        ["AuditLog.Intro"] = ("全部操作记录，按时间倒序；每条记录都与前一条以哈希相连，任何改动都能被校验发现。查阅与校验本身也记入审计。", "Every recorded act, newest first; each entry is chained to the one before by its hash, so any change is found by the check. Reading and checking are audited too."),
        ["AuditLog.Everyone"] = ("全部人员", "Everyone"),
        ["AuditLog.Kind"] = ("操作类别", "Kind of act"),
        ["AuditLog.AllKinds"] = ("全部类别", "All kinds"),
        ["AuditLog.Verify"] = ("校验审计链", "Check the chain"),
        ["AuditLog.Intact"] = ("审计链完好：共 {0} 条记录，逐条核对无误。", "The chain is intact: {0} entries, each one matches."),
        ["AuditLog.Broken"] = ("审计链从第 {0} 条起不符，记录可能被改动。", "The chain breaks at entry {0}: records may have been changed."),
        ["AuditLog.None"] = ("没有符合条件的记录。", "No entries match."),
        ["DemoHint"] = ("演示账号见 README", "Demo logins are listed in the README"),
        ["Inbox"] = ("待办事项", "Inbox"),
        ["Todo"] = ("待办", "To do"),
        ["Done"] = ("已办", "Done"),
        ["Step"] = ("环节", "Step"),
        ["Due"] = ("期限", "Due"),
        ["AssignmentNote"] = ("指派说明", "Assignment note"),
        ["Clocks"] = ("期限与定时", "Clocks"),
        ["Clocks.Intro"] = ("所有待触发的办理期限、催办、督办、流程定时器和周期任务，以及产生它们的规则。", "Every pending deadline, reminder, escalation, workflow timer and recurring job, with the rule that created it."),
        ["Clocks.None"] = ("暂无待触发的期限。", "Nothing is pending."),
        ["Clocks.Pending"] = ("期限与提醒", "Deadlines and reminders"),
        ["Hangfire"] = ("定时任务后台", "Job dashboard"),
        ["Clock.At"] = ("时间", "When"),
        ["Clock.Kind"] = ("类型", "Kind"),
        ["Clock.Rule"] = ("规则", "Rule"),
        ["Clock.Subject"] = ("事项", "For"),
        ["Clock.Deadline"] = ("办理期限", "Deadline"),
        ["Clock.Reminder"] = ("催办", "Reminder"),
        ["Clock.Escalation"] = ("督办", "Escalation"),
        ["Clock.ProgressReport"] = ("挂牌督办进展报告", "Progress report"),
        ["Clock.StepTimeout"] = ("超时结束", "Step time-out"),
        ["Clock.WorkflowTimer"] = ("流程定时器", "Workflow timer"),
        ["Clock.TimerTrigger"] = ("定时启动", "Timer trigger"),
        ["Clock.Recurring"] = ("周期任务", "Recurring job"),
        ["Next.Reminder"] = ("下次催办", "Next reminder"),
        ["Next.Escalation"] = ("下次督办", "Next escalation"),
        ["Next.ProgressReport"] = ("下次进展报告", "Next progress report"),
        ["Next.StepTimeout"] = ("超时结束", "Times out"),
        ["Overdue"] = ("已超期", "Overdue"),
        ["Opinion"] = ("意见", "Opinion"),
        ["OpinionHint"] = ("不同意、拒签、退回时须写明理由", "A reason is required to reject, refuse or send back"),
        ["Decide"] = ("办理", "Decide"),
        ["BulkApprove"] = ("批量同意", "Approve selected"),
        ["NoTasks"] = ("暂无待办", "Nothing waiting for you"),
        ["NoDoneTasks"] = ("暂无已办", "Nothing done yet"),
        ["Trail"] = ("流程轨迹", "Trail"),
        ["Submit"] = ("提交审批", "Submit for approval"),
        ["Withdraw"] = ("撤回", "Withdraw"),
        ["Assignee"] = ("办理人", "Assignee"),
        ["Result"] = ("结果", "Result"),
        ["ToUser"] = ("交给", "To"),
        ["Kind"] = ("类型", "Kind"),
        ["AllKinds"] = ("全部类型", "All kinds"),
        ["Kind.Approval"] = ("审批", "Approval"),
        ["Kind.Signature"] = ("签字", "Signature"),
        ["Kind.Submission"] = ("报送", "Submission"),
        ["Kind.Incident"] = ("流程异常", "Workflow stopped"),
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
        ["Action.retry"] = ("重试", "Retry"),
        ["TaskStatus.Open"] = ("待办", "Open"),
        ["TaskStatus.Completed"] = ("已办结", "Completed"),
        ["TaskStatus.Cancelled"] = ("已取消", "Cancelled"),
        ["Decided"] = ("已提交办理结果", "Your decision was recorded"),
        ["Designer"] = ("流程设计", "Workflow designer"),
        ["Definitions"] = ("流程定义", "Workflow definitions"),
        ["Instances"] = ("流程实例", "Workflow instances"),
        ["ViewInstance"] = ("在流程设计器中查看流程实例", "View the workflow instance in the designer"),
        ["DesignerAdminsOnly"] = ("流程设计器仅限系统管理员使用。", "Only administrators may use the workflow designer."),
        ["StudioLoading"] = ("正在加载流程设计器……", "Loading the workflow designer…"),
        ["StudioSessionLost"] = ("登录已失效，请重新登录后再打开流程设计器。", "Your session has ended; sign in again to open the designer."),
        ["StudioMissing"] = ("流程设计器（Elsa Studio）尚未安装：请在 src/SafetyWorkflows.Web 中运行 npm ci，或重新构建。", "The designer (Elsa Studio) is not installed: run npm ci in src/SafetyWorkflows.Web, or build again."),
        ["StudioError"] = ("流程设计器出错。", "The designer hit an error."),
        ["Reload"] = ("重新加载", "Reload"),
        ["Outbox"] = ("通知发件箱", "Outbox"),
        ["Preferences"] = ("通知设置", "Notification settings"),
        ["PreferencesSaved"] = ("通知设置已保存", "Your notification settings were saved"),
        ["GraphOff"] = ("未配置 Microsoft Graph：通知保存在本系统的发件箱中。", "Microsoft Graph is not configured: notifications are kept in this app's outbox."),
        ["DailyDigest"] = ("每日汇总一封邮件（不逐条发送）", "One daily digest mail instead of single mails"),
        ["MessageLanguage"] = ("通知语言", "Language of my notifications"),
        ["NoMessages"] = ("暂无通知", "No notifications yet"),
        ["To"] = ("收件人", "To"),
        ["Attempts"] = ("尝试 {0} 次", "{0} attempt(s)"),
        ["NextAttempt"] = ("下次尝试", "next attempt"),
        ["SentAt"] = ("送达", "sent"),
        ["InDigest"] = ("每日汇总", "daily digest"),
        ["Notifications"] = ("通知", "Notifications"),
        ["Delivery.Pending"] = ("待发送", "Pending"),
        ["Delivery.Sending"] = ("发送中", "Sending"),
        ["Delivery.Sent"] = ("已送达", "Sent"),
        ["Delivery.Failed"] = ("发送失败", "Failed"),
        ["Channel.LocalOutbox"] = ("站内发件箱", "Local outbox"),
        ["Channel.Mail"] = ("邮件", "Mail"),
        ["Channel.Teams"] = ("Teams 动态", "Teams activity"),
        ["NotificationKind.TaskAssigned"] = ("待办", "Task assigned"),
        ["NotificationKind.Reminder"] = ("催办", "Reminder"),
        ["NotificationKind.Escalation"] = ("督办", "Escalation"),
        ["NotificationKind.Decided"] = ("办理结果", "Decided"),
        ["NotificationKind.DocumentPublished"] = ("已公布", "Published"),
        ["NotificationKind.Message"] = ("消息", "Message"),
        ["NotificationKind.CampaignOpened"] = ("专项检查", "Campaign"),
        ["NotificationKind.WorkflowStopped"] = ("流程异常", "Workflow stopped"),
        ["Incidents"] = ("流程异常", "Stopped workflows"),
        ["Incidents.Intro"] = ("以下审批流程因出错而中断，没有人能继续办理。查明并修复原因后，可从出错的环节重试。", "These workflows stopped on an error and nobody can carry them on. Find and fix the cause, then retry them from the failed step."),
        ["Incidents.None"] = ("没有中断的流程。", "No workflow has stopped."),
        ["Incidents.Notified"] = ("已通知：{0}", "Told: {0}"),
        ["Incidents.AfterDecision"] = ("您的办理结果已记录，但审批流程随后中断：", "Your decision was recorded, but the workflow stopped after it:"),
        ["Incidents.Retried"] = ("流程已恢复运行。", "The workflow is running again."),
        ["SubmittedBy"] = ("送审人", "Submitted by"),
        ["OpenDocument"] = ("查看文档详情", "Open the document"),
        ["Evidence"] = ("整改材料", "Evidence"),
        ["Submitted"] = ("报送材料", "Files submitted"),
        ["Files"] = ("材料", "Files"),
        ["SubmitNeedsFiles"] = ("报送前请先上传材料。", "Upload the files before you submit."),
        ["EvidenceHint"] = ("可拍照或选择文件，每类可选多个；支持 PDF、照片、Word、Excel，单个文件不超过 {0}。", "Take a photo or choose files, several per kind; PDF, pictures, Word or Excel, at most {0} each."),
        ["EvidenceUploaded"] = ("材料已上传。核对无误后点击“报送”。", "The files were uploaded. Check them, then press Submit."),
        ["NoEvidence"] = ("尚未上传材料。", "No files yet."),
        ["PickFiles"] = ("拍照或选择文件", "Take a photo or choose files"),
        ["NoFileChosen"] = ("未选择文件", "No file chosen"),
        ["UploadEvidence"] = ("上传材料", "Upload files"),
        ["SubmitNeedsEvidence"] = ("报送前请先上传整改材料。", "Upload the evidence before you submit."),
        ["OpinionOrReason"] = ("意见或理由", "Opinion or reason"),
        ["OpinionFree"] = ("可填写办理意见", "Your opinion (optional)"),
        ["SendBackTo"] = ("退回到", "Send back to"),
        ["SendBackToDrafter"] = ("起草人（退回修改）", "The drafter (for changes)"),
        ["HandOver"] = ("转交他人", "Hand over"),
        ["ChoosePerson"] = ("请选择人员", "Choose a person"),
        ["HandOverHint"] = ("转办：改由对方办理；加签：请对方先审再回到您；委托：对方提出意见后回到您；抄送：送对方阅知，本件仍由您办理。", "Reassign: they decide instead of you. Add approver: they decide first, then it comes back to you. Delegate: they advise, then it comes back to you. Copy: they read it; you still decide."),
    };

    static UiText()
    {
        // The document stages' and evidence labels' words live with them (Core), so the API, the pages and the audit say the same.
        foreach (var (key, words) in Core.Documents.DocumentStages.Labels)
        {
            Texts["Stage." + key] = words;
        }

        foreach (var (key, words) in Core.Approvals.EvidenceLabels.Labels)
        {
            Texts["Evidence." + key] = words;
        }
    }

    public static bool IsEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public string this[string key] => Get(key);

    /// <summary>The word for <paramref name="key"/> in the request's language (also for API answers, e.g. <c>statusLabel</c>).</summary>
    public static string Get(string key) => Texts.TryGetValue(key, out var text) ? (IsEnglish ? text.En : text.Zh) : key;

    /// <summary>Whether the table has <paramref name="key"/> in both languages.</summary>
    public static bool Has(string key) => Texts.ContainsKey(key);

    public string Format(string key, params object[] args) => string.Format(CultureInfo.CurrentCulture, this[key], args);

    /// <summary>
    /// A domain message in the UI's language: the core writes "中文说明 (English explanation)."; a page shows the part
    /// of the reader's language only. A message without an English part is shown as it is.
    /// </summary>
    public static string Message(string message) =>
        Core.Common.Bilingual.TrySplit(message, out var zh, out var en)
            ? IsEnglish ? char.ToUpperInvariant(en[0]) + en[1..] + "." : zh.TrimEnd('。') + "。"
            : message;

    /// <summary>A file size as people read it: 1.5 MB, 256 KB.</summary>
    public static string Size(long bytes) =>
        bytes >= 1024 * 1024 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024:0.#} MB") : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, bytes / 1024)} KB");

    /// <summary>A document's title as a sentence quotes it: 《title》 in Chinese, “title” in English.</summary>
    public string Quote(string title) => IsEnglish ? $"“{title}”" : $"《{title}》";

    /// <summary>Picks the Chinese or English name of a thing that has both.</summary>
    public static string Pick(string zh, string? en) => IsEnglish && !string.IsNullOrEmpty(en) ? en : zh;
}
