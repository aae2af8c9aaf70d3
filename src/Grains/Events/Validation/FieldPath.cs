namespace Personalization.Grains.Events;

/// <summary>
/// The JSON path of a field, formatted only when an error needs it so valid bodies build no path strings:
/// <c>sessionId</c>, <c>eventList[2].eventType</c>, <c>eventList[0].impression[3]</c>.
/// </summary>
internal readonly record struct FieldPath(string Field, int EventIndex = -1, int ItemIndex = -1)
{
    public static implicit operator FieldPath(string field) => new(field);

    public override string ToString() => (EventIndex, ItemIndex) switch
    {
        (< 0, < 0) => Field,
        (< 0, _) => $"{Field}[{ItemIndex}]",
        (_, < 0) => $"eventList[{EventIndex}].{Field}",
        _ => $"eventList[{EventIndex}].{Field}[{ItemIndex}]",
    };
}
