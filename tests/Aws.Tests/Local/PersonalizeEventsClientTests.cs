using System.Text.Json;
using Personalization.Aws.Errors;
using Personalization.Aws.Personalize.Events;
using Xunit;

namespace Personalization.Aws.Tests.Local;

public sealed class PersonalizeEventsClientTests : LocalServerTest
{
    [Fact]
    public async Task PutEvents_sends_properties_as_a_json_string_and_sentAt_as_epoch_seconds()
    {
        var client = Clients().CreatePersonalizeEventsClient();

        await client.PutEventsAsync(new PutEventsRequest
        {
            TrackingId = "tracking-1",
            UserId = "u1",
            SessionId = "s1",
            EventList =
            [
                new Event
                {
                    EventId = "e1", EventType = "watch", EventValue = 1.5f, ItemId = "i9", RecommendationId = "rid",
                    Properties = "{\"discount\":\"yes\"}", SentAt = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_250),
                    Impression = ["i9", "i8"], MetricAttribution = new MetricAttribution { EventAttributionSource = "web" },
                },
            ],
        });

        var call = Assert.Single(State.Recorded.For("PutEvents"));
        Assert.Equal(("personalize-events", "/events", 200), (call.Service, call.Target, call.StatusCode));
        using var body = JsonDocument.Parse(call.Body);
        var e = body.RootElement.GetProperty("eventList")[0];
        Assert.Equal("tracking-1", body.RootElement.GetProperty("trackingId").GetString());
        Assert.Equal(JsonValueKind.String, e.GetProperty("properties").ValueKind);
        Assert.Equal("{\"discount\":\"yes\"}", e.GetProperty("properties").GetString());
        Assert.Equal(1_700_000_000.25m, e.GetProperty("sentAt").GetDecimal());
        Assert.Equal("web", e.GetProperty("metricAttribution").GetProperty("eventAttributionSource").GetString());
    }

    [Fact]
    public async Task PutItems_PutUsers_and_PutActionInteractions_reach_their_paths()
    {
        var client = Clients().CreatePersonalizeEventsClient();

        await client.PutItemsAsync(new PutItemsRequest { DatasetArn = "arn:items", Items = [new Item { ItemId = "i1", Properties = "{\"genre\":\"x\"}" }] });
        await client.PutUsersAsync(new PutUsersRequest { DatasetArn = "arn:users", Users = [new User { UserId = "u1" }] });
        await client.PutActionInteractionsAsync(new PutActionInteractionsRequest
        {
            TrackingId = "t",
            ActionInteractions = [new ActionInteraction { ActionId = "a1", SessionId = "s", EventType = "Taken", Timestamp = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000) }],
        });

        Assert.Equal(["/items", "/users", "/action-interactions"], State.Recorded.All.Select(c => c.Target));
        Assert.All(State.Recorded.All, c => Assert.Equal(200, c.StatusCode));
        Assert.Contains("\"timestamp\":1700000000", State.Recorded.For("PutActionInteractions")[0].Body);
    }

    [Fact]
    public async Task Missing_required_members_are_validation_errors()
    {
        var client = Clients().CreatePersonalizeEventsClient();

        var error = await Assert.ThrowsAsync<AwsValidationException>(() => client.PutEventsAsync(new PutEventsRequest
        {
            TrackingId = "t",
            EventList = [new Event { EventType = "click", SentAt = DateTimeOffset.FromUnixTimeSeconds(1) }],
        }));

        Assert.Contains("sessionId", error.Message);
    }
}
