namespace Personalization.Grains.Events;

/// <summary>
/// Where a request came from, for the Kinesis/Firehose envelope the original wrote:
/// <c>{namespace, path, headers, queryStringParameters, body}</c>. Headers are the ones the API chose to forward
/// (the original forwarded all of them, credentials included; the caller selects here).
/// </summary>
public sealed record EventOrigin(
    string Namespace,
    string Path,
    IReadOnlyDictionary<string, string>? Headers = null,
    IReadOnlyDictionary<string, string>? QueryStringParameters = null);
