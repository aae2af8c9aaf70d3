using System.Text.Json.Serialization;

namespace Personalization.Aws.AppConfigData;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StartConfigurationSessionRequest))]
[JsonSerializable(typeof(StartConfigurationSessionResponse))]
public sealed partial class AppConfigDataJsonContext : JsonSerializerContext;
