using System.Globalization;
using System.Text.Json;

namespace Personalization.Grains.Configuration;

/// <summary>Typed reads of JSON properties that record an issue (with its path) instead of throwing.</summary>
internal sealed class DocumentReader
{
    public List<ConfigurationIssue> Errors { get; } = [];

    public List<ConfigurationIssue> Warnings { get; } = [];

    public static string Child(string path, string name) => path.Length == 0 ? name : path + "." + name;

    public static string Index(string path, int index) => path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    public void Error(string path, string message) => Errors.Add(new ConfigurationIssue(path, message));

    public void Warn(string path, string message) => Warnings.Add(new ConfigurationIssue(path, message));

    public bool ExpectObject(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        Error(path, "must be an object");
        return false;
    }

    /// <summary>The property when present and not null.</summary>
    public static bool TryGet(JsonElement obj, string name, out JsonElement value) =>
        obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    public string? OptString(JsonElement obj, string name, string path)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Error(Child(path, name), "must be a string");
            return null;
        }

        return value.GetString();
    }

    public string? ReqString(JsonElement obj, string name, string path)
    {
        if (!TryGet(obj, name, out _))
        {
            Error(Child(path, name), "is required");
            return null;
        }

        var text = OptString(obj, name, path);
        if (text is not null && string.IsNullOrWhiteSpace(text))
        {
            Error(Child(path, name), "must not be empty");
            return null;
        }

        return text;
    }

    public bool? OptBool(JsonElement obj, string name, string path)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        Error(Child(path, name), "must be true or false");
        return null;
    }

    public long? OptInteger(JsonElement obj, string name, string path, long min, long max)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            Error(Child(path, name), "must be an integer");
            return null;
        }

        if (number < min || number > max)
        {
            Error(Child(path, name), max >= int.MaxValue ? $"must be at least {min}" : $"must be between {min} and {max}");
            return null;
        }

        return number;
    }

    public double? OptNumber(JsonElement obj, string name, string path, double min, double max)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            Error(Child(path, name), "must be a number");
            return null;
        }

        // A literal beyond double's range (1e400) reads as infinity, which an open upper bound would let through.
        var number = value.GetDouble();
        if (!double.IsFinite(number))
        {
            Error(Child(path, name), "must be a finite number");
            return null;
        }

        if (number < min || number > max)
        {
            Error(Child(path, name), double.IsPositiveInfinity(max) ? $"must be at least {Format(min)}" : $"must be between {Format(min)} and {Format(max)}");
            return null;
        }

        return number;
    }

    /// <summary>The object's properties with their paths (a document with a repeated key never gets here: ClientJson refuses it).</summary>
    public IEnumerable<(string Key, JsonElement Value, string Path)> Properties(JsonElement obj, string path)
    {
        foreach (var property in obj.EnumerateObject())
        {
            yield return (property.Name, property.Value, Child(path, property.Name));
        }
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
