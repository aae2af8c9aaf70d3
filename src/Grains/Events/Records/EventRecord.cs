namespace Personalization.Grains.Events;

/// <summary>One event of an accepted request, as queued for a target (a view, not a copy).</summary>
public readonly struct EventRecord
{
    private readonly EventSubmission _submission;
    private readonly int _index;

    internal EventRecord(EventSubmission submission, int index)
    {
        _submission = submission;
        _index = index;
    }

    public EventSubmission Submission => _submission;

    public string Namespace => _submission.Origin.Namespace;

    public string SessionId => _submission.Request.SessionId;

    public string? UserId => _submission.Request.UserId;

    public EventData Event => _submission.Request.EventList[_index];

    /// <summary>The UTF-8 JSON of this event in <paramref name="format"/>, encoded once per submission and cached.</summary>
    public ReadOnlyMemory<byte> GetPayload(EventPayloadFormat format, bool newlineTerminated = false) =>
        _submission.GetPayload(_index, format, newlineTerminated);
}
