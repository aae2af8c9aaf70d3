using System.Net;
using System.Text;
using System.Text.Json;
using Personalization.Grains.Configuration;
using Personalization.Grains.Recommenders;
using Personalization.Grains.Recommenders.Http;
using Personalization.TestSupport;
using Xunit;
using static Personalization.Grains.Tests.Recommenders.Personalize.BackendRequests;

namespace Personalization.Grains.Tests.Recommenders.Http;

public sealed class HttpRecommenderBackendTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private readonly ManualTimeProvider _time = new();

    private static Task<HttpResponseMessage> Json(string body, HttpStatusCode status = HttpStatusCode.OK) =>
        Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });

    private (HttpRecommenderBackend Backend, StubHandler Handler) Create(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer)
    {
        var handler = new StubHandler(answer);
        return (new HttpRecommenderBackend(new HttpClient(handler), new HttpRecommenderOptions { Timeout = Timeout }, _time), handler);
    }

    private static BackendRequest Remote(string? userId = "u 1/ä", string? itemId = null, int numResults = 5) =>
        For(RecommenderAction.RecommendItems, "remote", userId: userId, itemId: itemId, numResults: numResults);

    [Fact]
    public async Task Expands_the_url_placeholders_url_encoded_and_reads_the_Personalize_shape()
    {
        var (backend, handler) = Create((_, _) => Json("""{"itemList":[{"itemId":"a","score":0.9,"metadata":{"t":"x"}},{"itemId":"b"}],"recommendationId":"r1"}"""));

        var result = await backend.InvokeAsync(Remote(itemId: "i&2"), CancellationToken.None);

        Assert.Equal("https://recs.example.com/users/u%201%2F%C3%A4/items?n=5&seed=i%262", handler.Requested.Single().AbsoluteUri);
        Assert.Equal(["a", "b"], result.Items.Select(i => i.ItemId).ToArray());
        Assert.Equal(0.9, result.Items[0].Score);
        Assert.Null(result.Items[1].Score);
        Assert.Equal("x", JsonDocument.Parse(result.Items[0].Metadata).RootElement.GetProperty("t").GetString());
        Assert.Equal("r1", result.RecommendationId);
    }

    [Fact]
    public async Task Missing_values_expand_to_empty()
    {
        var (backend, handler) = Create((_, _) => Json("""{"itemList":[]}"""));
        var result = await backend.InvokeAsync(Remote(userId: null), CancellationToken.None);
        Assert.Equal("https://recs.example.com/users//items?n=5&seed=", handler.Requested.Single().AbsoluteUri);
        Assert.Empty(result.Items);
        Assert.Null(result.RecommendationId);
    }

    [Fact]
    public void Unknown_placeholders_and_non_http_urls_are_rejected()
    {
        Assert.Throws<FormatException>(() => HttpUrlTemplate.Expand("https://x.example/{user}", "u", null, 1));
        Assert.Throws<FormatException>(() => HttpUrlTemplate.Expand("https://x.example/{userId", "u", null, 1));
        Assert.Throws<FormatException>(() => HttpUrlTemplate.Expand("ftp://x.example/{userId}", "u", null, 1));
        Assert.Equal("https://x.example/a?n=3", HttpUrlTemplate.Expand("https://x.example/{userId}?n={numResults}", "a", null, 3).AbsoluteUri);
    }

    [Fact]
    public async Task Status_429_is_Throttled_with_the_servers_Retry_After()
    {
        var (backend, _) = Create((_, _) =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
            return Task.FromResult(response);
        });

        var error = await Assert.ThrowsAsync<RecommenderBackendException>(() => backend.InvokeAsync(Remote(), CancellationToken.None));
        Assert.Equal(BackendFailure.Throttled, error.Failure);
        Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, BackendFailure.Unavailable)]
    [InlineData(HttpStatusCode.BadGateway, BackendFailure.Unavailable)]
    [InlineData(HttpStatusCode.NotFound, BackendFailure.ResourceNotFound)]
    [InlineData(HttpStatusCode.BadRequest, BackendFailure.InvalidRequest)]
    public async Task Error_statuses_map_to_backend_failures(HttpStatusCode status, BackendFailure failure)
    {
        var (backend, _) = Create((_, _) => Json("""{"message":"stack trace here"}""", status));
        var error = await Assert.ThrowsAsync<RecommenderBackendException>(() => backend.InvokeAsync(Remote(), CancellationToken.None));
        Assert.Equal(failure, error.Failure);
        Assert.DoesNotContain("stack trace", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"items":[]}""")]
    [InlineData("""{"itemList":[{"score":1}]}""")]
    [InlineData("""[1,2]""")]
    public async Task Unreadable_bodies_are_Unavailable(string body)
    {
        var (backend, _) = Create((_, _) => Json(body));
        var error = await Assert.ThrowsAsync<RecommenderBackendException>(() => backend.InvokeAsync(Remote(), CancellationToken.None));
        Assert.Equal(BackendFailure.Unavailable, error.Failure);
        Assert.Equal("HttpRecommenderBadResponse", error.Code);
    }

    [Fact]
    public async Task Unreachable_servers_are_Unavailable()
    {
        var (backend, _) = Create((_, _) => throw new HttpRequestException("connection refused"));
        var error = await Assert.ThrowsAsync<RecommenderBackendException>(() => backend.InvokeAsync(Remote(), CancellationToken.None));
        Assert.Equal(BackendFailure.Unavailable, error.Failure);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_within_the_timeout_is_a_Timeout()
    {
        var (backend, handler) = Create(async (_, cancellationToken) =>
        {
            await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });

        var call = backend.InvokeAsync(Remote(), CancellationToken.None);
        await handler.Entered.Task;
        _time.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        Assert.False(call.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        var error = await Assert.ThrowsAsync<RecommenderBackendException>(() => call);
        Assert.Equal(BackendFailure.Timeout, error.Failure);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_reported_as_a_timeout()
    {
        var (backend, handler) = Create(async (_, cancellationToken) =>
        {
            await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        using var caller = new CancellationTokenSource();

        var call = backend.InvokeAsync(Remote(), caller.Token);
        await handler.Entered.Task;
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Fact]
    public void Supports_only_http()
    {
        var (backend, _) = Create((_, _) => Json("{}"));
        Assert.True(backend.Supports(VariationType.Http));
        Assert.False(backend.Supports(VariationType.PersonalizeCampaign));
    }
}
