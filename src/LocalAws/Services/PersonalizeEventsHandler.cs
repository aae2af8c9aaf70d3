using Personalization.Aws.Personalize.Events;

namespace Personalization.LocalAws.Services;

/// <summary>personalize-events: validates the model's required members and limits; the recorder keeps the payloads.</summary>
public sealed class PersonalizeEventsHandler
{
    private static PersonalizeEventsJsonContext Json => PersonalizeEventsJsonContext.Default;

    public LocalResponse Handle(string operation, ReadOnlyMemory<byte> body)
    {
        switch (operation)
        {
            case "PutEvents":
                var events = LocalResponse.Read(body, Json.PutEventsRequest, false);
                Require(events.TrackingId, "trackingId");
                Require(events.SessionId, "sessionId");
                RequireCount(events.EventList?.Count ?? 0, 10, "eventList");
                foreach (var e in events.EventList!)
                {
                    Require(e.EventType, "eventList.member.eventType");
                    if (e.SentAt == default)
                    {
                        throw LocalAwsException.Validation("eventList.member.sentAt is required.");
                    }
                }

                break;
            case "PutItems":
                var items = LocalResponse.Read(body, Json.PutItemsRequest, false);
                Require(items.DatasetArn, "datasetArn");
                RequireCount(items.Items?.Count ?? 0, 10, "items");
                items.Items!.ForEach(i => Require(i.ItemId, "items.member.itemId"));
                break;
            case "PutUsers":
                var users = LocalResponse.Read(body, Json.PutUsersRequest, false);
                Require(users.DatasetArn, "datasetArn");
                RequireCount(users.Users?.Count ?? 0, 10, "users");
                users.Users!.ForEach(u => Require(u.UserId, "users.member.userId"));
                break;
            case "PutActionInteractions":
                var interactions = LocalResponse.Read(body, Json.PutActionInteractionsRequest, false);
                Require(interactions.TrackingId, "trackingId");
                RequireCount(interactions.ActionInteractions?.Count ?? 0, 10, "actionInteractions");
                foreach (var a in interactions.ActionInteractions!)
                {
                    Require(a.ActionId, "actionInteractions.member.actionId");
                    Require(a.SessionId, "actionInteractions.member.sessionId");
                    Require(a.EventType, "actionInteractions.member.eventType");
                }

                break;
            default:
                throw new LocalAwsException(404, "UnknownOperationException", "Unknown personalize-events operation " + operation);
        }

        return LocalResponse.Empty;
    }

    private static void Require(string? value, string member)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw LocalAwsException.Validation($"1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null");
        }
    }

    private static void RequireCount(int count, int max, string member)
    {
        if (count is < 1 || count > max)
        {
            throw LocalAwsException.Validation($"Value at '{member}' failed to satisfy constraint: Member must have length between 1 and {max}");
        }
    }
}
