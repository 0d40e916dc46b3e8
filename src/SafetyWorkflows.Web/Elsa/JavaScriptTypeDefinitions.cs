using System.Text;
using System.Text.Json.Nodes;
using SafetyWorkflows.Workflows.Definitions;

namespace SafetyWorkflows.Web.Elsa;

/// <summary>
/// The TypeScript declarations the Studio's JavaScript editor loads for autocomplete
/// (<c>POST /scripting/javascript/type-definitions/{definitionId}</c>): the functions our JavaScript scope defines,
/// <c>get</c>/<c>set</c> accessors and <c>variables.X</c> for each variable of the definition (workflow and flowchart
/// level), a <c>get</c> accessor for each workflow input, and the common types (DateTime, TimeSpan, Guid…).
/// </summary>
internal static class JavaScriptTypeDefinitions
{
    private const string Functions = """
        declare function getVariable(name: string): any;
        declare function setVariable(name: string, value: any): void;
        declare function getInput(name: string): any;
        declare function getOutputFrom(activityIdOrName: string, outputName?: string): any;
        declare function getLastResult(): any;
        declare function getWorkflowDefinitionId(): string;
        declare function getWorkflowDefinitionVersionId(): string;
        declare function getWorkflowDefinitionVersion(): number;
        declare function getWorkflowInstanceId(): string;
        declare function getCorrelationId(): string | null;
        declare function setCorrelationId(value: string): void;
        declare function getWorkflowInstanceName(): string | null;
        declare function setWorkflowInstanceName(value: string): void;
        declare function setOutcome(name: string): void;
        declare function setOutcomes(names: string[]): void;
        declare function isNullOrWhiteSpace(value: string | null): boolean;
        declare function isNullOrEmpty(value: string | null): boolean;
        declare function toJson(value: any): string;
        declare function parseGuid(value: string): string;
        declare function newGuid(): string;
        declare function newGuidString(): string;
        declare function newShortGuid(): string;
        declare function bytesToString(bytes: Uint8Array): string;
        declare function bytesFromString(text: string): Uint8Array;
        declare function bytesToBase64(bytes: Uint8Array): string;
        declare function bytesFromBase64(text: string): Uint8Array;
        declare function stringToBase64(text: string): string;
        declare function stringFromBase64(text: string): string;
        declare class TimeSpan {
            static fromDays(value: number): TimeSpan; static fromHours(value: number): TimeSpan; static fromMinutes(value: number): TimeSpan;
            static fromSeconds(value: number): TimeSpan; static fromMilliseconds(value: number): TimeSpan; static readonly Zero: TimeSpan;
            static FromDays(value: number): TimeSpan; static FromHours(value: number): TimeSpan; static FromMinutes(value: number): TimeSpan;
            static FromSeconds(value: number): TimeSpan; static FromMilliseconds(value: number): TimeSpan; static Parse(text: string): TimeSpan;
            readonly Days: number; readonly Hours: number; readonly Minutes: number; readonly Seconds: number; readonly Milliseconds: number;
            readonly TotalDays: number; readonly TotalHours: number; readonly TotalMinutes: number; readonly TotalSeconds: number; readonly TotalMilliseconds: number;
            Add(other: TimeSpan): TimeSpan; Subtract(other: TimeSpan): TimeSpan; Negate(): TimeSpan; toString(): string;
        }
        declare class DateTime {
            static readonly Now: DateTime; static readonly UtcNow: DateTime; static readonly Today: DateTime; static readonly MinValue: DateTime; static readonly MaxValue: DateTime;
            static Parse(text: string): DateTime;
            constructor(year: number, month: number, day: number, hour?: number, minute?: number, second?: number);
            readonly Year: number; readonly Month: number; readonly Day: number; readonly Hour: number; readonly Minute: number; readonly Second: number; readonly Millisecond: number;
            readonly DayOfWeek: number; readonly DayOfYear: number; readonly Date: DateTime; readonly Ticks: number;
            AddDays(value: number): DateTime; AddHours(value: number): DateTime; AddMinutes(value: number): DateTime; AddSeconds(value: number): DateTime;
            AddMilliseconds(value: number): DateTime; AddMonths(value: number): DateTime; AddYears(value: number): DateTime; Add(span: TimeSpan): DateTime;
            Subtract(other: DateTime | TimeSpan): any; ToString(format?: string): string; ToUniversalTime(): DateTime; ToLocalTime(): DateTime;
            CompareTo(other: DateTime): number; Equals(other: DateTime): boolean;
        }
        declare class DateTimeOffset {
            static readonly Now: DateTimeOffset; static readonly UtcNow: DateTimeOffset; static readonly MinValue: DateTimeOffset; static readonly MaxValue: DateTimeOffset;
            static Parse(text: string): DateTimeOffset;
            readonly Year: number; readonly Month: number; readonly Day: number; readonly Hour: number; readonly Minute: number; readonly Second: number; readonly Millisecond: number;
            readonly Offset: TimeSpan; readonly DateTime: DateTime; readonly UtcDateTime: DateTime; readonly Date: DateTime; readonly DayOfWeek: number;
            AddDays(value: number): DateTimeOffset; AddHours(value: number): DateTimeOffset; AddMinutes(value: number): DateTimeOffset; AddSeconds(value: number): DateTimeOffset;
            AddMilliseconds(value: number): DateTimeOffset; AddMonths(value: number): DateTimeOffset; AddYears(value: number): DateTimeOffset; Add(span: TimeSpan): DateTimeOffset;
            Subtract(other: DateTimeOffset | TimeSpan): any; ToString(format?: string): string; ToUniversalTime(): DateTimeOffset; ToUnixTimeMilliseconds(): number;
            CompareTo(other: DateTimeOffset): number; Equals(other: DateTimeOffset): boolean;
        }
        declare class Guid { static NewGuid(): Guid; static Parse(text: string): Guid; static readonly Empty: Guid; ToString(format?: string): string; Equals(other: Guid): boolean; }
        declare class Random { constructor(seed?: number); Next(maxValue?: number): number; Next(minValue: number, maxValue: number): number; NextDouble(): number; static readonly Shared: Random; }

        """;

