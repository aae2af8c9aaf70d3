using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Personalization.Api.Tests.Hosting;
using Personalization.Grains.Experiments;
using Personalization.TestSupport;
using Xunit;

namespace Personalization.Api.Tests.EndToEnd;

/// <summary>
/// <c>/experiments/{namespace}</c> on a real silo (Kestrel on loopback) in Debian's headless Chromium with JavaScript
/// off: every number the browser shows equals the JSON endpoint's, the verdicts read as the counts say, text from
/// configuration is escaped, and a screenshot is kept (bin/…/screenshots/experiments-page.png). Counts come from real
/// traffic (<c>home</c>: recommendations and <c>experimentConversions</c> events) and from the experiment grain
/// (<c>layout</c>, <c>banner</c>: sample sizes a test cannot serve over HTTP in reasonable time), once for the class:
/// the tests only read.
/// </summary>
public sealed partial class ExperimentsPageTests(ExperimentsPageFixture fixture) : IClassFixture<ExperimentsPageFixture>
{
    private const string HostileMetric = ExperimentsPageFixture.HostileMetric;
    private const string RetiredVariation = ExperimentsPageFixture.RetiredVariation;
    private const int Users = ExperimentsPageFixture.Users;

    private LoopbackSilo _silo => fixture.Silo;

    private HeadlessChromium _browser => fixture.Browser;

    private Uri PageUrl => new($"http://{_silo.Address}/experiments/shop");

    [Fact]
    public async Task Every_number_chromium_shows_with_javascript_off_equals_the_json_endpoints()
    {
        var tab = await _browser.OpenAsync(PageUrl, javaScript: false);
        var dom = await tab.OuterHtmlAsync();

        var sections = Sections(dom);
        Assert.Equal(["home", "layout", "banner"], sections.Select(s => s.Feature));
        var compared = 0;
        foreach (var (feature, metrics) in sections)
        {
            var expectedMetrics = feature == "home" ? new[] { "click", HostileMetric } : [ExperimentMetric.DefaultName];
            Assert.Equal(expectedMetrics, metrics.Select(m => m.Metric));
            foreach (var metric in metrics)
            {
                var json = await _silo.Client.GetAsync($"/experiments/shop/{feature}?metric={Uri.EscapeDataString(metric.Metric)}");
                Assert.Equal(HttpStatusCode.OK, json.StatusCode);
                using var report = JsonDocument.Parse(await json.Content.ReadAsStringAsync());
                compared += AssertSameNumbers(feature, metric, report.RootElement);
            }
        }

        Assert.Equal(2 + 2 + 4 + 2, compared);
    }

    [Fact]
    public async Task Counts_from_real_traffic_and_the_verdicts_read_as_the_counts_say()
    {
        var tab = await _browser.OpenAsync(PageUrl, javaScript: false);
        var sections = Sections(await tab.OuterHtmlAsync()).ToDictionary(s => s.Feature, s => s.Metrics);

        // home: 40 users served over HTTP, every third converted on "click", every fifth on the hostile metric.
        var click = sections["home"][0];
        Assert.Equal(Users, click.Rows.Sum(r => long.Parse(r.Values["exposed"].Value, CultureInfo.InvariantCulture)));
        Assert.Equal(Users / 3, click.Rows.Sum(r => long.Parse(r.Values["conversions"].Value, CultureInfo.InvariantCulture)));
        Assert.Equal(Users / 5, sections["home"][1].Rows.Sum(r => long.Parse(r.Values["conversions"].Value, CultureInfo.InvariantCulture)));
        Assert.Equal("not-enough-data", click.Outcome);
        Assert.StartsWith("Not enough data yet: personal has ", click.Verdict, StringComparison.Ordinal);

        var layout = sections["layout"][0];
        Assert.Equal(("arm-better", "b"), (layout.Outcome, layout.Arm));
        Assert.StartsWith("b better: it converts 15.00% of exposed users against 10.00% for control a (lift +50.00%, p = 0.0002;", layout.Verdict, StringComparison.Ordinal);
        var b = layout.Rows.Single(r => r.Variation == "b");
        Assert.Equal(("1,200", "180", "15.00%", "+50.00%"), (b.Values["exposed"].Text, b.Values["conversions"].Text, b.Values["rate"].Text, b.Values["lift"].Text));
        Assert.Contains("winner", b.Classes);
        Assert.Equal(RetiredVariation, layout.Rows[^1].Variation);
        Assert.Contains("retired", layout.Rows[^1].Classes);

        var banner = sections["banner"][0];
        Assert.Equal(("no-difference-yet", (string?)null), (banner.Outcome, banner.Arm));
        Assert.Equal("No difference yet: no arm converts better than control x (significance level 0.05).", banner.Verdict);
    }

