using Personalization.Api.Tests.Hosting;
using Personalization.TestSupport;
using Xunit;

namespace Personalization.Api.Tests.Observability;

/// <summary>The Orleans dashboard in a real browser (Debian's headless Chromium) against a silo on real Kestrel.</summary>
public sealed class DashboardBrowserTests
{
    private const string Config = """
        { "version": "dash-1",
          "namespaces": { "shop": {
            "inferenceItemMetadata": { "type": "localdb", "path": "items.jsonl" },
            "recommenders": { "recommend-items": { "top": { "variations": { "t": { "type": "builtin", "algorithm": "trending" } } } } } } } }
        """;

    [Fact]
    public async Task The_dashboard_page_renders_the_live_cluster_in_a_browser()
    {
        var folder = Directory.CreateTempSubdirectory("dashboard-").FullName;
        try
        {
            await File.WriteAllLinesAsync(Path.Combine(folder, "items.jsonl"), Enumerable.Range(0, 5).Select(i => $$"""{"id":"i{{i}}"}"""));
            await using var silo = await LoopbackSilo.StartAsync(folder, Config, ["--Dashboard:Enabled=true"]);
            await using var browser = await HeadlessChromium.StartAsync();

            var tab = await browser.OpenAsync(new Uri($"http://{silo.Address}/dashboard/index.html"), javaScript: true);

            // The script fetches the counters and draws the silo table: wait (bounded) for this silo's address in it.
            var siloPort = silo.Address[(silo.Address.LastIndexOf(':') + 1)..];
            var dom = "";
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (DateTime.UtcNow < deadline)
            {
                dom = await tab.OuterHtmlAsync();
                if (dom.Contains("127.0.0.1", StringComparison.Ordinal) && dom.Contains("Active", StringComparison.Ordinal))
                {
                    break;
                }

                await Task.Delay(250);
            }

            Assert.True(dom.Contains("127.0.0.1", StringComparison.Ordinal) && dom.Contains("Active", StringComparison.Ordinal),
                $"the dashboard never showed the Active silo (http port {siloPort}); DOM starts: {dom[..Math.Min(dom.Length, 2000)]}\n{browser.OutputTail}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
