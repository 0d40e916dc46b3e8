using System.Globalization;
using System.Text.Encodings.Web;
using Fluid;
using Fluid.Values;

namespace SafetyWorkflows.Workflows.Expressions;

/// <summary>
/// Elsa's <c>Liquid</c> expressions on Fluid. The template sees <c>Variables.&lt;name&gt;</c>, <c>Input.&lt;name&gt;</c>
/// (the activity's input first, then the workflow's), <c>CorrelationId</c>, <c>WorkflowDefinitionId</c>,
/// <c>WorkflowDefinitionVersionId</c>, <c>WorkflowDefinitionVersion</c> and <c>WorkflowInstanceId</c>.
/// </summary>
/// <remarks>
/// JSON values, dictionaries and lists are navigable (<c>{{ Variables.Order.Lines[0].Qty }}</c>). Output is not
/// HTML-encoded, so Chinese text and markup characters come out as written. The result is the rendered string, or null for
/// an empty or blank template (as in Elsa). Parsed templates are cached by their text.
/// </remarks>
/// <param name="clock">What the <c>now</c> date of templates reads; <see cref="TimeProvider.System"/> when null.</param>
public sealed class LiquidEvaluator(TimeProvider? clock = null) : IExpressionEvaluator
{
    private const int TemplateCacheCapacity = 512;

    /// <summary>Bounds loops such as <c>{% for i in (1..100000000) %}</c>; real messages need a few hundred steps.</summary>
    private const int MaxSteps = 1_000_000;

    private static readonly FluidParser Parser = new();

    private readonly BoundedCache<IFluidTemplate> _templates = new(TemplateCacheCapacity);
    private readonly TemplateOptions _templateOptions = new()
    {
        CultureInfo = CultureInfo.InvariantCulture,
        TimeZone = TimeZoneInfo.Utc,
        MaxSteps = MaxSteps,
        Now = () => (clock ?? TimeProvider.System).GetUtcNow(),
    };

    /// <inheritdoc />
    public string Type => "Liquid";

    /// <inheritdoc />
    public async ValueTask<object?> EvaluateAsync(string script, IExpressionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();

        if (string.IsNullOrWhiteSpace(script))
        {
            return null;
        }

        var template = _templates.GetOrAdd(script, Parse);
        var templateContext = CreateTemplateContext(context);
        try
        {
            return await template.RenderAsync(templateContext, NullEncoder.Default, isolateContext: false);
        }
        catch (Exception ex) when (ex is not (ExpressionException or OperationCanceledException))
        {
            throw new ExpressionException($"The Liquid template failed: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    /// <remarks>Also refuses templates longer than 100,000 characters or nested more than 200 levels deep.</remarks>
    public string? CheckSyntax(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        try
        {
            _templates.GetOrAdd(script, Parse);
            return null;
        }
        catch (ExpressionException ex)
        {
            return ex.Message;
        }
    }

    private static IFluidTemplate Parse(string script) => LiquidTemplateGuard.Parse(Parser, script);

    private TemplateContext CreateTemplateContext(IExpressionContext context)
    {
        var options = _templateOptions;
        var templateContext = new TemplateContext(options);
        templateContext.SetValue("Variables", new LookupValue(name => context.TryGetVariable(name, out var value)
            ? LiquidValues.ToFluid(value, options)
            : NilValue.Instance));
        templateContext.SetValue("Input", new LookupValue(name =>
            NameLookup.TryFind<object?>(context.ActivityInputs, name, out var value) || NameLookup.TryFind<object?>(context.WorkflowInputs, name, out value)
                ? LiquidValues.ToFluid(value, options)
                : NilValue.Instance));
        templateContext.SetValue("CorrelationId", LiquidValues.ToFluid(context.CorrelationId, options));
        templateContext.SetValue("WorkflowDefinitionId", new StringValue(context.WorkflowDefinitionId));
        templateContext.SetValue("WorkflowDefinitionVersionId", new StringValue(context.WorkflowDefinitionVersionId));
        templateContext.SetValue("WorkflowDefinitionVersion", NumberValue.Create(context.WorkflowDefinitionVersion));
        templateContext.SetValue("WorkflowInstanceId", new StringValue(context.WorkflowInstanceId));
        return templateContext;
    }


    /// <summary>A hash whose members are looked up on demand, so only the variables a template names are converted.</summary>
    private sealed class LookupValue(Func<string, FluidValue> lookup) : FluidValue
    {
        public override FluidValues Type => FluidValues.Dictionary;

        public override bool Equals(FluidValue other) => ReferenceEquals(this, other);

        public override bool ToBooleanValue() => true;

        public override decimal ToNumberValue() => 0;

        public override string ToStringValue() => string.Empty;

        public override object ToObjectValue() => this;

        public override ValueTask<FluidValue> GetValueAsync(string name, TemplateContext context) => new(lookup(name));

        public override ValueTask<FluidValue> GetIndexAsync(FluidValue index, TemplateContext context) => new(lookup(index.ToStringValue()));

        public override bool Equals(object? obj) => ReferenceEquals(this, obj);

        public override int GetHashCode() => lookup.GetHashCode();

        public override ValueTask WriteToAsync(TextWriter writer, TextEncoder encoder, CultureInfo cultureInfo) => ValueTask.CompletedTask;
    }
}
