using System.Buffers;
using System.Text.Json;
using Personalization.Grains.Catalog;
using Personalization.Grains.Recommenders.BuiltIn.Interactions;

namespace Personalization.Grains.Samples;

/// <summary>A generated store: its catalog and its interactions in time order.</summary>
public sealed record SampleStore(IReadOnlyList<SampleItem> Items, IReadOnlyList<Interaction> Interactions)
{
    /// <summary>The catalog exactly as it would load from the written JSON Lines file.</summary>
    public ItemCatalog CreateCatalog()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        var lineBuffer = new ArrayBufferWriter<byte>(1024);
        var items = new List<CatalogItem>(Items.Count);
        foreach (var item in Items)
        {
            buffer.ResetWrittenCount();
            WriteJson(item, buffer);
            var line = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
            items.Add(CatalogReader.ParseLine(line, lineBuffer, out var error) ?? throw new InvalidOperationException(error));
        }

        return new ItemCatalog(items);
    }

    internal static void WriteJson(SampleItem item, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteString("id", item.Id);
        writer.WriteString("name", item.Name);
        writer.WriteString("category", item.Category);
        writer.WriteString("subcategory", item.Subcategory);
        writer.WriteString("brand", item.Brand);
        writer.WriteNumber("price", item.Price);
        writer.WriteString("image_url", item.ImageUrl);
        writer.WriteString("description", item.Description);
        writer.WriteNumber("launched_at", item.LaunchedAt);
        writer.WriteEndObject();
    }
}
