using System.Text.Json;
using Personalization.Grains.Context;

namespace Personalization.Grains.Configuration;

public static partial class ConfigurationParser
{
    private static AutoContextConfig? ParseAutoContext(JsonElement element, string path, DocumentReader reader)
    {
        if (!reader.ExpectObject(element, path))
        {
            return null;
        }

        var errorsBefore = reader.Errors.Count;
        var fields = new List<AutoContextField>();
        foreach (var (name, fieldElement, fieldPath) in reader.Properties(element, path))
        {
            if (!KeyPattern().IsMatch(name))
            {
                reader.Error(fieldPath, "field name must match ^[a-zA-Z0-9_-]+$");
            }

            if (ParseField(name, fieldElement, fieldPath, reader) is { } field)
            {
                fields.Add(field);
            }
        }

        return reader.Errors.Count > errorsBefore ? null : new AutoContextConfig(fields);
    }

    private static AutoContextField? ParseField(string name, JsonElement element, string path, DocumentReader reader)
    {
        if (!reader.ExpectObject(element, path))
        {
            return null;
        }

        var typeName = reader.OptString(element, "type", path);
        AutoContextFieldType? type = typeName switch
        {
            null or "string" => AutoContextFieldType.String,
            "integer" => AutoContextFieldType.Integer,
            "long" => AutoContextFieldType.Long,
            "float" => AutoContextFieldType.Float,
            _ => null,
        };
        if (type is null)
        {
            reader.Error(DocumentReader.Child(path, "type"), $"unknown field type '{typeName}' (expected string, integer, long or float)");
        }

        var defaultValue = DocumentReader.TryGet(element, "default", out var defaultElement)
            ? ReadContextValue(defaultElement, DocumentReader.Child(path, "default"), reader)
            : null;
        var evaluateAll = reader.OptBool(element, "evaluateAll", path) ?? false;

        var rules = new List<AutoContextRule>();
        var rulesPath = DocumentReader.Child(path, "rules");
        if (!DocumentReader.TryGet(element, "rules", out var rulesElement))
        {
            reader.Error(rulesPath, "is required");
        }
        else if (rulesElement.ValueKind != JsonValueKind.Array)
        {
            reader.Error(rulesPath, "must be an array");
        }
        else
        {
            var index = 0;
            foreach (var ruleElement in rulesElement.EnumerateArray())
            {
                if (ParseRule(ruleElement, DocumentReader.Index(rulesPath, index++), reader) is { } rule)
                {
                    rules.Add(rule);
                }
            }
        }

        return type is null ? null : new AutoContextField(name, type.Value, defaultValue, evaluateAll, rules);
    }

    private static AutoContextRule? ParseRule(JsonElement element, string path, DocumentReader reader)
    {
        if (!reader.ExpectObject(element, path))
        {
            return null;
        }

        var typeName = reader.ReqString(element, "type", path);
        AutoContextRuleType? type = typeName switch
        {
            null => null,
            "header-value" => AutoContextRuleType.HeaderValue,
            "hour-of-day" => AutoContextRuleType.HourOfDay,
            "day-of-week" => AutoContextRuleType.DayOfWeek,
            "season-of-year" or "season" => AutoContextRuleType.SeasonOfYear,
            _ => null,
        };
        if (typeName is not null && type is null)
        {
            reader.Error(
                DocumentReader.Child(path, "type"),
                $"unknown rule type '{typeName}' (expected header-value, hour-of-day, day-of-week or season-of-year)");
        }

        string? header = null;
        if (type == AutoContextRuleType.HeaderValue)
        {
            header = reader.ReqString(element, "header", path);
        }

        var mappings = new List<ValueMapping>();
        var mappingsPath = DocumentReader.Child(path, "valueMappings");
        if (DocumentReader.TryGet(element, "valueMappings", out var mappingsElement))
        {
            if (mappingsElement.ValueKind != JsonValueKind.Array)
            {
                reader.Error(mappingsPath, "must be an array");
            }
            else
            {
                var index = 0;
                foreach (var mappingElement in mappingsElement.EnumerateArray())
                {
                    var mappingPath = DocumentReader.Index(mappingsPath, index++);
                    if (ParseMapping(mappingElement, mappingPath, reader) is not { } mapping)
                    {
                        continue;
                    }

                    // Time rules produce numbers; a non-numeric operand would silently compare as text.
                    if (type is not null and not AutoContextRuleType.HeaderValue && mapping.Value.Number is null)
                    {
                        reader.Error(DocumentReader.Child(mappingPath, "value"), $"must be a number for {typeName} rules");
                        continue;
                    }

                    mappings.Add(mapping);
                }
            }
        }

        return type is null || (type == AutoContextRuleType.HeaderValue && header is null)
            ? null
            : new AutoContextRule(type.Value, header, mappings);
    }

    private static ValueMapping? ParseMapping(JsonElement element, string path, DocumentReader reader)
    {
        if (!reader.ExpectObject(element, path))
        {
            return null;
        }

        var operatorName = reader.ReqString(element, "operator", path);
        MappingOperator? op = operatorName switch
        {
            null => null,
            "equals" => MappingOperator.Equals,
            "less-than" => MappingOperator.LessThan,
            "greater-than" => MappingOperator.GreaterThan,
            "contains" => MappingOperator.Contains,
            "start-with" or "starts-with" => MappingOperator.StartsWith,
            "ends-with" => MappingOperator.EndsWith,
            _ => null,
        };
        if (operatorName is not null && op is null)
        {
            reader.Error(
                DocumentReader.Child(path, "operator"),
                $"unknown operator '{operatorName}' (expected equals, less-than, greater-than, contains, starts-with or ends-with)");
        }

        var value = ReadRequiredContextValue(element, "value", path, reader);
        var mapTo = ReadRequiredContextValue(element, "mapTo", path, reader);
        return op is null || value is null || mapTo is null ? null : new ValueMapping(op.Value, value.Value, mapTo.Value);
    }

    private static ContextValue? ReadRequiredContextValue(JsonElement element, string name, string path, DocumentReader reader)
    {
        if (!DocumentReader.TryGet(element, name, out var value))
        {
            reader.Error(DocumentReader.Child(path, name), "is required");
            return null;
        }

        return ReadContextValue(value, DocumentReader.Child(path, name), reader);
    }

    private static ContextValue? ReadContextValue(JsonElement value, string path, DocumentReader reader)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return ContextValue.FromString(value.GetString()!);
            case JsonValueKind.Number:
                return new ContextValue(value.GetRawText(), value.GetDouble());
            default:
                reader.Error(path, "must be a string or a number");
                return null;
        }
    }
}
