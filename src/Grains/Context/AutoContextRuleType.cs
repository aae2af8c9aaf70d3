namespace Personalization.Grains.Context;

/// <summary>What a rule reads: a header, or the viewer's local hour, weekday (Monday = 0) or season.</summary>
public enum AutoContextRuleType
{
    HeaderValue,
    HourOfDay,
    DayOfWeek,
    SeasonOfYear,
}
