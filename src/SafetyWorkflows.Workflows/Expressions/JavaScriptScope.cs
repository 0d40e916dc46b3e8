using System.Text;
using System.Text.Json.Nodes;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;

namespace SafetyWorkflows.Workflows.Expressions;

/// <summary>
/// The globals scripts see on one engine: Elsa's helper functions, defined once per engine and reading the context
/// of the evaluation under way, and per evaluation the generated accessors and the <c>variables</c> object, whose
/// changes are written back after the script. The per-evaluation globals are built only when the script names them
/// (all of them for a script whose names cannot be known, see <see cref="ScriptTraits"/>) and removed afterwards.
/// </summary>
internal sealed class JavaScriptScope
{
    private const string VariablesName = "variables";

    private readonly Engine _engine;
    private readonly HashSet<string> _helpers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, VariableSlot> _slots = new(StringComparer.Ordinal);
    private readonly List<VariableSlot> _slotOrder = [];
    private readonly List<string> _evaluationGlobals = [];
    private readonly Dictionary<string, (int Length, Func<JsValue[], JsValue> Body)> _accessors = new(StringComparer.Ordinal);
    private IExpressionContext? _context;
    private JsObject? _variables;

    public JavaScriptScope(Engine engine)
    {
        _engine = engine;
        DefineWorkflowHelpers();
        DefineValueHelpers();
        DefineOutcomeHelpers();
    }

    private IExpressionContext Context => _context ?? throw new InvalidOperationException("No evaluation is under way on this engine.");

    /// <summary>
    /// Binds the engine to <paramref name="context"/> and defines the per-evaluation globals the script can name
    /// (<paramref name="names"/>), or all of them when <paramref name="names"/> is null.
    /// </summary>
    public void Begin(IExpressionContext context, IReadOnlySet<string>? names)
    {
        _context = context;
        if (names is null || names.Contains(VariablesName))
        {
            _variables = new JsObject(_engine);
            foreach (var name in context.VariableNames)
            {
                if (!_slots.ContainsKey(name))
                {
                    AddSlot(name);
                }
            }

            DefineGlobal(VariablesName, _variables);
        }

        if (names is not null && !NamesAccessor(names))
        {
            return;
        }

        // Later entries replace earlier ones, so outputs win over inputs over variables; Elsa's helpers win over all of
        // them (a variable called "Variable" must not hide getVariable).
        CollectVariableAccessors(names);
        CollectInputAccessors(names);
        CollectOutputAccessors(names);
        foreach (var (name, (length, body)) in _accessors)
        {
            if (!_helpers.Contains(name))
            {
                DefineGlobal(name, Function(name, length, body));
            }
        }

        _accessors.Clear();
    }

