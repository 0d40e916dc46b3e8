using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.Core.Documents;

/// <summary>Item-level visibility: township-wide roles see every document; experts see emergency plans; everyone else sees their own unit's.</summary>
public static class DocumentAccess
{
    public static bool SeesAll(Actor actor, string libraryKey) =>
        actor.IsTownshipWide || (actor.HasRole(Roles.Expert) && libraryKey == Libraries.EmergencyPlans);

    public static bool CanSee(Actor actor, Document document) =>
        SeesAll(actor, document.LibraryKey) || (actor.UnitId is not null && actor.UnitId == document.UnitId);

    /// <summary>A document outside the caller's view answers 403 (not 404): ids are random GUIDs, so nothing is revealed by it,
    /// and an official following a stale link learns why it does not open.</summary>
    public static void EnsureCanSee(Actor actor, Document document)
    {
        if (!CanSee(actor, document))
        {
            throw new ForbiddenException("无权查看该文档 (you may not see this document).");
        }
    }

    /// <summary>Check-out, check-in, restore and submit: a contributor who may see the document.</summary>
    public static bool CanEdit(Actor actor, Document document) => CanSee(actor, document) && actor.IsContributor;

    public static void EnsureCanEdit(Actor actor, Document document)
    {
        EnsureCanSee(actor, document);
        if (!actor.IsContributor)
        {
            throw new ForbiddenException("无权修改文档 (your roles may not change documents).");
        }
    }

    /// <summary>Who may draft for a unit: upload, and revise (修订) its records.</summary>
    public static bool CanUpload(Actor actor, string unitId, string libraryKey) =>
        actor.IsContributor && (SeesAll(actor, libraryKey) || actor.UnitId == unitId);

    /// <summary>The units among <paramref name="units"/> the caller may draft for in the library (none: the upload form is not theirs).</summary>
    public static IEnumerable<Unit> UploadUnits(Actor actor, IEnumerable<Unit> units, string libraryKey) =>
        units.Where(u => CanUpload(actor, u.Id, libraryKey));

    public static void EnsureCanUpload(Actor actor, string unitId, string libraryKey)
    {
        if (!actor.IsContributor)
        {
            throw new ForbiddenException("无权上传文档 (your roles may not upload documents).");
        }

        if (!SeesAll(actor, libraryKey) && actor.UnitId != unitId)
        {
            throw new ForbiddenException("只能为本单位上传文档 (you may upload documents of your own unit only).");
        }
    }
}
