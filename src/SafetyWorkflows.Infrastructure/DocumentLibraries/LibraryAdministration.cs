using Microsoft.EntityFrameworkCore;
using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Infrastructure.Persistence;
using SafetyWorkflows.Workflows.Persistence;

namespace SafetyWorkflows.Infrastructure.DocumentLibraries;

/// <summary>A column as an administrator describes it when adding one.</summary>
public sealed record NewColumn(string? Key, string? Name, string? NameEn, string? Type, bool Required, IReadOnlyList<string>? Options, int? MaxLength);

/// <summary>
/// The system administrator's edits of libraries: a new library, its names and chain, new columns and choices, relabelled,
/// hidden or shown columns. Each edit is audited and seen by every request at once; two edits of one library at the same
/// moment do not both apply (the second answers 409).
/// </summary>
public sealed class LibraryAdministration(
    SafetyDbContext db, StoredLibraryCatalog catalog, IWorkflowDefinitionStore definitions, TimeProvider clock)
{
    public async Task<Library> CreateAsync(
        Actor actor, string? key, string? name, string? nameEn, string? unitColumn, string? chainId, IReadOnlyList<NewColumn>? columns,
        CancellationToken cancellationToken)
    {
        Require(actor);
        await EnsurePublishedAsync(chainId, cancellationToken);
        if (string.IsNullOrWhiteSpace(key))
        {
            var taken = await db.LibraryDefinitions.Select(l => l.Key).ToListAsync(cancellationToken);
            key = Keys.Unique(Keys.Kebab(nameEn), taken.Contains, "-");
        }

        if (await db.LibraryDefinitions.AnyAsync(l => l.Key == key, cancellationToken))
        {
            throw new InputValidationException("key", $"文档库“{key}”已存在 (library '{key}' already exists).");
        }

        var now = clock.GetUtcNow();
        var position = await db.LibraryDefinitions.Select(l => (int?)l.Position).MaxAsync(cancellationToken) ?? -1;
        var definition = LibraryDefinition.Create(key, name, nameEn, unitColumn, chainId, (columns ?? []).Select(ToColumn), position + 1, now);
        db.LibraryDefinitions.Add(definition);
        db.AppendAudit(new AuditEntry(now, actor.UserName, AuditActions.LibraryChanged, null, null,
            $"新建文档库“{definition.Name}”（{definition.Key}，{definition.Columns.Count} 列，审批流程 {definition.ChainId}） (library created)"));
        await SaveAsync(cancellationToken);
        return definition.ToLibrary();
    }

    public Task<Library> RenameAsync(Actor actor, string key, string? name, string? nameEn, string? chainId, CancellationToken cancellationToken) =>
        ChangeAsync(actor, key, async definition =>
        {
            var said = new List<string>();
            if (name is not null || nameEn is not null)
            {
                definition.Rename(name ?? definition.Name, nameEn ?? definition.NameEn, clock.GetUtcNow());
                said.Add($"名称改为“{definition.Name}”/“{definition.NameEn}”");
            }

            if (chainId is not null && chainId != definition.ChainId)
            {
                await EnsurePublishedAsync(chainId, cancellationToken);
                definition.ChangeChain(chainId, clock.GetUtcNow());
                said.Add($"审批流程改为 {definition.ChainId}");
            }

            return string.Join("；", said);
        }, cancellationToken);

    public Task<Library> AddColumnAsync(Actor actor, string key, NewColumn column, CancellationToken cancellationToken) =>
        ChangeAsync(actor, key, definition =>
        {
            // A page asks for labels only: the key comes from the English label (meeting date → meetingDate).
            var keyed = string.IsNullOrWhiteSpace(column.Key)
                ? column with { Key = Keys.Unique(Keys.Camel(column.NameEn), k => definition.FindColumn(k) is not null) }
                : column;
            var added = ToColumn(keyed);
            definition.AddColumn(added, clock.GetUtcNow());
            return Task.FromResult($"新增列“{added.Name}”（{added.Key}，{ColumnTypeConverter.Word(added.Type)}{(added.Required ? "，必填" : "")}）");
        }, cancellationToken);

    public Task<Library> AddChoiceAsync(Actor actor, string key, string columnKey, string? choice, CancellationToken cancellationToken) =>
        ChangeAsync(actor, key, definition =>
        {
            definition.AddChoice(columnKey, choice, clock.GetUtcNow());
            return Task.FromResult($"列“{definition.FindColumn(columnKey)!.Name}”新增选项“{choice?.Trim()}”");
        }, cancellationToken);

    public Task<Library> ChangeColumnAsync(
        Actor actor, string key, string columnKey, string? name, string? nameEn, bool? hidden, bool? required, CancellationToken cancellationToken) =>
        ChangeAsync(actor, key, definition =>
        {
            var before = definition.FindColumn(columnKey)
                ?? throw new NotFoundException($"文档库“{definition.Name}”没有列“{columnKey}” (library {key} has no column '{columnKey}').");
            definition.ChangeColumn(columnKey, name, nameEn, hidden, required, clock.GetUtcNow());
            var after = definition.FindColumn(columnKey)!;
            var said = new List<string>();
            if (after.Name != before.Name || after.NameEn != before.NameEn)
            {
                said.Add($"列“{before.Name}”改名为“{after.Name}”/“{after.NameEn}”");
            }

            if (after.Hidden != before.Hidden)
            {
                said.Add($"列“{after.Name}”{(after.Hidden ? "隐藏（已存的值保留）" : "重新显示")}");
            }

            if (after.Required != before.Required)
            {
                said.Add($"列“{after.Name}”{(after.Required ? "改为必填" : "改为选填")}");
            }

            return Task.FromResult(string.Join("；", said));
        }, cancellationToken);

    private async Task<Library> ChangeAsync(Actor actor, string key, Func<LibraryDefinition, Task<string>> change, CancellationToken cancellationToken)
    {
        Require(actor);
        var definition = await db.LibraryDefinitions.FirstOrDefaultAsync(l => l.Key == key, cancellationToken)
            ?? throw new NotFoundException($"文档库“{key}”不存在 (library '{key}' not found).");
        var said = await change(definition);
        if (said.Length > 0)
        {
            db.AppendAudit(new AuditEntry(clock.GetUtcNow(), actor.UserName, AuditActions.LibraryChanged, null, null, $"文档库“{definition.Name}”：{said}"));
            await SaveAsync(cancellationToken);
        }

        return definition.ToLibrary();
    }

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainException("该文档库刚被他人修改，请刷新后重试 (the library was changed by someone else at the same moment; reload and try again).");
        }
        catch (DbUpdateException ex) when (ex.InnerException?.Message.Contains("UNIQUE", StringComparison.OrdinalIgnoreCase) == true
            || ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            throw new DomainException("该文档库刚被他人新建 (a library with this key was created at the same moment).");
        }

        await catalog.ReloadAsync(cancellationToken);
    }

    private async Task EnsurePublishedAsync(string? chainId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(chainId))
        {
            throw new InputValidationException("chainId", "须指定审批流程 (chainId names the workflow definition documents are submitted to).");
        }

        if (await definitions.FindAsync(chainId.Trim(), VersionOptions.Published, cancellationToken) is null)
        {
            throw new InputValidationException("chainId", $"审批流程“{chainId}”没有已发布的版本 (workflow definition '{chainId}' has no published version).");
        }
    }

    private static LibraryColumn ToColumn(NewColumn column)
    {
        if (!ColumnTypeConverter.TryParse(column.Type, out var type))
        {
            throw new InputValidationException("columns.type", "列类型须为 text、integer、number、date、choice、unit、user 或 yesno (unknown column type).");
        }

        return new LibraryColumn(column.Key ?? "", column.Name ?? "", column.NameEn ?? "", type, column.Required, column.Options, column.MaxLength ?? 500);
    }

    private static void Require(Actor actor)
    {
        if (!actor.HasRole(Roles.Admin))
        {
            throw new ForbiddenException("只有系统管理员可以修改文档库 (only the system administrator edits libraries).");
        }
    }
}

/// <summary>Keys made from English labels, for pages that ask people for words only.</summary>
internal static class Keys
{
    public static string Camel(string? english)
    {
        var words = Words(english);
        var key = string.Concat(words.Select((w, i) => i == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));
        return key.Length == 0 || !char.IsAsciiLetter(key[0]) ? "column" + key : key[..Math.Min(key.Length, 36)];
    }

    public static string Kebab(string? english)
    {
        var key = string.Join('-', Words(english));
        return key.Length < 2 || !char.IsAsciiLetter(key[0]) ? "library-" + key.Trim('-') : key[..Math.Min(key.Length, 44)].Trim('-');
    }

    public static string Unique(string key, Func<string, bool> taken, string separator = "")
    {
        var candidate = key;
        for (var n = 2; taken(candidate); n++)
        {
            candidate = key + separator + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    private static List<string> Words(string? english) =>
        new string((english ?? "").ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : ' ').ToArray())
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
}
