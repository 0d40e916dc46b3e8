using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Workflows.Definitions;

namespace SafetyWorkflows.Core.Documents;

/// <summary>Checks a metadata object against a library's columns and returns it normalised (typed JSON values, unknown keys refused).</summary>
public sealed class MetadataValidator(IOrganisationDirectory directory)
{
    public async Task<JsonObject> ValidateAsync(Library library, string? metadataText, CancellationToken cancellationToken)
    {
        JsonNode? parsed;
        try
        {
            parsed = string.IsNullOrWhiteSpace(metadataText) ? new JsonObject() : StrictJson.Parse(metadataText);
        }
        catch (StrictJsonException ex)
        {
            var field = "metadata" + ex.JsonPath[1..];
            throw new InputValidationException(field, $"metadata 不是合法的 JSON（{field}） (metadata is not valid JSON at {field}: {ex.Reason})");
        }
        catch (JsonException ex)
        {
            throw new InputValidationException("metadata", $"metadata 不是合法的 JSON (metadata is not valid JSON: {ex.Message})");
        }

        if (parsed is not JsonObject input)
        {
            throw new InputValidationException("metadata", "metadata 必须是 JSON 对象 (metadata must be a JSON object keyed by column key).");
        }

        foreach (var (key, _) in input)
        {
            if (library.FindColumn(key) is null)
            {
                throw new InputValidationException($"metadata.{key}",
                    $"“{library.Name}”没有列“{key}” (library {library.Key} has no column '{key}'; columns: {string.Join(", ", library.Columns.Select(c => c.Key))}).");
            }
        }

        var result = new JsonObject();
        foreach (var column in library.Columns)
        {
            var field = $"metadata.{column.Key}";
            var value = input[column.Key];
            if (value is null || (value is JsonValue v && v.TryGetValue<string>(out var s) && string.IsNullOrWhiteSpace(s)))
            {
                if (column.Required && !column.Hidden)
                {
                    throw new InputValidationException(field, $"缺少必填项“{column.Name}” (required column '{column.Key}' is missing).");
                }

                continue;
            }

            result[column.Key] = await NormaliseAsync(column, field, value, cancellationToken);
        }

        return result;
    }

    private async Task<JsonNode> NormaliseAsync(LibraryColumn column, string field, JsonNode value, CancellationToken cancellationToken)
    {
        if (value is not JsonValue scalar)
        {
            throw new InputValidationException(field, $"“{column.Name}”必须是单个值 ('{column.Key}' must be a single value).");
        }

        var text = scalar.GetValueKind() switch
        {
            JsonValueKind.String => scalar.GetValue<string>().Trim(),
            JsonValueKind.Number => scalar.ToJsonString(),
            JsonValueKind.True or JsonValueKind.False when column.Type == ColumnType.YesNo => scalar.ToJsonString(),
            _ => throw new InputValidationException(field, $"“{column.Name}”的值类型不对 ('{column.Key}' has the wrong type)."),
        };

        switch (column.Type)
        {
            case ColumnType.Text:
                if (text.Length > column.MaxLength)
                {
                    throw new InputValidationException(field, $"“{column.Name}”超过 {column.MaxLength} 字 ('{column.Key}' is longer than {column.MaxLength}).");
                }

                return JsonValue.Create(text);
            case ColumnType.Integer:
                if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
                {
                    throw new InputValidationException(field, $"“{column.Name}”必须是整数 ('{column.Key}' must be an integer).");
                }

                if (column.Key == "year" && (number < 2000 || number > 2100))
                {
                    throw new InputValidationException(field, "年度必须在 2000 到 2100 之间 (year must be between 2000 and 2100).");
                }

                return JsonValue.Create(number);
            case ColumnType.Date:
                if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    throw new InputValidationException(field, $"“{column.Name}”必须是日期 yyyy-MM-dd ('{column.Key}' must be a date yyyy-MM-dd).");
                }

                return JsonValue.Create(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            case ColumnType.Number:
                if (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) || text.Length > 30)
                {
                    throw new InputValidationException(field, $"“{column.Name}”必须是数字 ('{column.Key}' must be a number).");
                }

                return JsonValue.Create(amount);
            case ColumnType.YesNo:
                return JsonValue.Create(YesNo.TryParse(text)
                    ?? throw new InputValidationException(field, $"“{column.Name}”只能是“是”或“否” ('{column.Key}' must be true or false)."));
            case ColumnType.Choice:
                if (column.Options is null || !column.Options.Contains(text))
                {
                    throw new InputValidationException(field,
                        $"“{column.Name}”只能是: {string.Join("、", column.Options ?? [])} ('{column.Key}' must be one of the listed options).");
                }

                return JsonValue.Create(text);
            case ColumnType.Unit:
                if (await directory.FindUnitAsync(text, cancellationToken) is null)
                {
                    throw new InputValidationException(field, $"单位“{text}”不存在 (unit '{text}' not found).");
                }

                return JsonValue.Create(text);
            case ColumnType.User:
                if (await directory.FindOfficialAsync(text, cancellationToken) is null)
                {
                    throw new InputValidationException(field, $"用户“{text}”不存在 (user '{text}' not found).");
                }

                return JsonValue.Create(text);
            default:
                throw new InvalidOperationException($"Unknown column type {column.Type}.");
        }
    }
}
