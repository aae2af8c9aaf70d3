namespace Personalization.Grains.Events;

/// <summary>A record in a target queue, with whom to tell when it is done and how often it was tried.</summary>
internal struct PendingEvent(EventRecord record, DeliveryTicket? ticket, int slot)
{
    public readonly EventRecord Record = record;
    public readonly DeliveryTicket? Ticket = ticket;
    public readonly int Slot = slot;
    public int Attempts;
    public DateTimeOffset DueAt;
}