    /// <summary>Whether one of the names could be a generated accessor (getX, setX) rather than a helper.</summary>
    private bool NamesAccessor(IReadOnlySet<string> names)
    {
        foreach (var name in names)
        {
            if (name.Length > 3 && (name.StartsWith("get", StringComparison.Ordinal) || name.StartsWith("set", StringComparison.Ordinal))
                && !_helpers.Contains(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Removes the per-evaluation globals and forgets the context.</summary>
    public void End()
    {
        foreach (var name in _evaluationGlobals)
        {
            _engine.Global.Delete(name);
        }

        _evaluationGlobals.Clear();
        _slots.Clear();
        _slotOrder.Clear();
        _variables = null;
        _context = null;
    }

    /// <summary>
    /// Writes <c>variables.X = ...</c> assignments back to the context, and variables whose object value the script
    /// changed in place (a read-only use writes nothing, so an untouched variable keeps its .NET type).
    /// </summary>
    public void WriteBackVariables()
    {
        var context = Context;
        foreach (var slot in _slotOrder)
        {
            if (slot.Assigned)
            {
                context.SetVariable(slot.Name, JavaScriptValues.ToClr(slot.Value));
                continue;
            }

            if (slot.Loaded && slot.Value is ObjectInstance && !slot.Value.IsCallable())
            {
                var current = JavaScriptValues.ToClr(slot.Value);
                if (!SameValue(current, slot.Snapshot))
                {
                    context.SetVariable(slot.Name, current);
                }
            }
        }

        if (_variables is null)
        {
            return;
        }

        // Plain properties are names that were not in scope until the script assigned them: new workflow variables.
        foreach (var key in _variables.GetOwnPropertyKeys(Types.String))
        {
            var name = key.ToString();
            var descriptor = _variables.GetOwnProperty(key);
            if (!_slots.ContainsKey(name) && descriptor.IsDataDescriptor())
            {
                context.SetVariable(name, JavaScriptValues.ToClr(descriptor.Value));
            }
        }
    }

    private void CollectVariableAccessors(IReadOnlySet<string>? names)
    {
        foreach (var variable in Context.VariableNames)
        {
            if (!ScriptNames.IsValidIdentifierPart(variable))
            {
                continue;
            }

            var pascal = ScriptNames.Pascalize(variable);
            var name = variable;
            Collect(names, $"get{pascal}", 0, _ => Load(GetOrAddSlot(name)));
            Collect(names, $"set{pascal}", 1, args =>
            {
                SetVariable(name, Arg(args, 0));
                return JsValue.Undefined;
            });
        }
    }

    private void CollectInputAccessors(IReadOnlySet<string>? names)
    {
        foreach (var (name, value) in Context.WorkflowInputs)
        {
            if (!ScriptNames.IsValidIdentifierPart(name))
            {
                continue;
            }

            // Elsa names the accessor after the input exactly; the PascalCase twin helps camelCase input names.
            Collect(names, $"get{name}", 0, _ => ToJs(value));
            Collect(names, $"get{ScriptNames.Pascalize(name)}", 0, _ => ToJs(value));
        }
    }

    private void CollectOutputAccessors(IReadOnlySet<string>? names)
    {
        foreach (var (activity, outputs) in Context.ActivityOutputs)
        {
            if (!ScriptNames.IsValidIdentifierPart(activity))
            {
                continue;
            }

            var activityPart = ScriptNames.Pascalize(activity);
            foreach (var (output, value) in outputs)
            {
                if (ScriptNames.IsValidIdentifierPart(output))
                {
                    Collect(names, $"get{output}From{activityPart}", 0, _ => ToJs(value));
                    Collect(names, $"get{ScriptNames.Pascalize(output)}From{activityPart}", 0, _ => ToJs(value));
                }
            }
        }
    }

    private void Collect(IReadOnlySet<string>? names, string name, int length, Func<JsValue[], JsValue> body)
    {
        if (names is null || names.Contains(name))
        {
            _accessors[name] = (length, body);
        }
    }

    private void DefineWorkflowHelpers()
    {
        Define("getVariable", 1, args => GetVariable(RequireString(args, 0, "getVariable", "a variable name")));
        Define("setVariable", 2, args =>
        {
            SetVariable(RequireString(args, 0, "setVariable", "a variable name"), Arg(args, 1));
            return JsValue.Undefined;
        });
        Define("getInput", 1, args =>
            NameLookup.TryFind(Context.WorkflowInputs, RequireString(args, 0, "getInput", "an input name"), out var value) ? ToJs(value) : JsValue.Null);
        Define("getOutputFrom", 2, args => ToJs(GetOutput(RequireString(args, 0, "getOutputFrom", "an activity id or name"), OptionalString(Arg(args, 1)))));
        Define("getLastResult", 0, _ => ToJs(Context.LastResult));
        Define("getWorkflowDefinitionId", 0, _ => new JsString(Context.WorkflowDefinitionId));
        Define("getWorkflowDefinitionVersionId", 0, _ => new JsString(Context.WorkflowDefinitionVersionId));
        Define("getWorkflowDefinitionVersion", 0, _ => new JsNumber(Context.WorkflowDefinitionVersion));
        Define("getWorkflowInstanceId", 0, _ => new JsString(Context.WorkflowInstanceId));
        Define("getCorrelationId", 0, _ => ToJs(Context.CorrelationId));
        Define("setCorrelationId", 1, args =>
        {
            Context.CorrelationId = OptionalString(Arg(args, 0));
            return JsValue.Undefined;
        });
        Define("getWorkflowInstanceName", 0, _ => ToJs(Context.WorkflowInstanceName));
        Define("setWorkflowInstanceName", 1, args =>
        {
            Context.WorkflowInstanceName = OptionalString(Arg(args, 0));
            return JsValue.Undefined;
        });
    }

    private void DefineValueHelpers()
    {
        Define("isNullOrWhiteSpace", 1, args => string.IsNullOrWhiteSpace(OptionalString(Arg(args, 0))) ? JsBoolean.True : JsBoolean.False);
        Define("isNullOrEmpty", 1, args => string.IsNullOrEmpty(OptionalString(Arg(args, 0))) ? JsBoolean.True : JsBoolean.False);
        Define("toJson", 1, args =>
        {
            // JSON.stringify gives undefined for undefined and functions; Elsa's toJson always returns text.
            var json = new JsonSerializer(_engine).Serialize(Arg(args, 0));
            return json.IsString() ? json : new JsString("null");
        });
        Define("parseGuid", 1, args => new JsString(Guid.Parse(RequireString(args, 0, "parseGuid", "a GUID string")).ToString("D")));
        Define("newGuid", 0, _ => new JsString(Guid.NewGuid().ToString("D")));
        Define("newGuidString", 0, _ => new JsString(Guid.NewGuid().ToString("D")));
        Define("getGuidString", 0, _ => new JsString(Guid.NewGuid().ToString("D")));
        Define("newShortGuid", 0, _ => new JsString(NewShortGuid()));
        Define("getShortGuid", 0, _ => new JsString(NewShortGuid()));
        Define("bytesToString", 1, args => new JsString(Encoding.UTF8.GetString(RequireBytes(args, "bytesToString"))));
        Define("bytesFromString", 1, args => ToJs(Encoding.UTF8.GetBytes(RequireString(args, 0, "bytesFromString", "a string"))));
        Define("bytesToBase64", 1, args => new JsString(Convert.ToBase64String(RequireBytes(args, "bytesToBase64"))));
        Define("bytesFromBase64", 1, args => ToJs(Convert.FromBase64String(RequireString(args, 0, "bytesFromBase64", "a base64 string"))));
        Define("stringToBase64", 1, args => new JsString(Convert.ToBase64String(Encoding.UTF8.GetBytes(RequireString(args, 0, "stringToBase64", "a string")))));
        Define("stringFromBase64", 1, args =>
            new JsString(Encoding.UTF8.GetString(Convert.FromBase64String(RequireString(args, 0, "stringFromBase64", "a base64 string")))));
    }

    private void DefineOutcomeHelpers()
    {
        Define("setOutcome", 1, args =>
        {
            Context.Outcomes = [RequireString(args, 0, "setOutcome", "an outcome name")];
            return JsValue.Undefined;
        });
        Define("setOutcomes", 1, args =>
        {
            if (!Arg(args, 0).IsArray())
            {
                throw TypeError("setOutcomes expects an array of outcome names.");
            }

            var outcomes = Arg(args, 0).AsArray();
            var names = new List<string>();
            for (uint i = 0; i < outcomes.Length; i++)
            {
                names.Add(OptionalString(outcomes[i]) ?? throw TypeError("setOutcomes expects outcome names, not null."));
            }

            Context.Outcomes = names;
            return JsValue.Undefined;
        });
    }

    private JsValue GetVariable(string name)
    {
        if (_slots.TryGetValue(name, out var slot))
        {
            return Load(slot);
        }

        // Assigned as variables.X earlier in this script but not written back yet.
        if (_variables?.GetOwnProperty(name) is { } own && own.IsDataDescriptor())
        {
            return own.Value;
        }

        if (!Context.TryGetVariable(name, out var value))
        {
            return JsValue.Null;
        }

        slot = AddSlot(name);
        return Sync(slot, ToJs(value));
    }

    private void SetVariable(string name, JsValue value)
    {
        Context.SetVariable(name, JavaScriptValues.ToClr(value));

        // Keeps variables.X, getX() and getVariable("X") showing the value just set, as Elsa does.
        if (!_slots.TryGetValue(name, out var slot))
        {
            slot = AddSlot(name);
        }

        Sync(slot, value);
    }

    private object? GetOutput(string activityIdOrName, string? outputName)
    {
        if (!NameLookup.TryFind(Context.ActivityOutputs, activityIdOrName, out var outputs) || outputs is null)
        {
            return null;
        }

        if (outputName is not null)
        {
            return NameLookup.TryFind(outputs, outputName, out var named) ? named : null;
        }

        if (NameLookup.TryFind(outputs, "Result", out var result))
        {
            return result;
        }

        return outputs.Count == 1 ? outputs.Values.First() : null;
    }

    private VariableSlot GetOrAddSlot(string name) => _slots.TryGetValue(name, out var slot) ? slot : AddSlot(name);

    private VariableSlot AddSlot(string name)
    {
        var slot = new VariableSlot(name);
        _slots[name] = slot;
        _slotOrder.Add(slot);
        if (_variables is null)
        {
            return slot;
        }

        var getter = new ClrFunction(_engine, "get " + name, (_, args) => Guard("variables." + name, args, _ => Load(slot)), 0, PropertyFlag.Configurable);
        var setter = new ClrFunction(_engine, "set " + name, (_, args) =>
        {
            slot.Value = Arg(args, 0);
            slot.Loaded = true;
            slot.Assigned = true;
            return JsValue.Undefined;
        }, 1, PropertyFlag.Configurable);
        _variables.DefineOwnProperty(name, new GetSetPropertyDescriptor(getter, setter, enumerable: true, configurable: true));
        return slot;
    }

    private JsValue Load(VariableSlot slot)
    {
        if (!slot.Loaded)
        {
            Sync(slot, Context.TryGetVariable(slot.Name, out var value) ? ToJs(value) : JsValue.Undefined);
        }

        return slot.Value;
    }

    private static JsValue Sync(VariableSlot slot, JsValue value)
    {
        slot.Value = value;
        slot.Loaded = true;
        slot.Assigned = false;
        slot.Snapshot = value is ObjectInstance ? JavaScriptValues.ToClr(value) : null;
        return value;
    }

    private static bool SameValue(object? current, object? snapshot) =>
        current is JsonNode node ? snapshot is JsonNode before && JsonNode.DeepEquals(node, before) : Equals(current, snapshot);

    /// <summary>Defines a helper for the engine's lifetime; it reads the context of whichever evaluation calls it.</summary>
    private void Define(string name, int length, Func<JsValue[], JsValue> body)
    {
        _helpers.Add(name);
        _engine.SetValue(name, Function(name, length, body));
    }

    private void DefineGlobal(string name, JsValue value)
    {
        _engine.SetValue(name, value);
        _evaluationGlobals.Add(name);
    }

    private ClrFunction Function(string name, int length, Func<JsValue[], JsValue> body) =>
        new(_engine, name, (_, args) => Guard(name, args, body), length, PropertyFlag.Configurable);

    /// <summary>
    /// Turns a .NET failure inside a helper (a bad GUID, invalid base64, a context that refuses a value) into a JavaScript
    /// Error, so the script can catch it and an uncaught one reports the script line. Limits and cancellation pass through.
    /// </summary>
    private JsValue Guard(string name, JsValue[] args, Func<JsValue[], JsValue> body)
    {
        try
        {
            return body(args);
        }
        catch (Exception ex) when (ex is not (JintException or TimeoutException or OperationCanceledException or OutOfMemoryException
                                       or InsufficientExecutionStackException))
        {
            throw new JavaScriptException(_engine.Intrinsics.Error, $"{name}: {ex.Message}", ex);
        }
    }

    private JsValue ToJs(object? value) => JavaScriptValues.ToJs(_engine, value);

    private JavaScriptException TypeError(string message) => new(_engine.Intrinsics.TypeError, message);

    private static JsValue Arg(JsValue[] args, int index) => index < args.Length ? args[index] : JsValue.Undefined;

    private static string? OptionalString(JsValue value) => value.IsNull() || value.IsUndefined() ? null : TypeConverter.ToString(value);

    private string RequireString(JsValue[] args, int index, string function, string what) =>
        OptionalString(Arg(args, index)) ?? throw TypeError($"{function} expects {what}.");

    private byte[] RequireBytes(JsValue[] args, string function)
    {
        var value = Arg(args, 0);
        if (JavaScriptValues.TryReadBytes(value, out var bytes))
        {
            return bytes;
        }

        if (!value.IsArray())
        {
            throw TypeError($"{function} expects a Uint8Array, an ArrayBuffer or an array of byte values.");
        }

        var array = value.AsArray();
        bytes = new byte[array.Length];
        for (uint i = 0; i < array.Length; i++)
        {
            var number = TypeConverter.ToNumber(array[i]);
            if (number is < 0 or > 255 || Math.Floor(number) != number)
            {
                throw TypeError($"{function} expects byte values from 0 to 255; item {i} is {TypeConverter.ToString(array[i])}.");
            }

            bytes[i] = (byte)number;
        }

        return bytes;
    }

    private static string NewShortGuid()
    {
        var text = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
        return text.Replace("/", "", StringComparison.Ordinal).Replace("+", "", StringComparison.Ordinal).Replace("=", "", StringComparison.Ordinal);
    }

    private sealed class VariableSlot(string name)
    {
        public string Name { get; } = name;

        public JsValue Value { get; set; } = JsValue.Undefined;

        public bool Loaded { get; set; }

        /// <summary>Set by <c>variables.X = ...</c>; setVariable writes through at once and clears it.</summary>
        public bool Assigned { get; set; }

        /// <summary>The .NET form of an object value when it was loaded or set, to tell whether the script changed it in place.</summary>
        public object? Snapshot { get; set; }
    }
}
