using System.Text;
using Personalization.Grains.Events;

namespace Personalization.Grains.Tests.Events;

internal static class EventFixtures
{
    public static readonly EventOrigin Origin = new("shop", "/events/shop");

    public static EventSubmission Submission(string sessionId, string? userId, int events, string idPrefix = "e", EventOrigin? origin = null, string? properties = null)
    {
        var list = new List<EventData>(events);
        for (var i = 0; i < events; i++)
        {
            list.Add(new EventData
            {
                EventId = $"{idPrefix}{i}",
                EventType = "click",
                ItemId = $"item-{i}",
                Properties = properties,
                SentAt = new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero),
            });
        }

        return new EventSubmission(origin ?? Origin, new EventsRequest { SessionId = sessionId, UserId = userId, EventList = list });
    }

    public static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);

    public static TargetQueueOptions Immediate(int capacity = 10_000, int maxAttempts = 8) => new()
    {
        Capacity = capacity,
        FlushDelay = TimeSpan.Zero,
        Retry = new RetryPolicy { MaxAttempts = maxAttempts, BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero },
        Random = new Random(7),
    };
}
