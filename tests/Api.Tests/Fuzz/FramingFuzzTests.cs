using System.Text.RegularExpressions;
using Xunit;

namespace Personalization.Api.Tests.Fuzz;

/// <summary>
/// Broken HTTP framing on raw sockets to the silo's real Kestrel listener: every status the server sends back on the
/// connection is below 500 (Kestrel's own 400/413/414/431 or the app's JSON error), and the silo stays ready.
/// </summary>
[Collection(FuzzCollection.Name)]
[Trait("Category", "Fuzz")]
public sealed partial class FramingFuzzTests(FuzzSilo silo)
{
    [Fact]
    public async Task Broken_framing_never_gets_a_server_error()
    {
        const string Property = nameof(Broken_framing_never_gets_a_server_error);
        var cases = FuzzBudget.Cases(RawRequests.Requests, 150, Property);
        var answered = 0;
        for (var i = 0; i < cases.Count; i++)
        {
            var request = cases[i];
            var index = i;
            string Describe() => $"{FuzzBudget.Describe(Property, index)}: {Printable(request)}\nserver log: {silo.LoggedErrors()}";
            RawResponse response;
            try
            {
                response = await silo.SendRawAsync(request);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException("no end of the answer within 10 s for " + Describe());
            }

            // A request cut short may be followed by the next one on the same connection: every answer counts.
            foreach (Match status in StatusLine().Matches(response.Text))
            {
                answered++;
                var code = int.Parse(status.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(code < 500 || (code == 505 && !SpeaksHttp11(request)), $"{Shorten(response.Text)} for {Describe()}");
            }

            Assert.False(ClientAnswer.ShowsInternals(response.Text), $"internals in {Shorten(response.Text)} for {Describe()}");
        }

        // Not a property that holds because nothing answered.
        Assert.True(answered >= cases.Count / 2, $"only {answered} answers to {cases.Count} requests");
        await silo.AssertReadyAsync("after " + Property);
    }

    /// <summary>Kestrel answers 505 to a version it does not speak (RFC 9110 §15.6.6): the one 5xx that is about the client.</summary>
    private static bool SpeaksHttp11(byte[] request)
    {
        var line = System.Text.Encoding.Latin1.GetString(request, 0, Math.Max(0, Array.IndexOf(request, (byte)'\n'))).TrimEnd('\r');
        return line.EndsWith(" HTTP/1.1", StringComparison.Ordinal) || line.EndsWith(" HTTP/1.0", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"(?:^|\r\n)HTTP/1\.[01] (\d{3}) ")]
    private static partial Regex StatusLine();

    private static string Printable(byte[] bytes) =>
        Shorten(string.Concat(bytes.Select(b => b is >= 0x20 and < 0x7F ? ((char)b).ToString() : b switch { 0x0D => "\\r", 0x0A => "\\n", _ => $"\\x{b:X2}" })));

    private static string Shorten(string text) => FuzzBudget.Shorten(text);
}
