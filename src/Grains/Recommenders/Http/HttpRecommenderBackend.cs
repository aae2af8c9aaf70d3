using System.Net;
using System.Text.Json;
using Personalization.Grains.Configuration;

namespace Personalization.Grains.Recommenders.Http;

/// <summary>
/// Serves `http` variations: GET on the variation's url (see <see cref="HttpUrlTemplate"/> for placeholders),
/// expecting the Personalize response shape. One pooled HttpClient for all variations; each call has its own
/// deadline. 429 → Throttled (Retry-After honoured), 404 → ResourceNotFound, 4xx → InvalidRequest,
/// 5xx/unreachable/bad JSON → Unavailable, deadline → Timeout.
/// </summary>
public sealed class HttpRecommenderBackend : IRecommenderBackend, IDisposable
{
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);
    private readonly HttpClient _http;
    private readonly HttpRecommenderOptions _options;
    private readonly TimeProvider _time;

    public HttpRecommenderBackend(HttpRecommenderOptions options, TimeProvider time)
        : this(new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = options.PooledConnectionLifetime, AutomaticDecompression = DecompressionMethods.All }), options, time)
    {
    }

    /// <summary>For tests and custom handlers; the backend owns and disposes <paramref name="http"/>.</summary>
    public HttpRecommenderBackend(HttpClient http, HttpRecommenderOptions options, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Timeout, TimeSpan.Zero, nameof(options.Timeout));
        _http = http;
        _http.Timeout = System.Threading.Timeout.InfiniteTimeSpan; // the per-call deadline below is the only one
        _options = options;
        _time = time;
    }

    public bool Supports(VariationType type) => type == VariationType.Http;

    public async Task<RecommenderResult> InvokeAsync(BackendRequest request, CancellationToken cancellationToken)
    {
        var variation = request.Variation;
        Uri uri;
        try
        {
            uri = HttpUrlTemplate.Expand(variation.Url ?? throw new FormatException("no url is configured."), request.UserId, request.ItemId, Personalize.LookAhead.NumResults(request.NumResults, request.Recommender.ResponsePostProcessor));
        }
        catch (FormatException exception)
        {
            throw new RecommenderBackendException(BackendFailure.InvalidRequest, "InvalidVariationUrl", $"variation '{variation.Key}': {exception.Message}");
        }

        using var deadline = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, uri);
            message.Headers.Accept.ParseAdd("application/json");
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            ThrowOnStatus(response, variation.Key);
            var body = await ReadBodyAsync(response, variation.Key, linked.Token).ConfigureAwait(false);
            return RecommenderResponseJson.Parse(body, request.Recommender.Action == RecommenderAction.RerankItems);
        }
        catch (OperationCanceledException exception) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new RecommenderBackendException(
                BackendFailure.Timeout, "HttpRecommenderTimeout", $"variation '{variation.Key}' did not answer within {_options.Timeout.TotalMilliseconds:0} ms.", inner: exception);
        }
        catch (HttpRequestException exception)
        {
            throw new RecommenderBackendException(BackendFailure.Unavailable, "HttpRecommenderUnreachable", $"variation '{variation.Key}' could not be reached.", inner: exception);
        }
        catch (Exception exception) when (exception is JsonException or FormatException)
        {
            throw new RecommenderBackendException(
                BackendFailure.Unavailable, "HttpRecommenderBadResponse", $"variation '{variation.Key}' answered with an unreadable body: {exception.Message}", inner: exception);
        }
    }

    public void Dispose() => _http.Dispose();

    private static void ThrowOnStatus(HttpResponseMessage response, string variationKey)
    {
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 300)
        {
            return;
        }

        throw status switch
        {
            429 => new RecommenderBackendException(
                BackendFailure.Throttled, "HttpRecommenderThrottled", $"variation '{variationKey}' is throttling requests.", RetryAfter(response)),
            404 => new RecommenderBackendException(BackendFailure.ResourceNotFound, "HttpRecommenderNotFound", $"variation '{variationKey}' answered 404 Not Found."),
            >= 400 and < 500 => new RecommenderBackendException(BackendFailure.InvalidRequest, "HttpRecommenderRejected", $"variation '{variationKey}' rejected the request with status {status}."),
            _ => new RecommenderBackendException(BackendFailure.Unavailable, "HttpRecommenderFailed", $"variation '{variationKey}' failed with status {status}."),
        };
    }

    private static TimeSpan RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter?.Delta is { } delta && delta > TimeSpan.Zero ? delta : DefaultRetryAfter;

    private async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, string variationKey, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > _options.MaxResponseBytes)
        {
            throw new FormatException($"the body is larger than {_options.MaxResponseBytes} bytes.");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > _options.MaxResponseBytes)
            {
                throw new FormatException($"variation '{variationKey}': the body is larger than {_options.MaxResponseBytes} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
