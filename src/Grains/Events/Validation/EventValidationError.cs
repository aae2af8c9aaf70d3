namespace Personalization.Grains.Events;

/// <summary>One problem in an events body, e.g. <c>eventList[2].eventType: required</c>.</summary>
public readonly record struct EventValidationError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
