namespace Personalization.LocalAws;

/// <summary>Settings of the local server.</summary>
public sealed class LocalAwsOptions
{
    public const string TestAccessKeyId = "AKIDLOCALTEST";
    public const string TestSecretAccessKey = "local-test-secret-key";

    /// <summary>Accepted access key id → secret. Requests signed with anything else are rejected like AWS does.</summary>
    public Dictionary<string, string> Credentials { get; set; } = new(StringComparer.Ordinal) { [TestAccessKeyId] = TestSecretAccessKey };

    /// <summary>Seed of the default recommendation generator.</summary>
    public int RecommendationSeed { get; set; } = 42;

    /// <summary>Size of the synthetic catalogue the default generator picks from (item-1 .. item-N).</summary>
    public int CatalogSize { get; set; } = 1000;

    /// <summary>Poll interval returned by AppConfigData when the session does not ask for a longer one.</summary>
    public int DefaultPollIntervalSeconds { get; set; } = 60;

    /// <summary>Clock for latency injection and timestamps.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Kestrel URLs; empty means 127.0.0.1 on a free port.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:0";
}
