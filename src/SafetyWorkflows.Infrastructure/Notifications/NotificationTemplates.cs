using System.Collections.Concurrent;
using System.Globalization;
using Fluid;
using Microsoft.Extensions.Options;
using SafetyWorkflows.Core.Notifications;

namespace SafetyWorkflows.Infrastructure.Notifications;

/// <summary>A message rendered from its template: the subject, a plain-text body and an HTML body.</summary>
public sealed record RenderedMessage(string Subject, string Text, string Html);

/// <summary>
/// The Liquid templates an administrator edits: <c>templates/notifications/{kind}.{language}.liquid</c> (kind in kebab
/// case: <c>task-assigned</c>, <c>reminder</c>, <c>escalation</c>, <c>decided</c>, <c>document-published</c>,
/// <c>campaign-opened</c>, <c>message</c>, <c>digest</c>), each with three sections introduced by the lines
/// <c>--- subject</c>, <c>--- text</c> and <c>--- html</c>. A changed file is read again on its next use.
/// </summary>
public sealed class NotificationTemplates(IOptions<NotificationOptions> options)
{
    private static readonly FluidParser Parser = new();

    // Shared by every render (building one registers Fluid's filters and value converters: most of what a render allocated).
    private static readonly TemplateOptions RenderOptions = new() { CultureInfo = CultureInfo.InvariantCulture, MaxSteps = 100_000 };
    private static readonly string[] Sections = ["subject", "text", "html"];

    // Values are escaped for HTML, but Chinese stays readable text rather than numeric entities.
    private static readonly System.Text.Encodings.Web.HtmlEncoder Html = System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
    private readonly ConcurrentDictionary<string, (DateTime Written, IReadOnlyDictionary<string, IFluidTemplate> Sections)> _cache = new(StringComparer.Ordinal);

    public static string FileKey(NotificationKind kind) => kind switch
    {
        NotificationKind.TaskAssigned => "task-assigned",
        NotificationKind.DocumentPublished => "document-published",
        NotificationKind.CampaignOpened => "campaign-opened",
        NotificationKind.WorkflowStopped => "workflow-stopped",
        _ => kind.ToString().ToLowerInvariant(),
    };

    public string PathOf(string key, string language) =>
        Path.Combine(options.Value.ResolveTemplatesDirectory(), "notifications", $"{key}.{language}.liquid");

    public async Task<RenderedMessage> RenderAsync(string key, string language, IReadOnlyDictionary<string, object?> model)
    {
        var sections = Load(key, language);
        var context = new TemplateContext(RenderOptions);
        foreach (var (name, value) in model)
        {
            context.SetValue(name, value);
        }

        var subject = (await sections["subject"].RenderAsync(context, NullEncoder.Default)).Trim();
        var text = (await sections["text"].RenderAsync(context, NullEncoder.Default)).Trim();
        var html = (await sections["html"].RenderAsync(context, Html)).Trim();
        return new RenderedMessage(subject, text, html);
    }

    private IReadOnlyDictionary<string, IFluidTemplate> Load(string key, string language)
    {
        var path = PathOf(key, language);
        if (!File.Exists(path))
        {
            throw new TemplateException($"template {path} is missing");
        }

        var written = File.GetLastWriteTimeUtc(path);
        if (_cache.TryGetValue(path, out var cached) && cached.Written == written)
        {
            return cached.Sections;
        }

        var parsed = Parse(path, File.ReadAllText(path));
        _cache[path] = (written, parsed);
        return parsed;
    }

    /// <summary>Parses every template at start-up so that a broken file stops the app naming the file, not a delivery later.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        foreach (var kind in Enum.GetValues<NotificationKind>().Select(FileKey).Append("digest"))
        {
            foreach (var language in new[] { NotificationPreference.Chinese, NotificationPreference.English })
            {
                try
                {
                    Load(kind, language);
                }
                catch (TemplateException ex)
                {
                    errors.Add(ex.Message);
                }
            }
        }

        return errors;
    }

    private static Dictionary<string, IFluidTemplate> Parse(string path, string text)
    {
        var parts = new Dictionary<string, System.Text.StringBuilder>(StringComparer.Ordinal);
        System.Text.StringBuilder? current = null;
        foreach (var line in text.ReplaceLineEndings("\n").Split('\n'))
        {
            if (line.StartsWith("--- ", StringComparison.Ordinal) && Sections.Contains(line[4..].Trim()))
            {
                current = parts[line[4..].Trim()] = new System.Text.StringBuilder();
                continue;
            }

            current?.Append(line).Append('\n');
        }

        var result = new Dictionary<string, IFluidTemplate>(StringComparer.Ordinal);
        foreach (var section in Sections)
        {
            if (!parts.TryGetValue(section, out var body))
            {
                throw new TemplateException($"template {path} has no '--- {section}' section");
            }

            if (!Parser.TryParse(body.ToString(), out var template, out var error))
            {
                throw new TemplateException($"template {path}, section {section}: {error}");
            }

            result[section] = template;
        }

        return result;
    }
}

public sealed class TemplateException(string message) : Exception(message);
