using System.Buffers;
using System.Text.Json;
using Personalization.Grains.Configuration;

namespace Personalization.Grains.Recommenders;

/// <summary>
/// The event personalization-apis sends to a custom recommender (Lambda function or SageMaker endpoint) and to a
/// response post-processor: <c>{version:"1.0", action, recommender:{path, config}, variation, userId, itemId,
/// numResults, itemList, context}</c>, plus <c>response</c> for a post-processor. <c>config</c> and <c>variation</c> are
/// the recommender's and the variation's JSON objects as configured; members a call does not have are left out
/// (related-items without a user sends <c>userId: ""</c> as the original does).
/// </summary>
public static class FunctionPayload
{
    public const string Version = "1.0";

    /// <param name="numResults">The count to ask for (the look-ahead count when a post-processor is configured); not sent for rerank.</param>
    /// <param name="response">For a post-processor: the backend's answer in the Personalize shape, as UTF-8 JSON.</param>
    public static byte[] Write(BackendRequest request, int numResults, ReadOnlySpan<byte> response = default)
    {
        var recommender = request.Recommender;
        var variation = request.Variation;
        var action = recommender.Action;
        var buffer = new ArrayBufferWriter<byte>(512 + (variation.Document?.Length ?? 0) + (recommender.Document?.Length ?? 0) + response.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("version", Version);
            writer.WriteString("action", action.ToWireName());
            writer.WriteStartObject("recommender");
            writer.WriteString("path", recommender.Name);
            writer.WritePropertyName("config");
            WriteDocument(writer, recommender.Document);
            writer.WriteEndObject();
            writer.WritePropertyName("variation");
            if (variation.Document is { } document)
            {
                writer.WriteRawValue(document);
            }
            else
            {
                // A variation built in code (the built-in trending last resort) has no document: its type and key say what it is.
                writer.WriteStartObject();
                writer.WriteString("type", variation.TypeName);
                writer.WriteString("key", variation.Key);
                writer.WriteEndObject();
            }

            switch (action)
            {
                case RecommenderAction.RecommendItems:
                    writer.WriteString("userId", request.UserId);
                    writer.WriteNumber("numResults", numResults);
                    break;
                case RecommenderAction.RelatedItems:
                    writer.WriteString("itemId", request.ItemId);
                    writer.WriteString("userId", request.UserId ?? string.Empty);
                    writer.WriteNumber("numResults", numResults);
                    break;
                default:
                    writer.WriteString("userId", request.UserId);
                    writer.WriteStartArray("itemList");
                    foreach (var item in request.InputList ?? [])
                    {
                        writer.WriteStringValue(item);
                    }

                    writer.WriteEndArray();
                    break;
            }

            if (request.Context.Count > 0)
            {
                writer.WriteStartObject("context");
                foreach (var (name, value) in request.Context)
                {
                    writer.WriteString(name, value);
                }

                writer.WriteEndObject();
            }

            if (!response.IsEmpty)
            {
                writer.WritePropertyName("response");
                writer.WriteRawValue(response, skipInputValidation: true);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteDocument(Utf8JsonWriter writer, string? document)
    {
        if (document is null)
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteRawValue(document);
        }
    }
}