    public static string For(WorkflowDefinition? definition)
    {
        var text = new StringBuilder(Functions);
        if (definition is null)
        {
            text.AppendLine("declare const variables: { [name: string]: any };");
            return text.ToString();
        }

        var variables = definition.Variables.Select(v => (v.Name, v.TypeName)).Concat(FlowchartVariables(definition.Root))
            .Where(v => ScriptNamesValid(v.Name)).DistinctBy(v => v.Name, StringComparer.Ordinal).ToList();
        text.AppendLine("declare const variables: {");
        foreach (var (name, type) in variables)
        {
            text.Append("    ").Append(name).Append(": ").Append(TypeScriptType(type)).AppendLine(";");
        }

        text.AppendLine("    [name: string]: any;").AppendLine("};");
        foreach (var (name, type) in variables)
        {
            var pascal = char.ToUpperInvariant(name[0]) + name[1..];
            var ts = TypeScriptType(type);
            text.Append("declare function get").Append(pascal).Append("(): ").Append(ts).AppendLine(";");
            text.Append("declare function set").Append(pascal).Append("(value: ").Append(ts).AppendLine("): void;");
        }

        foreach (var input in definition.Inputs.Where(i => ScriptNamesValid(i.Name)))
        {
            var pascal = char.ToUpperInvariant(input.Name[0]) + input.Name[1..];
            text.Append("declare function get").Append(pascal).Append("(): ").Append(TypeScriptType(input.Type)).AppendLine(";");
        }

        return text.ToString();
    }

    private static IEnumerable<(string Name, string TypeName)> FlowchartVariables(JsonObject activity)
    {
        foreach (var variable in activity.GetArray("variables")?.OfType<JsonObject>() ?? [])
        {
            if (variable.GetString("name") is { Length: > 0 } name)
            {
                yield return (name, variable.GetString("typeName") ?? "Object");
            }
        }

        foreach (var child in activity.GetArray("activities")?.OfType<JsonObject>() ?? [])
        {
            foreach (var nested in FlowchartVariables(child))
            {
                yield return nested;
            }
        }
    }

    private static bool ScriptNamesValid(string? name) =>
        !string.IsNullOrEmpty(name) && char.IsLetter(name[0]) && name.All(c => char.IsLetterOrDigit(c) || c is '_' or '$');

    private static string TypeScriptType(string? typeName) => typeName switch
    {
        "String" or "Guid" => "string",
        "Int32" or "Int64" or "Double" or "Decimal" or "Single" or "Int16" or "Byte" => "number",
        "Boolean" => "boolean",
        "DateTime" or "DateTimeOffset" => "Date",
        _ when typeName?.StartsWith("List<", StringComparison.Ordinal) == true || typeName?.EndsWith("[]", StringComparison.Ordinal) == true => "any[]",
        _ => "any",
    };
}
