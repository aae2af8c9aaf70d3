namespace Personalization.Aws.Personalize.Events;

/// <summary>A user record; Properties is a JSON object serialised into a string.</summary>
public sealed class User
{
    public string UserId { get; set; } = "";

    public string? Properties { get; set; }
}
