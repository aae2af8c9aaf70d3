using System.Text.Json.Serialization;

namespace Personalization.Aws.Kinesis;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PutRecordsInput))]
[JsonSerializable(typeof(PutRecordsOutput))]
public sealed partial class KinesisJsonContext : JsonSerializerContext;
