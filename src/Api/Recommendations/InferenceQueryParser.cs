using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Personalization.Api.Errors;
using Personalization.Grains.Json;
using Personalization.Grains.Recommendations;

namespace Personalization.Api.Recommendations;

/// <summary>
/// Reads and validates the inference query parameters (spec §1). Unlike the original, every bad value is a 400 that
/// names the parameter: a non-integer numResults, malformed JSON, or values Personalize would reject.
/// </summary>
public static partial class InferenceQueryParser
{
    private const int MaxFilterValues = 25;
    private const int MaxContextEntries = 150;
    private const int MaxValueLength = 1000;

    public static InferenceOptions Parse(IQueryCollection query, bool allowNumResults = true)
    {
        var (decorateFields, decorateFieldsKey) = DecorateFields(query);
        return new InferenceOptions
        {
            NumResults = allowNumResults ? NumResults(query) : InferenceOptions.DefaultNumResults,
            Filter = Single(query, "filter") is { Length: > 0 } filter ? ValidateFilter(filter) : null,
            FilterValues = JsonMap(query, "filterValues", MaxFilterValues, 50),
            Context = JsonMap(query, "context", MaxContextEntries, 150),
            DecorateItems = Flag(query, "decorateItems", defaultValue: true),
            SyntheticUser = Flag(query, "syntheticUser", defaultValue: false),
            Feature = Single(query, "feature") is { Length: > 0 } feature ? feature : null,
            DecorateFields = decorateFields,
            DecorateFieldsKey = decorateFieldsKey,
        };
    }

    private static (FrozenSet<string>? Fields, string? Key) DecorateFields(IQueryCollection query)
    {
        if (Single(query, "decorateFields") is not { Length: > 0 } fields)
        {
            return (null, null);
        }

        var names = fields.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0)
        {
            throw ApiException.BadRequest("InvalidDecorateFields", "decorateFields must list one or more field names separated by commas.");
        }

        Array.Sort(names, StringComparer.Ordinal);
        return (names.ToFrozenSet(StringComparer.Ordinal), string.Join(',', names));
    }

    /// <summary>Comma-separated item IDs from the rerank path, each 1–256 characters, at most 500.</summary>
    public static IReadOnlyList<string> ItemIds(string raw) =>
        ValidateItemIds(raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    public static IReadOnlyList<string> ValidateItemIds(IReadOnlyList<string> ids)
    {
        if (ids.Count == 0)
        {
            throw ApiException.BadRequest("InvalidItemIds", "at least one item ID is required to rerank.");
        }

        if (ids.Count > InferenceOptions.MaxNumResults)
        {
            throw ApiException.BadRequest("InvalidItemIds", $"at most {InferenceOptions.MaxNumResults} item IDs can be reranked; got {ids.Count}.");
        }

        foreach (var id in ids)
        {
            ValidateId(id, "itemIds");
        }

        return ids;
    }

    public static string ValidateId(string id, string name)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 256)
        {
            throw ApiException.BadRequest("InvalidParameter", $"{name} must be 1 to 256 characters.");
        }

        return id;
    }

    private static int NumResults(IQueryCollection query)
    {
        if (Single(query, "numResults") is not { } raw)
        {
            return InferenceOptions.DefaultNumResults;
        }

        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1 || value > InferenceOptions.MaxNumResults)
        {
            throw ApiException.BadRequest("InvalidNumResults", $"numResults must be an integer from 1 to {InferenceOptions.MaxNumResults}; got '{Truncate(raw)}'.");
        }

        return value;
    }

    private static string ValidateFilter(string filter)
    {
        if (filter.Length > 256 || !FilterPattern().IsMatch(filter))
        {
            throw ApiException.BadRequest("InvalidFilter", $"filter must be a filter name or a Personalize filter ARN; got '{Truncate(filter)}'.");
        }

        return filter;
    }

    private static bool Flag(IQueryCollection query, string name, bool defaultValue)
    {
        if (Single(query, name) is not { } raw)
        {
            return defaultValue;
        }

        if (raw.Equals("1", StringComparison.Ordinal) || raw.Equals("yes", StringComparison.OrdinalIgnoreCase) || raw.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (raw.Length == 0 || raw.Equals("0", StringComparison.Ordinal) || raw.Equals("no", StringComparison.OrdinalIgnoreCase) || raw.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        throw ApiException.BadRequest("InvalidParameter", $"{name} must be true/false, yes/no or 1/0; got '{Truncate(raw)}'.");
    }

    private static CanonicalMap JsonMap(IQueryCollection query, string name, int maxEntries, int maxKeyLength)
    {
        if (Single(query, name) is not { Length: > 0 } raw)
        {
            return CanonicalMap.Empty;
        }

        var utf8 = Encoding.UTF8.GetBytes(raw);
        var text = ClientJson.Check(utf8, name);
        if (!text.IsValid)
        {
            throw ApiException.BadRequest("InvalidParameter", $"{name} must be a JSON object of strings, e.g. {{\"KEY\":\"value\"}}: {string.Join("; ", text.Problems)}");
        }

        using (var document = JsonDocument.Parse(utf8))
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw ApiException.BadRequest("InvalidParameter", $"{name} must be a JSON object of strings, e.g. {{\"KEY\":\"value\"}}.");
            }

            var pairs = new List<KeyValuePair<string, string>>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name.Length is 0 || property.Name.Length > maxKeyLength || !MapKeyPattern().IsMatch(property.Name))
                {
                    throw ApiException.BadRequest("InvalidParameter", $"{name}: key '{Truncate(property.Name)}' must be 1 to {maxKeyLength} letters, digits or underscores.");
                }

                var value = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString()!,
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                    _ => throw ApiException.BadRequest("InvalidParameter", $"{name}.{property.Name} must be a string, number or boolean."),
                };
                if (value.Length > MaxValueLength)
                {
                    throw ApiException.BadRequest("InvalidParameter", $"{name}.{property.Name} is longer than {MaxValueLength} characters.");
                }

                pairs.Add(new(property.Name, value));
            }

            if (pairs.Count > maxEntries)
            {
                throw ApiException.BadRequest("InvalidParameter", $"{name} has {pairs.Count} entries; at most {maxEntries} are allowed.");
            }

            return CanonicalMap.From(pairs);
        }
    }

    private static string? Single(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out var values) || values.Count == 0)
        {
            return null;
        }

        if (values.Count > 1)
        {
            throw ApiException.BadRequest("InvalidParameter", $"{name} was given {values.Count} times; give it once.");
        }

        return values[0];
    }

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";

    /// <summary>Personalize's FilterAttributeName and AttributeName patterns.</summary>
    [GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial Regex MapKeyPattern();

    [GeneratedRegex(@"^(arn:aws[a-z-]*:personalize:[a-z0-9-]*:\d{12}:filter/[A-Za-z0-9_.-]+|[A-Za-z0-9_.-]+)$")]
    private static partial Regex FilterPattern();
}
