namespace Personalization.Aws.Transport;

/// <summary>One serialised call; the body is reused (and re-signed) on every retry.</summary>
/// <param name="Operation">Model operation name, e.g. PutRecords.</param>
/// <param name="Method">HTTP method.</param>
/// <param name="PathAndQuery">Escaped path and query; "/" for awsJson.</param>
/// <param name="Body">Serialised payload; empty for none.</param>
/// <param name="Headers">Members the model binds to headers (X-Amz-Invocation-Type, Accept, ...); signed with the request.</param>
/// <param name="ContentType">Content-Type of a blob payload; null for the protocol's JSON type.</param>
public sealed record AwsRequest(
    string Operation,
    HttpMethod Method,
    string PathAndQuery,
    ReadOnlyMemory<byte> Body,
    IReadOnlyList<KeyValuePair<string, string>>? Headers = null,
    string? ContentType = null);
