using System.ComponentModel.DataAnnotations;

namespace SafetyWorkflows.Web.Designer;

/// <summary>Where the Elsa Studio bundle is read from (section <c>Designer</c>).</summary>
public sealed class DesignerOptions
{
    public const string Section = "Designer";

    /// <summary>The unpacked npm package <c>@elsa-workflows/elsa-studio-wasm</c>; relative paths start at the content root.</summary>
    [Required]
    public string StudioDirectory { get; set; } = "node_modules/@elsa-workflows/elsa-studio-wasm";
}
