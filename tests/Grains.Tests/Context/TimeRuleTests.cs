using Personalization.Grains.Context;
using Xunit;
using static Personalization.Grains.Tests.Context.ContextTestData;

namespace Personalization.Grains.Tests.Context;

public class TimeRuleTests
{
    private static readonly AutoContextConfig HourDaySeason = Parse("""
        { "hour": { "type": "integer", "rules": [{ "type": "hour-of-day" }] },
          "day": { "type": "integer", "rules": [{ "type": "day-of-week" }] },
          "season": { "type": "integer", "rules": [{ "type": "season-of-year" }] } }
        """);

    private static (string Hour, string Day, string Season) Resolve(string utc, IRequestHeaders headers, AutoContextOptions? options = null)
    {
        var context = Resolver(options).Resolve(HourDaySeason, headers, DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture));
        return (context["hour"]!.First, context["day"]!.First, context["season"]!.First);
    }

    private static IRequestHeaders Zone(string zone) => Headers(("cloudfront-viewer-time-zone", zone));

    [Fact]
    public void Iana_zones_resolve_with_invariant_globalization()
    {
        Assert.NotNull(TimeZones.Find("America/New_York"));
        Assert.NotNull(TimeZones.Find("Australia/Sydney"));
        Assert.Null(TimeZones.Find("Mars/Olympus_Mons"));
        Assert.Null(TimeZones.Find(""));
    }

    [Theory]
    // Monday 2026-01-05 12:00 UTC.
    [InlineData("2026-01-05T12:00:00Z", "UTC", "12", "0")]
    [InlineData("2026-01-05T12:00:00Z", "Asia/Tokyo", "21", "0")]
    // 03:00 UTC Monday is still Sunday 22:00 in New York: weekday follows the viewer.
    [InlineData("2026-01-05T03:00:00Z", "America/New_York", "22", "6")]
    // DST starts 2026-03-08 02:00 local: 06:59Z is 01:59 EST, 07:00Z is 03:00 EDT.
    [InlineData("2026-03-08T06:59:00Z", "America/New_York", "1", "6")]
    [InlineData("2026-03-08T07:00:00Z", "America/New_York", "3", "6")]
    // DST ends 2026-11-01 02:00 local: 05:59Z is 01:59 EDT, 06:00Z is 01:00 EST again.
    [InlineData("2026-11-01T05:59:00Z", "America/New_York", "1", "6")]
    [InlineData("2026-11-01T06:00:00Z", "America/New_York", "1", "6")]
    [InlineData("2026-11-01T07:00:00Z", "America/New_York", "2", "6")]
    public void Hour_and_weekday_are_in_the_viewer_zone(string utc, string zone, string hour, string day)
    {
        var (h, d, _) = Resolve(utc, Zone(zone));

        Assert.Equal((hour, day), (h, d));
    }

    [Fact]
    public void Unknown_or_missing_zone_header_falls_back_to_the_configured_default()
    {
        var berlin = new AutoContextOptions { DefaultTimeZone = "Europe/Berlin" };

        Assert.Equal("13", Resolve("2026-01-05T12:00:00Z", Zone("Not/AZone"), berlin).Hour);
        Assert.Equal("13", Resolve("2026-01-05T12:00:00Z", RequestHeaders.None, berlin).Hour);
        Assert.Equal("12", Resolve("2026-01-05T12:00:00Z", RequestHeaders.None).Hour);
    }

    [Fact]
    public void Unknown_default_zone_is_rejected_at_construction() =>
        Assert.Throws<ArgumentException>(() => Resolver(new AutoContextOptions { DefaultTimeZone = "Nowhere/Land" }));

    [Theory]
    [InlineData("2026-03-20T12:00:00Z", "3")]
    [InlineData("2026-03-21T12:00:00Z", "0")]
    [InlineData("2026-06-20T12:00:00Z", "0")]
    [InlineData("2026-06-21T12:00:00Z", "1")]
    [InlineData("2026-09-22T12:00:00Z", "1")]
    [InlineData("2026-09-23T12:00:00Z", "2")]
    [InlineData("2026-12-22T12:00:00Z", "2")]
    [InlineData("2026-12-23T12:00:00Z", "3")]
    [InlineData("2026-01-15T12:00:00Z", "3")]
    public void Northern_seasons_change_on_the_documented_days(string utc, string season) =>
        Assert.Equal(season, Resolve(utc, Headers(("cloudfront-viewer-latitude", "47.6062"))).Season);

    [Theory]
    [InlineData("2026-03-21T12:00:00Z", "2")]
    [InlineData("2026-06-21T12:00:00Z", "3")]
    [InlineData("2026-09-23T12:00:00Z", "0")]
    [InlineData("2026-12-23T12:00:00Z", "1")]
    public void Southern_latitude_shifts_the_season_by_two(string utc, string season) =>
        Assert.Equal(season, Resolve(utc, Headers(("cloudfront-viewer-latitude", "-33.8688"))).Season);

    [Fact]
    public void Season_uses_the_viewer_local_date_and_ignores_an_unparsable_latitude()
    {
        // 2026-03-21 02:00Z is still 20 March (winter) in New York.
        Assert.Equal("3", Resolve("2026-03-21T02:00:00Z", Headers(("cloudfront-viewer-time-zone", "America/New_York"))).Season);
        Assert.Equal("0", Resolve("2026-03-21T12:00:00Z", Headers(("cloudfront-viewer-latitude", "south"))).Season);
    }

    [Fact]
    public void Sample_time_of_day_buckets()
    {
        var sample = Parse("""
            { "timeOfDay": { "type": "string", "rules": [{ "type": "hour-of-day", "valueMappings": [
                { "operator": "less-than", "value": 4, "mapTo": "Night" },
                { "operator": "less-than", "value": 11, "mapTo": "Morning" },
                { "operator": "less-than", "value": 18, "mapTo": "Afternoon" },
                { "operator": "less-than", "value": 22, "mapTo": "Evening" },
                { "operator": "greater-than", "value": 21, "mapTo": "Night" } ] }] } }
            """);
        var resolver = Resolver();
        string Bucket(int hour) => resolver.Resolve(sample, RequestHeaders.None, new DateTimeOffset(2026, 1, 5, hour, 0, 0, TimeSpan.Zero))["timeOfDay"]!.First;

        Assert.Equal(
            ["Night", "Morning", "Afternoon", "Evening", "Night"],
            new[] { 3, 4, 11, 18, 22 }.Select(Bucket));
    }

    [Fact]
    public void Resolver_reads_the_clock_from_its_time_provider()
    {
        var time = new Personalization.TestSupport.ManualTimeProvider(new DateTimeOffset(2026, 1, 5, 5, 0, 0, TimeSpan.Zero));
        var resolver = new AutoContextResolver(new AutoContextOptions(), time);

        Assert.Equal("5", resolver.Resolve(HourDaySeason, RequestHeaders.None)["hour"]!.First);
        time.Advance(TimeSpan.FromHours(2));
        Assert.Equal("7", resolver.Resolve(HourDaySeason, RequestHeaders.None)["hour"]!.First);
    }
}
