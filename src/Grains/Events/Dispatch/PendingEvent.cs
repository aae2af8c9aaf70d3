namespace Personalization.Grains.Events;

/// <summary>A record in a target queue, with whom to tell when it is done and how often it was tried.</summary>
internal struct PendingEvent(EventRecord record, DeliveryTicket? ticket, int slot, DateTimeOffset acceptedAt)
{
    public readonly EventRecord Record = record;

    /// <summary>When the queue admitted it: the delivery lag is measured from here.</summary>
    public readonly DateTimeOffset AcceptedAt = acceptedAt;
    public readonly DeliveryTicket? Ticket = ticket;
    public readonly int Slot = slot;
    public int Attempts;
    public DateTimeOffset DueAt;
}
