using Microsoft.Extensions.Logging;
using Personalization.Runtime.Cluster;

namespace Personalization.Api.Cluster;

/// <summary>
/// Sends a user-scoped request to the silo that owns the user's key (rendezvous hashing over the members), so one
/// silo holds each user's grain and cache. When the owner cannot be reached the request is served locally: durable
/// state is compare-and-swap, so a brief double activation loses nothing. A forwarded request is never forwarded again.
/// </summary>
public sealed partial class ClusterForwarder(ClusterOwnership? ownership, ClusterTransport transport, ILogger<ClusterForwarder> logger)
{
    public const string ForwardedHeader = "X-Personalization-Forwarded-By";

    /// <summary>Set on a forwarded answer: the silo that served it.</summary>
    public const string ServedByHeader = "X-Personalization-Served-By";

    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "Upgrade", "TE", "Trailer", "Host", "Content-Length", "Content-Type",
    };

    /// <summary>True when the request was answered by the owner; false to serve it here.</summary>
    public async Task<bool> TryForwardAsync(HttpContext context, string key, ReadOnlyMemory<byte>? body = null)
    {
        if (ownership is null || context.Request.Headers.ContainsKey(ForwardedHeader))
        {
            return false;
        }

        var owner = ownership.OwnerOf(key);
        if (string.Equals(owner, ownership.Self, StringComparison.Ordinal))
        {
            return false;
        }

        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), $"http://{owner}{context.Request.Path}{context.Request.QueryString}");
        foreach (var (name, values) in context.Request.Headers)
        {
            if (!HopByHop.Contains(name))
            {
                request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        request.Headers.TryAddWithoutValidation(ForwardedHeader, ownership.Self);
        if (body is { } content)
        {
            request.Content = new ReadOnlyMemoryContent(content);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", context.Request.ContentType ?? "application/json");
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            timeout.CancelAfter(transport.Timeout);
            using var response = await transport.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var header in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopByHop.Contains(header.Key) || header.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                {
                    context.Response.Headers[header.Key] = header.Value.ToArray();
                }
            }

            context.Response.Headers[ServedByHeader] = owner;
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
            return true;
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException && !context.RequestAborted.IsCancellationRequested)
        {
            LogOwnerUnreachable(logger, owner, exception.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Owner silo {Owner} unreachable ({Reason}); serving locally")]
    private static partial void LogOwnerUnreachable(ILogger logger, string owner, string reason);
}

/// <summary>How silos reach each other: a pooled HTTP client in production, an in-memory handler in the TestCluster.</summary>
public sealed class ClusterTransport(HttpMessageHandler handler, TimeSpan timeout)
{
    public HttpClient Client { get; } = new(handler, disposeHandler: false);

    public TimeSpan Timeout { get; } = timeout;

    public static ClusterTransport CreateDefault() => new(
        new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = TimeSpan.FromMilliseconds(500) },
        TimeSpan.FromSeconds(2));
}
