namespace Personalization.Aws.Personalize.Events;

/// <summary>Input of PutActionInteractions (POST /action-interactions).</summary>
public sealed class PutActionInteractionsRequest
{
    public string TrackingId { get; set; } = "";

    public List<ActionInteraction> ActionInteractions { get; set; } = [];
}
