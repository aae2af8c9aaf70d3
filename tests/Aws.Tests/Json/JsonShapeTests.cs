using System.Text.Json;
using Personalization.Aws.Kinesis;
using Personalization.Aws.Personalize.Control;
using Personalization.Aws.Personalize.Events;
using Xunit;

namespace Personalization.Aws.Tests.Json;

/// <summary>Member spelling and encodings on the wire, as the service models define them.</summary>
public sealed class JsonShapeTests
{
    [Fact]
    public void Personalize_uses_camel_case_except_where_the_model_capitalises()
    {
        var json = JsonSerializer.Serialize(new ListFiltersResponse { Filters = [new FilterSummary { FilterArn = "arn:f", CreationDateTime = DateTimeOffset.FromUnixTimeSeconds(10) }], NextToken = "n" }, PersonalizeControlJsonContext.Default.ListFiltersResponse);

        Assert.Equal("{\"Filters\":[{\"filterArn\":\"arn:f\",\"creationDateTime\":10}],\"nextToken\":\"n\"}", json);
        Assert.Contains("\"performHPO\":true", JsonSerializer.Serialize(new Solution { PerformHPO = true }, PersonalizeControlJsonContext.Default.Solution));
        Assert.Contains("\"minProvisionedTPS\":2", JsonSerializer.Serialize(new Campaign { MinProvisionedTPS = 2 }, PersonalizeControlJsonContext.Default.Campaign));
    }

    [Fact]
    public void Timestamps_read_fractional_epoch_seconds_and_iso_strings()
    {
        var fromNumber = JsonSerializer.Deserialize("{\"creationDateTime\":1700000000.123}", PersonalizeControlJsonContext.Default.Recipe)!;
        var fromString = JsonSerializer.Deserialize("{\"creationDateTime\":\"2023-11-14T22:13:20Z\"}", PersonalizeControlJsonContext.Default.Recipe)!;

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123), fromNumber.CreationDateTime);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), fromString.CreationDateTime);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("{\"creationDateTime\":true}", PersonalizeControlJsonContext.Default.Recipe));
    }

    [Fact]
    public void Kinesis_blobs_are_base64_and_members_pascal_case()
    {
        var json = JsonSerializer.Serialize(new PutRecordsInput { StreamName = "s", Records = [new PutRecordsRequestEntry { PartitionKey = "p", Data = new byte[] { 1, 2, 3 } }] }, KinesisJsonContext.Default.PutRecordsInput);

        Assert.Equal("{\"Records\":[{\"Data\":\"AQID\",\"PartitionKey\":\"p\"}],\"StreamName\":\"s\"}", json);
    }

    [Fact]
    public void Event_omits_unset_optional_members()
    {
        var json = JsonSerializer.Serialize(new Event { EventType = "click", SentAt = DateTimeOffset.FromUnixTimeSeconds(5) }, PersonalizeEventsJsonContext.Default.Event);

        Assert.Equal("{\"eventType\":\"click\",\"sentAt\":5}", json);
    }
}
