namespace Personalization.Grains.Experiments;

/// <summary>
/// The outcome of reading <c>experimentConversions</c> from an events body: either every conversion resolved, or
/// the list of problems (each naming its JSON path) for a 400 response. Nothing is applied when any entry is bad.
/// </summary>
public sealed record ExperimentConversionBatch(string? UserId, IReadOnlyList<ExperimentConversion> Conversions, IReadOnlyList<string> Errors)
{
    public bool IsValid => Errors.Count == 0;

    internal static readonly ExperimentConversionBatch Empty = new(null, [], []);
}
