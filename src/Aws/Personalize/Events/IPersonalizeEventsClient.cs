namespace Personalization.Aws.Personalize.Events;

/// <summary>Amazon Personalize events (restJson1, endpoint personalize-events.{region}); no operation has output.</summary>
public interface IPersonalizeEventsClient
{
    Task PutEventsAsync(PutEventsRequest request, CancellationToken cancellationToken = default);

    Task PutItemsAsync(PutItemsRequest request, CancellationToken cancellationToken = default);

    Task PutUsersAsync(PutUsersRequest request, CancellationToken cancellationToken = default);

    Task PutActionInteractionsAsync(PutActionInteractionsRequest request, CancellationToken cancellationToken = default);
}