    [Fact]
    public async Task A_screenshot_of_the_page_is_a_real_picture()
    {
        var tab = await _browser.OpenAsync(PageUrl, javaScript: false);
        var png = await tab.ScreenshotAsync();

        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        await File.WriteAllBytesAsync(Path.Combine(folder, "experiments-page.png"), png);
        var (width, height, distinctRows) = PngSummary(png);
        Assert.Equal(1280, width);
        Assert.True(height >= 900, $"the page is {height} px tall");
        // A blank or nearly blank render repeats a handful of rows; text, tables and bars make hundreds of distinct ones.
        Assert.True(distinctRows > 200, $"only {distinctRows} distinct pixel rows: the page rendered (nearly) empty");
    }

    [Fact]
    public async Task Text_from_configuration_and_storage_is_escaped_and_the_page_has_no_script()
    {
        using var response = await _silo.Client.GetAsync("/experiments/shop");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<i>old", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<test>", html, StringComparison.Ordinal);
        Assert.Contains("Shop &amp; &quot;Co&quot; &lt;test&gt;", html, StringComparison.Ordinal);

        // What the browser built from it: the hostile names are text, not elements.
        var tab = await _browser.OpenAsync(PageUrl, javaScript: false);
        var dom = await tab.OuterHtmlAsync();
        Assert.DoesNotContain("<img", dom, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<i>", dom, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", dom, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_browser_really_runs_with_javascript_off()
    {
        var script = new Uri("data:text/html,<body><script>document.body.setAttribute('data-ran','yes')</script></body>");

        var off = await (await _browser.OpenAsync(script, javaScript: false)).OuterHtmlAsync();
        var on = await (await _browser.OpenAsync(script, javaScript: true)).OuterHtmlAsync();

        Assert.DoesNotContain("data-ran=\"yes\"", off, StringComparison.Ordinal);
        Assert.Contains("data-ran=\"yes\"", on, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_namespace_is_a_404_page_naming_it_and_a_namespace_without_experiments_says_so()
    {
        using var missing = await _silo.Client.GetAsync("/experiments/nope");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("text/html", missing.Content.Headers.ContentType!.MediaType);
        Assert.Contains("namespace &#x27;nope&#x27; is not configured.", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var hostile = await _silo.Client.GetAsync("/experiments/%3Cb%3Ex");
        Assert.Equal(HttpStatusCode.NotFound, hostile.StatusCode);
        Assert.Contains("namespace &#x27;&lt;b&gt;x&#x27; is not configured.", await hostile.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var tab = await _browser.OpenAsync(new Uri($"http://{_silo.Address}/experiments/plain"), javaScript: false);
        var dom = await tab.OuterHtmlAsync();
        Assert.Contains("No recommender of namespace <code>plain</code> has an experiment.", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("<section", dom, StringComparison.Ordinal);
    }

    /// <summary>Compares one metric block of the page with the JSON report; returns how many arms it compared.</summary>
    private static int AssertSameNumbers(string feature, PageMetric page, JsonElement report)
    {
        var where = $"{feature}/{page.Metric}";
        var verdict = report.GetProperty("verdict");
        Assert.Equal(Kebab(verdict.GetProperty("outcome").GetString()!), page.Outcome);
        Assert.Equal(verdict.GetProperty("arm").GetString(), page.Arm);
        Assert.Equal(verdict.GetProperty("summary").GetString(), page.Verdict);

        var arms = report.GetProperty("arms").EnumerateArray().ToList();
        Assert.Equal(arms.Select(a => a.GetProperty("variation").GetString()), page.Rows.Select(r => r.Variation));
        foreach (var (arm, row) in arms.Zip(page.Rows))
        {
            var at = $"{where}/{row.Variation}";
            Assert.True(arm.GetProperty("isControl").GetBoolean() == row.Classes.Contains("control"), at);
            AssertCount(arm.GetProperty("usersExposed").GetInt64(), row.Values["exposed"], at);
            AssertCount(arm.GetProperty("conversions").GetInt64(), row.Values["conversions"], at);
            AssertNumber(arm.GetProperty("weight"), row, "weight", v => v.ToString("0.######", CultureInfo.InvariantCulture), at);
            AssertNumber(arm.GetProperty("conversionValue"), row, "value", v => v.ToString("#,0.##", CultureInfo.InvariantCulture), at);
            AssertNumber(arm.GetProperty("conversionRate"), row, "rate", Percent, at);
            AssertNumber(arm.GetProperty("lift"), row, "lift", v => (v * 100).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture) + "%", at);
            AssertNumber(arm.GetProperty("pValue"), row, "p-value", v => v < 0.0001 ? "< 0.0001" : v.ToString("0.0000", CultureInfo.InvariantCulture), at);
            var interval = arm.GetProperty("confidenceInterval");
            var hasInterval = interval.ValueKind != JsonValueKind.Null;
            Assert.True(hasInterval == row.HasBar, $"{at}: an interval bar is drawn exactly when there is an interval");
            AssertNumber(hasInterval ? interval.GetProperty("lower") : interval, row, "lower", Percent, at);
            AssertNumber(hasInterval ? interval.GetProperty("upper") : interval, row, "upper", Percent, at);
        }

        return arms.Count;
    }

    private static void AssertCount(long expected, PageValue shown, string at)
    {
        Assert.True(expected == long.Parse(shown.Value, CultureInfo.InvariantCulture), $"{at}: value {shown.Value}, JSON {expected}");
        Assert.Equal(expected.ToString("N0", CultureInfo.InvariantCulture), shown.Text);
    }

    /// <summary>JSON null ↔ no value on the page; else the page's value is the same double, and its text reads as <paramref name="format"/> says.</summary>
    private static void AssertNumber(JsonElement json, PageRow row, string name, Func<double, string> format, string at)
    {
        if (json.ValueKind == JsonValueKind.Null)
        {
            Assert.False(row.Values.ContainsKey(name), $"{at}: JSON {name} is null but the page shows {(row.Values.TryGetValue(name, out var v) ? v.Text : "")}");
            return;
        }

        Assert.True(row.Values.TryGetValue(name, out var shown), $"{at}: the page has no {name}");
        var expected = json.GetDouble();
        Assert.True(expected == double.Parse(shown.Value, CultureInfo.InvariantCulture), $"{at}: {name} {shown.Value} on the page, {json.GetRawText()} in JSON");
        Assert.Equal(format(expected), shown.Text);
    }

    private static string Percent(double rate) => (rate * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    private static string Kebab(string camel) => KebabBoundary().Replace(camel, "-$1").ToLowerInvariant();

    private static List<(string Feature, List<PageMetric> Metrics)> Sections(string dom) =>
        SectionPattern().Matches(dom).Select(section => (
            Decode(section.Groups["feature"].Value),
            MetricPattern().Matches(section.Groups["body"].Value).Select(ParseMetric).ToList())).ToList();

    private static PageMetric ParseMetric(Match metric)
    {
        var verdict = VerdictPattern().Match(metric.Groups["body"].Value);
        Assert.True(verdict.Success, "a metric without a verdict: " + metric.Value);
        var rows = RowPattern().Matches(metric.Groups["body"].Value).Select(row => new PageRow(
            Decode(row.Groups["variation"].Value),
            row.Groups["classes"].Value.Split(' '),
            DataPattern().Matches(row.Groups["cells"].Value).ToDictionary(
                data => data.Groups["name"].Value,
                data => new PageValue(data.Groups["value"].Value, Decode(data.Groups["text"].Value))),
            row.Groups["cells"].Value.Contains("<svg", StringComparison.Ordinal))).ToList();
        return new PageMetric(
            Decode(metric.Groups["metric"].Value),
            verdict.Groups["outcome"].Value,
            verdict.Groups["arm"].Success ? Decode(verdict.Groups["arm"].Value) : null,
            Decode(verdict.Groups["text"].Value),
            rows);
    }

    private static string Decode(string html) => WebUtility.HtmlDecode(html);

    /// <summary>Width, height and how many distinct (unfiltered-byte) rows the PNG's image data has.</summary>
    private static (int Width, int Height, int DistinctRows) PngSummary(byte[] png)
    {
        Assert.True(png.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "not a PNG");
        int width = 0, height = 0;
        using var data = new MemoryStream();
        for (var offset = 8; offset + 8 <= png.Length;)
        {
            var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            var body = png.AsSpan(offset + 8, length);
            if (type == "IHDR")
            {
                width = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(body);
                height = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(body[4..]);
            }
            else if (type == "IDAT")
            {
                data.Write(body);
            }

            offset += 12 + length;
        }

        data.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(data, CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        var raw = inflated.ToArray();
        var rowLength = raw.Length / height;
        var distinct = Enumerable.Range(0, height).Select(y => Convert.ToBase64String(raw, y * rowLength, rowLength)).Distinct().Count();
        return (width, height, distinct);
    }

    private sealed record PageMetric(string Metric, string Outcome, string? Arm, string Verdict, List<PageRow> Rows);

    private sealed record PageRow(string Variation, string[] Classes, Dictionary<string, PageValue> Values, bool HasBar);

    private sealed record PageValue(string Value, string Text);

    [GeneratedRegex("""<section class="experiment" id="[^"]*" data-feature="(?<feature>[^"]*)">(?<body>.*?)</section>""", RegexOptions.Singleline)]
    private static partial Regex SectionPattern();

    [GeneratedRegex("""<div class="metric" data-metric="(?<metric>[^"]*)">(?<body>.*?)</table>""", RegexOptions.Singleline)]
    private static partial Regex MetricPattern();

    [GeneratedRegex("""<p class="verdict [^"]*" data-outcome="(?<outcome>[^"]*)"(?: data-arm="(?<arm>[^"]*)")?>(?<text>[^<]*)</p>""")]
    private static partial Regex VerdictPattern();

    [GeneratedRegex("""<tr class="(?<classes>[^"]*)" data-variation="(?<variation>[^"]*)">(?<cells>.*?)</tr>""", RegexOptions.Singleline)]
    private static partial Regex RowPattern();

    [GeneratedRegex("""<data class="(?<name>[^"]+)" value="(?<value>[^"]*)">(?<text>[^<]*)</data>""")]
    private static partial Regex DataPattern();

    [GeneratedRegex("(?<=[a-z])([A-Z])")]
    private static partial Regex KebabBoundary();
}

/// <summary>One silo with the page's traffic and seeded counts, and one browser, for <see cref="ExperimentsPageTests"/>.</summary>
public sealed class ExperimentsPageFixture : IAsyncLifetime
{
    /// <summary>A metric name no HTML page may render unescaped.</summary>
    public const string HostileMetric = "<img src=x onerror=alert(1)>";

    /// <summary>A variation that has counts but is no longer an arm: shown from storage, so escaped as well.</summary>
    public const string RetiredVariation = "<i>old</i>";

    public const int Users = 40;

    private const string Config = """
        { "version": "page-1",
          "cacheControl": { "userSpecified": { "maxAge": 60, "directives": "private" }, "syntheticUserSpecified": { "maxAge": 60, "directives": "public" }, "noUserSpecified": { "maxAge": 60, "directives": "public" } },
          "namespaces": {
            "shop": {
              "name": "Shop & \"Co\" <test>",
              "inferenceItemMetadata": { "type": "localdb", "path": "items.jsonl" },
              "eventTargets": [{ "type": "file", "path": "events.jsonl" }],
              "recommenders": { "recommend-items": {
                "for-you": {
                  "variations": { "personal": { "type": "builtin" }, "popular": { "type": "builtin", "algorithm": "trending" } },
                  "experiments": { "home": { "method": "builtin", "arms": { "personal": { "weight": 1 }, "popular": { "weight": 1 } },
                                             "metrics": { "click": {}, "<img src=x onerror=alert(1)>": {} } } } },
                "ranking": {
                  "variations": { "a": { "type": "builtin", "algorithm": "trending" }, "b": { "type": "builtin" }, "c": { "type": "builtin", "algorithm": "trending" } },
                  "experiments": { "layout": { "method": "builtin", "arms": { "a": { "weight": 1 }, "b": { "weight": 1 }, "c": { "weight": 1 } } } } },
                "banner": {
                  "variations": { "x": { "type": "builtin", "algorithm": "trending" }, "y": { "type": "builtin", "algorithm": "trending" } },
                  "experiments": { "banner": { "method": "builtin", "holdout": 0.1, "arms": { "x": { "weight": 1 }, "y": { "weight": 1 } } } } } } } },
            "plain": {
              "inferenceItemMetadata": { "type": "localdb", "path": "items.jsonl" },
              "recommenders": { "recommend-items": { "top": { "variations": { "t": { "type": "builtin", "algorithm": "trending" } } } } } } } }
        """;

    /// <summary>Counts put into the grains of <c>layout</c> and <c>banner</c>: variation → (exposed users, converted users).</summary>
    private static readonly Dictionary<string, Dictionary<string, (int Exposed, int Converted)>> Seeded = new()
    {
        ["layout"] = new() { ["a"] = (1200, 120), ["b"] = (1200, 180), ["c"] = (1200, 114), [RetiredVariation] = (7, 2) },
        ["banner"] = new() { ["x"] = (500, 50), ["y"] = (500, 52) },
    };

    private readonly string _folder = Directory.CreateTempSubdirectory("experiments-page-").FullName;
    internal LoopbackSilo Silo { get; private set; } = null!;

    public HeadlessChromium Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllLinesAsync(Path.Combine(_folder, "items.jsonl"), Enumerable.Range(0, 20).Select(i => $$"""{"id":"i{{i}}","name":"Item {{i}}"}"""));
        Silo = await LoopbackSilo.StartAsync(_folder, Config);
        Browser = await HeadlessChromium.StartAsync();
        await ServeAndConvertAsync();
        await SeedAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        await Silo.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task ServeAndConvertAsync()
    {
        for (var i = 1; i <= Users; i++)
        {
            using var served = await Silo.Client.GetAsync($"/recommend-items/shop/for-you/u{i}");
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            var conversions = new List<string>();
            if (i % 3 == 0)
            {
                conversions.Add("""{"recommender":"for-you","metric":"click"}""");
            }

            if (i % 5 == 0)
            {
                conversions.Add($$"""{"recommender":"for-you","metric":{{JsonSerializer.Serialize(HostileMetric)}},"value":2.5}""");
            }

            if (conversions.Count > 0)
            {
                using var events = await Silo.Client.PostAsync("/events/shop", new StringContent(
                    $$"""{"sessionId":"s{{i}}","userId":"u{{i}}","eventList":[{"eventType":"click","itemId":"i1"}],"experimentConversions":[{{string.Join(",", conversions)}}]}"""));
                Assert.True(events.StatusCode == HttpStatusCode.OK, await events.Content.ReadAsStringAsync());
            }
        }
    }

    private async Task SeedAsync()
    {
        var grains = Silo.Services.GetRequiredService<IGrainFactory>();
        foreach (var (feature, arms) in Seeded)
        {
            var grain = grains.GetGrain<IExperimentGrain>(ExperimentGrain.Key("shop", feature));
            foreach (var (variation, (exposed, converted)) in arms)
            {
                await Task.WhenAll(Enumerable.Range(0, exposed).Select(_ => grain.RecordExposureAsync(variation)));
                await Task.WhenAll(Enumerable.Range(0, converted).Select(_ => grain.RecordConversionAsync(variation, ExperimentMetric.DefaultName, 1.0, newlyConvertedUser: true)));
            }
        }
    }
}
