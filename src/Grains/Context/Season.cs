namespace Personalization.Grains.Context;

/// <summary>Season index as the original: 0 spring (21 Mar–20 Jun), 1 summer (to 22 Sep), 2 fall (to 22 Dec), 3 winter.</summary>
public static class Season
{
    public static int Of(DateTime localDate, double? latitude)
    {
        var monthDay = (localDate.Month * 100) + localDate.Day;
        var season = monthDay switch
        {
            > 320 and < 621 => 0,
            > 620 and < 923 => 1,
            > 922 and < 1223 => 2,
            _ => 3,
        };

        // The southern hemisphere has the opposite season.
        return latitude < 0 ? (season + 2) % 4 : season;
    }
}
