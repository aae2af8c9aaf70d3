using System.Text.Json;
using Personalization.Grains.Catalog;

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
        ValidateDataPath(itemPath, DocumentReader.Child(path, "path"), reader);
        if (type == ItemMetadataType.DynamoDb && itemPath is not null)
        {
            reader.Warn(DocumentReader.Child(path, "path"), "ignored for dynamodb: items are read from the table PersonalizationApiItemMetadata_{namespace} (load it with `catalog load`)");
        }
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

    /// <summary>A data path is a local file or an <c>s3://bucket/key</c> address (a key ending in '/' names a staging prefix).</summary>
    private static void ValidateDataPath(string? value, string path, DocumentReader reader)
    {
        if (value is not null && S3Location.IsS3(value) && !S3Location.TryParse(value, out _, out var error))
        {
            reader.Error(path, error!);
        }
    }
}
