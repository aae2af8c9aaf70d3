using System.Text.Json;

namespace Personalization.Grains.Events;

/// <summary>Typed reads of the current JSON value that report a wrong type or length instead of throwing.</summary>
internal static class JsonTokens
{
    public static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => "nothing",
    };

    /// <summary>Reads a string of 1..<paramref name="maxLength"/> characters; null counts as absent.</summary>
    public static string? ReadString(ref Utf8JsonReader reader, ValidationErrors errors, FieldPath path, int maxLength, bool required)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            if (required)
            {
                errors.Add(path, $"required, a string of 1 to {maxLength} characters");
            }

            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            errors.Add(path, $"must be a string of 1 to {maxLength} characters, got {Describe(reader.TokenType)}");
            reader.Skip();
            return null;
        }

        var value = reader.GetString()!;
        if (value.Length == 0 || value.Length > maxLength)
        {
            errors.Add(path, $"must be 1 to {maxLength} characters long, got {value.Length}");
            return null;
        }

        return value;
    }
}
