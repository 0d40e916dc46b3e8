using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.Core.Notices;

/// <summary>A document's notice of one kind, and whether it was issued yet.</summary>
public sealed record NoticeSummary(NoticeKind Kind, OfficialNotice? Notice, string? WhyNot);

/// <summary>
/// Official notices of a document: listed, issued on first fetch (numbered, rendered, signed, stored, audited) and
/// fetched again as the same bytes. Whoever may read the document may fetch its notices.
/// </summary>
public sealed class IssueNotice(
    DocumentLoader loader,
    INoticeRepository notices,
    IApprovalTaskRepository tasks,
    IOrganisationDirectory directory,
    ISignatureImageRepository signatures,
    INoticeRenderer renderer,
    INoticeSigner signer,
    INoticeLinks links,
    IFileStore files,
    IOptions<NoticeOptions> options,
    TimeProvider clock)
{
    public const string AuditAction = "notice.issue";

    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    public async Task<IReadOnlyList<NoticeSummary>> ListAsync(Guid documentId, Actor actor, CancellationToken cancellationToken)
    {
        var document = await loader.LoadVisibleAsync(documentId, actor, cancellationToken);
        var issued = await notices.ListAsync(documentId, cancellationToken);
        return NoticeKinds.ForLibrary(document)
            .Select(k => new NoticeSummary(k, issued.FirstOrDefault(n => n.Kind == k.Key), NoticeKinds.WhyNot(k, document)))
            .ToList();
    }

    /// <summary>The document's notice of the kind (issued now if it was not yet) and its stored bytes.</summary>
    public async Task<(OfficialNotice Notice, Stream Content)> OpenAsync(Guid documentId, string? kindKey, Actor actor, CancellationToken cancellationToken)
    {
        var notice = await GetOrIssueAsync(documentId, kindKey, actor, cancellationToken);
        var content = files.OpenRead(notice.Sha256)
            ?? throw new DomainException($"公文文件缺失（{notice.Number}），请联系管理员 (the stored file of notice {notice.Number} is missing).");
        return (notice, content);
    }

    public async Task<OfficialNotice> GetOrIssueAsync(Guid documentId, string? kindKey, Actor actor, CancellationToken cancellationToken)
    {
        var document = await loader.LoadVisibleAsync(documentId, actor, cancellationToken);
        var kind = NoticeKinds.Resolve(kindKey, document);
        var existing = await notices.FindAsync(documentId, kind.Key, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        if (NoticeKinds.WhyNot(kind, document) is { } why)
        {
            throw new DomainException(why);
        }

        var decisions = await DecisionsAsync(documentId, cancellationToken);
        var images = await signatures.ContentOfAsync(decisions.Select(d => d.UserName).Distinct(), cancellationToken);
        var names = await NamesAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var year = now.ToOffset(ChinaOffset).Year;
        var settings = options.Value;

        return await notices.IssueAsync(kind.Key, year, documentId, async (sequence, ct) =>
        {
            var number = OfficialNotice.FormatNumber(settings.AgencyCode(kind), year, sequence);
            var code = NewCode();
            var content = NoticeComposer.Compose(kind, document, settings.IssuingAuthority, number, decisions, images, names, now, links.VerifyUrl(code));
            var pdf = renderer.Render(content);
            string sha256;
            await using (var staged = await files.StageAsync(new MemoryStream(pdf, writable: false), long.MaxValue, ct))
            {
                await staged.CommitAsync(ct);
                sha256 = staged.Sha256;
            }

            var notice = new OfficialNotice(documentId, kind.Key, year, sequence, number, code, kind.TitleZh, document.Title,
                document.CurrentVersion.ToString(), actor.UserName, now);
            notice.AttachFile(sha256, pdf.Length, signer.Sign(pdf), signer.Algorithm.ToString());
            var audit = new AuditEntry(now, actor.UserName, AuditAction, documentId, notice.DocumentVersion,
                $"出具{kind.TitleZh} {number}（SHA-256 {notice.Sha256}，{notice.SignatureAlgorithm} 签名）");
            return (notice, audit);
        }, cancellationToken);
    }

    private async Task<IReadOnlyList<NoticeDecision>> DecisionsAsync(Guid documentId, CancellationToken cancellationToken)
    {
        var decided = (await tasks.ListForDocumentAsync(documentId, cancellationToken))
            .Where(t => t.Status == ApprovalTaskStatus.Completed && t.DecidedBy is not null && t.ClosedAt is not null
                && t.Action is "approve" or "sign")
            .OrderBy(t => t.ClosedAt)
            .ToList();
        var result = new List<NoticeDecision>();
        foreach (var task in decided)
        {
            result.Add(new NoticeDecision(task.Step, task.DecidedBy!, await directory.DisplayNameAsync(task.DecidedBy!, cancellationToken),
                task.Action!, task.ClosedAt!.Value));
        }

        return result;
    }

    private async Task<IReadOnlyDictionary<string, string>> NamesAsync(CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var unit in await directory.ListUnitsAsync(cancellationToken))
        {
            names[unit.Id] = unit.Name;
        }

        foreach (var official in await directory.ListOfficialsAsync(cancellationToken))
        {
            names[official.UserName] = official.DisplayName;
        }

        return names;
    }

    /// <summary>20 characters of Crockford-style base32 (100 bits): unguessable, and readable when typed from paper.</summary>
    private static string NewCode()
    {
        const string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        var bytes = RandomNumberGenerator.GetBytes(20);
        return string.Concat(bytes.Select(b => alphabet[b % 32]));
    }
}
