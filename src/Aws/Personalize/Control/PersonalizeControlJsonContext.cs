using System.Text.Json.Serialization;
using Personalization.Aws.Json;

namespace Personalization.Aws.Personalize.Control;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(ListDatasetGroupsRequest))]
[JsonSerializable(typeof(ListDatasetGroupsResponse))]
[JsonSerializable(typeof(ListCampaignsRequest))]
[JsonSerializable(typeof(ListCampaignsResponse))]
[JsonSerializable(typeof(ListRecommendersRequest))]
[JsonSerializable(typeof(ListRecommendersResponse))]
[JsonSerializable(typeof(ListEventTrackersRequest))]
[JsonSerializable(typeof(ListEventTrackersResponse))]
[JsonSerializable(typeof(ListFiltersRequest))]
[JsonSerializable(typeof(ListFiltersResponse))]
[JsonSerializable(typeof(DescribeSolutionRequest))]
[JsonSerializable(typeof(DescribeSolutionResponse))]
[JsonSerializable(typeof(DescribeSolutionVersionRequest))]
[JsonSerializable(typeof(DescribeSolutionVersionResponse))]
[JsonSerializable(typeof(DescribeRecipeRequest))]
[JsonSerializable(typeof(DescribeRecipeResponse))]
[JsonSerializable(typeof(DescribeCampaignRequest))]
[JsonSerializable(typeof(DescribeCampaignResponse))]
[JsonSerializable(typeof(DescribeRecommenderRequest))]
[JsonSerializable(typeof(DescribeRecommenderResponse))]
[JsonSerializable(typeof(DescribeEventTrackerRequest))]
[JsonSerializable(typeof(DescribeEventTrackerResponse))]
public sealed partial class PersonalizeControlJsonContext : JsonSerializerContext;
