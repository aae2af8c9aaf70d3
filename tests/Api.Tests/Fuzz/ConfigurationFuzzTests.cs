using System.Net;
using System.Text;
using Personalization.Grains.Configuration;
using Xunit;

namespace Personalization.Api.Tests.Fuzz;

/// <summary>
/// Hostile configuration documents: the parser answers every one with errors that have paths (never an exception),
/// and through the silo's reload loop a rejected document leaves the last good one live and the silo ready.
/// </summary>
[Collection(FuzzCollection.Name)]
[Trait("Category", "Fuzz")]
public sealed class ConfigurationFuzzTests(FuzzSilo silo)
{
    [Fact]
    public void The_parser_answers_every_document_with_a_snapshot_or_errors()
    {
        const string Property = nameof(The_parser_answers_every_document_with_a_snapshot_or_errors);
        var cases = FuzzBudget.Cases(ConfigurationDocuments.Hostile, 400, Property);
        var rejected = 0;
        for (var i = 0; i < cases.Count; i++)
        {
            ConfigurationParseResult result;
            try
            {
                result = ConfigurationParser.Parse(cases[i]);
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"{FuzzBudget.Describe(Property, i)} threw {e.GetType().Name}: {e.Message}\n{Shorten(cases[i])}");
            }

            Assert.True(result.IsValid == (result.Errors.Count == 0), FuzzBudget.Describe(Property, i));
            Assert.All(result.Errors, error => Assert.False(string.IsNullOrWhiteSpace(error.Message), FuzzBudget.Describe(Property, i)));
            rejected += result.IsValid ? 0 : 1;
        }

        // Most mutations break the document; a suite whose cases were all valid would test nothing.
        Assert.True(rejected > cases.Count / 2, $"only {rejected} of {cases.Count} documents rejected");
    }

    [Fact]
    public async Task A_rejected_document_keeps_the_last_good_one_live_through_the_reload_loop()
    {
        const string Property = nameof(A_rejected_document_keeps_the_last_good_one_live_through_the_reload_loop);
        var documents = FuzzBudget.Cases(ConfigurationDocuments.Hostile, 60, Property).Where(d => !ConfigurationParser.Parse(d).IsValid).Take(20).ToList();
        Assert.NotEmpty(documents);
        try
        {
            for (var i = 0; i < documents.Count; i++)
            {
                await File.WriteAllBytesAsync(silo.ConfigPath, documents[i]);
                var reload = await silo.ConfigurationSource.ReloadAsync(CancellationToken.None);

                var what = $"{FuzzBudget.Describe(Property, i)}: {Shorten(documents[i])}";
                Assert.True(ConfigurationParser.Hash(documents[i]) == silo.Configuration.LastRejection?.ContentHash, $"{reload?.Status} {silo.Configuration.LastRejection} {what}");
                Assert.NotEmpty(silo.Configuration.LastRejection!.Errors);
                await silo.AssertReadyAsync(what);
                using var served = await silo.Client.GetAsync("/recommend-items/shop/ab/u1?numResults=3");
                Assert.True(served.StatusCode == HttpStatusCode.OK, $"{(int)served.StatusCode} {await served.Content.ReadAsStringAsync()} after {what}");
            }
        }
        finally
        {
            await File.WriteAllTextAsync(silo.ConfigPath, FuzzSilo.ConfigJson);
            await silo.ConfigurationSource.ReloadAsync(CancellationToken.None);
        }
    }

    private static string Shorten(byte[] document) => FuzzBudget.Shorten(Encoding.UTF8.GetString(document));
}
