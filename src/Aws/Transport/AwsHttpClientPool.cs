using System.Collections.Concurrent;
using Personalization.Aws.Configuration;

namespace Personalization.Aws.Transport;

/// <summary>One long-lived HttpClient (own SocketsHttpHandler connection pool) per endpoint authority.</summary>
public sealed class AwsHttpClientPool(AwsClientOptions options) : IDisposable
{
    private readonly ConcurrentDictionary<string, HttpClient> _clients = new(StringComparer.OrdinalIgnoreCase);

    public HttpClient For(Uri endpoint) => _clients.GetOrAdd(endpoint.GetLeftPart(UriPartial.Authority), Create, options);

    private static HttpClient Create(string authority, AwsClientOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = options.PooledConnectionLifetime,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            MaxConnectionsPerServer = options.MaxConnectionsPerEndpoint,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            UseCookies = false,
            AllowAutoRedirect = false,
            ConnectTimeout = options.Timeout,
        };

        // Deadlines are enforced per call by the transport, so the client-wide timeout is off.
        return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        _clients.Clear();
    }
}
