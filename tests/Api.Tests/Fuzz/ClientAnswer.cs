using System.Text.Json;
using Xunit;

namespace Personalization.Api.Tests.Fuzz;

/// <summary>The property every answer to a client must have, whatever it sent.</summary>
internal static class ClientAnswer
{
    /// <summary>
    /// Below 500; no stack trace or exception name in the body; an error the app wrote is the JSON
    /// <c>{type, code, message}</c> with a message (Kestrel's own rejections of framing have no body).
    /// </summary>
    public static void AssertWellFormed(int status, string body, string? contentType, Func<string> request)
    {
        Assert.True(status < 500, $"{status} {Shorten(body)} for {request()}");
        Assert.False(ShowsInternals(body), $"internals in {Shorten(body)} for {request()}");
        if (status >= 400 && body.Length > 0 && contentType is not null && contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            using var error = JsonDocument.Parse(body);
            Assert.True(
                error.RootElement.TryGetProperty("code", out var code) && code.GetString() is { Length: > 0 }
                && error.RootElement.TryGetProperty("message", out var message) && message.GetString() is { Length: > 0 },
                $"{status} without code and message: {Shorten(body)} for {request()}");
        }
    }

    /// <summary>A stack trace or an exception's name: what the original service leaked.</summary>
    public static bool ShowsInternals(string text) => text.Contains("   at ", StringComparison.Ordinal) || text.Contains("Exception", StringComparison.Ordinal);

    private static string Shorten(string text) => FuzzBudget.Shorten(text);
}
