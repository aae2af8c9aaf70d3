using System.Globalization;
using System.Text;
using Personalization.Grains.Catalog;

namespace Personalization.Grains.Recommenders.BuiltIn.Interactions;

/// <summary>Writes Personalize's interactions CSV (gzip when the path ends in .gz; Personalize imports plain CSV).</summary>
public static class InteractionsCsvWriter
{
    public static async Task WriteAsync(string path, IEnumerable<Interaction> interactions, CancellationToken cancellationToken)
    {
        await using var stream = DataFileStreams.CreateWrite(path);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16);
        await writer.WriteLineAsync("USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE".AsMemory(), cancellationToken).ConfigureAwait(false);
        var line = new StringBuilder(64);
        foreach (var interaction in interactions)
        {
            line.Clear()
                .Append(CsvLine.Quote(interaction.UserId)).Append(',')
                .Append(CsvLine.Quote(interaction.ItemId)).Append(',')
                .Append(interaction.Timestamp.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(CsvLine.Quote(interaction.EventType)).Append(',');
            if (interaction.EventValue is { } value)
            {
                line.Append(value.ToString("R", CultureInfo.InvariantCulture));
            }

            await writer.WriteLineAsync(line, cancellationToken).ConfigureAwait(false);
        }
    }
}
