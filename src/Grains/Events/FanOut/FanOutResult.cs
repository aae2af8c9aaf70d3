namespace Personalization.Grains.Events;

/// <summary>The answer to one events request, with the HTTP status it maps to.</summary>
public sealed record FanOutResult(FanOutStatus Status, int Accepted, IReadOnlyList<TargetDeliveryResult> Targets, string? RejectedBy = null, TimeSpan? RetryAfter = null)
{
    public int HttpStatusCode => Status switch
    {
        FanOutStatus.Delivered => 200,
        FanOutStatus.Accepted => 202,
        FanOutStatus.Rejected => 429,
        FanOutStatus.ShuttingDown => 503,
        _ => 502,
    };

    /// <summary>The JSON body for 200/202/502 (429/503 use the API's error shape with <see cref="RejectedBy"/>).</summary>
    public EventsResponse ToResponse() => new(Status == FanOutStatus.Accepted ? null : Targets, Accepted);
}
