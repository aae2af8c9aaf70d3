using System.Text.Json.Serialization;

namespace Personalization.Aws.Firehose;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PutRecordBatchInput))]
[JsonSerializable(typeof(PutRecordBatchOutput))]
public sealed partial class FirehoseJsonContext : JsonSerializerContext;
