using Personalization.Aws.Configuration;
using Personalization.Aws.Transport;

namespace Personalization.Aws.Personalize.Events;

public sealed class PersonalizeEventsClient(AwsTransport transport) : IPersonalizeEventsClient
{
    private static readonly AwsService Service = AwsService.PersonalizeEvents;
    private static PersonalizeEventsJsonContext Json => PersonalizeEventsJsonContext.Default;

    public Task PutEventsAsync(PutEventsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return transport.SendJsonAsync(Service, "PutEvents", HttpMethod.Post, "/events", request, Json.PutEventsRequest, cancellationToken);
    }

    public Task PutItemsAsync(PutItemsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return transport.SendJsonAsync(Service, "PutItems", HttpMethod.Post, "/items", request, Json.PutItemsRequest, cancellationToken);
    }

    public Task PutUsersAsync(PutUsersRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return transport.SendJsonAsync(Service, "PutUsers", HttpMethod.Post, "/users", request, Json.PutUsersRequest, cancellationToken);
    }

    public Task PutActionInteractionsAsync(PutActionInteractionsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return transport.SendJsonAsync(Service, "PutActionInteractions", HttpMethod.Post, "/action-interactions", request, Json.PutActionInteractionsRequest, cancellationToken);
    }
}
