namespace Personalization.Grains.Events;

/// <summary>How an event is written as one Kinesis/Firehose record or file line.</summary>
public enum EventPayloadFormat
{
    /// <summary>
    /// The original's envelope <c>{namespace, path, headers, queryStringParameters, body}</c>; <c>body</c> is the
    /// PutEvents-shaped body holding this one event: <c>{sessionId, userId, eventList: [event]}</c>.
    /// </summary>
    Envelope,

    /// <summary>The event alone, flat: <c>{namespace, sessionId, userId, eventType, ..., sentAt}</c>.</summary>
    Bare,
}
