using System.Text.Json;

namespace Personalization.Grains.Configuration;

public static partial class ConfigurationParser
{
    private static ItemMetadataConfig? ParseItemMetadata(JsonElement element, string path, DocumentReader reader)
    {
        if (!reader.ExpectObject(element, path))
        {
            return null;
        }

        var typeName = reader.ReqString(element, "type", path);
        ItemMetadataType? type = typeName switch
        {
            null => null,
            "localdb" => ItemMetadataType.LocalDb,
            "dynamodb" => ItemMetadataType.DynamoDb,
            "personalize" => ItemMetadataType.Personalize,
            _ => null,
        };
        if (typeName is not null && type is null)
        {
            reader.Error(DocumentReader.Child(path, "type"), $"unknown item metadata type '{typeName}' (expected localdb, dynamodb or personalize)");
        }

        var syncInterval = (int?)reader.OptInteger(element, "syncInterval", path, 5, 3600) ?? ItemMetadataConfig.DefaultSyncIntervalSeconds;
        var itemPath = reader.OptString(element, "path", path);
        var columns = new List<string>();
        if (DocumentReader.TryGet(element, "itemColumns", out var columnsElement))
        {
            var columnsPath = DocumentReader.Child(path, "itemColumns");
            if (columnsElement.ValueKind != JsonValueKind.Array || columnsElement.EnumerateArray().Any(c => c.ValueKind != JsonValueKind.String))
            {
                reader.Error(columnsPath, "must be an array of strings");
            }
            else
            {
                columns.AddRange(columnsElement.EnumerateArray().Select(c => c.GetString()!));
                if (columns.Count > 10)
                {
                    reader.Error(columnsPath, "Personalize returns at most 10 metadata columns");
                }
            }
        }

        return type is null ? null : new ItemMetadataConfig(type.Value, syncInterval, columns, itemPath);
    }
}
