using System.Globalization;
using System.Text;
using Personalization.Grains.Catalog;

namespace Personalization.Grains.Recommenders.BuiltIn.Interactions;

/// <summary>Reads a Personalize interactions CSV (optionally gzip). The header names the columns in any order or
/// case; USER_ID, ITEM_ID and TIMESTAMP are required, EVENT_TYPE and EVENT_VALUE optional, others ignored.</summary>
public static class InteractionsCsvReader
{
    public static async Task<InteractionLoadResult> LoadAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = DataFileStreams.OpenRead(path);
        return await ReadAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<InteractionLoadResult> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(DataFileStreams.Decompressing(stream), Encoding.UTF8, true, 1 << 16, leaveOpen: true);
        var interactions = new List<Interaction>();
        var errors = new List<DataFileError>();
        var header = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (header is null)
        {
            errors.Add(new DataFileError(1, "empty file: expected a header row naming USER_ID, ITEM_ID, TIMESTAMP"));
            return new InteractionLoadResult(interactions, errors);
        }

        var columns = CsvLine.Split(header).Select(c => c.Trim().ToUpperInvariant()).ToList();
        int user = columns.IndexOf("USER_ID"), item = columns.IndexOf("ITEM_ID"), time = columns.IndexOf("TIMESTAMP");
        int eventType = columns.IndexOf("EVENT_TYPE"), eventValue = columns.IndexOf("EVENT_VALUE");
        var missing = new[] { ("USER_ID", user), ("ITEM_ID", item), ("TIMESTAMP", time) }.Where(c => c.Item2 < 0).Select(c => c.Item1).ToList();
        if (missing.Count > 0)
        {
            errors.Add(new DataFileError(1, $"header lacks column(s) {string.Join(", ", missing)}"));
            return new InteractionLoadResult(interactions, errors);
        }

        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        long lineNumber = 1;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var cells = CsvLine.Split(line);
            if (cells.Count < columns.Count)
            {
                errors.Add(new DataFileError(lineNumber, $"expected {columns.Count} columns, found {cells.Count}"));
                continue;
            }

            if (cells[user].Length == 0 || cells[item].Length == 0)
            {
                errors.Add(new DataFileError(lineNumber, "USER_ID and ITEM_ID must not be empty"));
                continue;
            }

            if (!long.TryParse(cells[time], NumberStyles.Integer, CultureInfo.InvariantCulture, out var timestamp))
            {
                errors.Add(new DataFileError(lineNumber, $"TIMESTAMP \"{cells[time]}\" is not an integer (epoch seconds)"));
                continue;
            }

            double? value = null;
            if (eventValue >= 0 && cells[eventValue].Length > 0)
            {
                if (!double.TryParse(cells[eventValue], NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
                {
                    errors.Add(new DataFileError(lineNumber, $"EVENT_VALUE \"{cells[eventValue]}\" is not a number"));
                    continue;
                }

                value = parsed;
            }

            // Ids repeat a lot: intern them per file to keep the loaded list small.
            interactions.Add(new Interaction(
                Intern(strings, cells[user]),
                Intern(strings, cells[item]),
                timestamp,
                eventType >= 0 ? Intern(strings, cells[eventType]) : string.Empty,
                value));
        }

        return new InteractionLoadResult(interactions, errors);
    }

    private static string Intern(Dictionary<string, string> strings, string value)
    {
        if (strings.TryGetValue(value, out var existing))
        {
            return existing;
        }

        strings[value] = value;
        return value;
    }
}
