using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Personalization.Aws.Configuration;
using Personalization.Aws.Credentials;
using Personalization.Aws.Errors;
using Personalization.Aws.Signing;
using Polly;
using Polly.Retry;

namespace Personalization.Aws.Transport;

/// <summary>
/// Sends signed requests: per-call deadline, jittered exponential retries for throttling and 5xx (never for
/// validation errors), and error responses mapped to <see cref="AwsServiceException"/> subclasses.
/// </summary>
public sealed class AwsTransport : IDisposable
{
    private static readonly MediaTypeHeaderValue AwsJson11 = new("application/x-amz-json-1.1");
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly ResiliencePropertyKey<string> OperationKey = new("aws.operation");

    private readonly AwsClientOptions _options;
    private readonly IAwsCredentialsSource _credentials;
    private readonly TimeProvider _timeProvider;
    private readonly AwsEndpointResolver _endpoints;
    private readonly AwsHttpClientPool _pool;
    private readonly bool _ownsPool;
    private readonly ResiliencePipeline _retry;
    private readonly ILogger _logger;

    public AwsTransport(AwsClientOptions options, IAwsCredentialsSource credentials, TimeProvider? timeProvider = null, AwsHttpClientPool? pool = null, ILogger<AwsTransport>? logger = null)
    {
        options.Validate();
        _options = options;
        _credentials = credentials;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _endpoints = new AwsEndpointResolver(options);
        _ownsPool = pool is null;
        _pool = pool ?? new AwsHttpClientPool(options);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _retry = BuildRetryPipeline();
    }

    public AwsEndpointResolver Endpoints => _endpoints;

    /// <summary>JSON in, JSON out (both protocols); <paramref name="responseInfo"/> null for operations without output.</summary>
    public Task<TResponse?> InvokeJsonAsync<TRequest, TResponse>(
        AwsService service, string operation, HttpMethod method, string pathAndQuery, TRequest request,
        JsonTypeInfo<TRequest> requestInfo, JsonTypeInfo<TResponse>? responseInfo, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(request, requestInfo);
        return SendAsync(service, new AwsRequest(operation, method, pathAndQuery, body), responseInfo, static async (response, info, ct) =>
        {
            if (info is null)
            {
                return default;
            }

            if (response.Content.Headers.ContentLength == 0)
            {
                return default;
            }

            await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            return await JsonSerializer.DeserializeAsync(stream, info, ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>JSON in, nothing out (operations the model gives no output).</summary>
    public Task SendJsonAsync<TRequest>(AwsService service, string operation, HttpMethod method, string pathAndQuery, TRequest request, JsonTypeInfo<TRequest> requestInfo, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(request, requestInfo);
        return SendAsync(service, new AwsRequest(operation, method, pathAndQuery, body), 0, static (_, _, _) => Task.FromResult(true), cancellationToken);
    }

    /// <summary>Sends <paramref name="request"/> and reads a successful response with <paramref name="read"/>.</summary>
    public async Task<T> SendAsync<TState, T>(AwsService service, AwsRequest request, TState state, Func<HttpResponseMessage, TState, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(_options.Timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var context = ResilienceContextPool.Shared.Get(linked.Token);
        context.Properties.Set(OperationKey, service.EndpointPrefix + "." + request.Operation);
        try
        {
            return await _retry.ExecuteAsync(
                static async (ctx, s) => await s.Transport.SendOnceAsync(s.Service, s.Request, s.State, s.Read, ctx.CancellationToken).ConfigureAwait(false),
                context,
                (Transport: this, Service: service, Request: request, State: state, Read: read)).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new AwsTimeoutException(_options.Timeout, service.EndpointPrefix, request.Operation, e);
        }
        catch (HttpRequestException e) when (e.InnerException is TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            throw new AwsTimeoutException(_options.Timeout, service.EndpointPrefix, request.Operation, e);
        }
        catch (Exception e) when (e is InvalidOperationException or Amazon.Runtime.AmazonClientException && e is not AwsServiceException)
        {
            // Missing region or credentials: nothing to retry until an operator fixes the setup.
            throw new AwsConfigurationException($"{service.EndpointPrefix} {request.Operation}: {e.Message}", service.EndpointPrefix, request.Operation, e);
        }
        catch (HttpRequestException e)
        {
            throw new AwsServiceUnavailableException(
                $"{service.EndpointPrefix} {request.Operation} could not reach {_endpoints.Endpoint(service)}: {e.Message}",
                AwsServiceUnavailableException.NetworkErrorCode, null, null, service.EndpointPrefix, request.Operation, e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async Task<T> SendOnceAsync<TState, T>(AwsService service, AwsRequest request, TState state, Func<HttpResponseMessage, TState, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        var endpoint = _endpoints.Endpoint(service);
        using var message = new HttpRequestMessage(request.Method, new Uri(endpoint, request.PathAndQuery));
        if (request.Method != HttpMethod.Get)
        {
            message.Content = new ReadOnlyMemoryContent(request.Body);
            message.Content.Headers.ContentType = request.ContentType is { } contentType
                ? MediaTypeHeaderValue.Parse(contentType)
                : service.Protocol == AwsProtocol.AwsJson11 ? AwsJson11 : Json;
        }

        if (request.Headers is { } headers)
        {
            foreach (var (name, value) in headers)
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (service.TargetPrefix is not null)
        {
            message.Headers.TryAddWithoutValidation("X-Amz-Target", service.TargetPrefix + "." + request.Operation);
        }

        var credentials = await _credentials.GetCredentialsAsync(cancellationToken).ConfigureAwait(false);
        SigV4Signer.Sign(message, request.Body.Span, credentials, new SigV4Scope(_endpoints.Region, service.SigningName), _timeProvider.GetUtcNow());

        using var response = await _pool.For(endpoint).SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return await read(response, state, cancellationToken).ConfigureAwait(false);
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var error = AwsErrorMapper.Map(
            response.StatusCode,
            body,
            HeaderValue(response, "x-amzn-ErrorType"),
            HeaderValue(response, "x-amzn-RequestId") ?? HeaderValue(response, "x-amz-request-id"),
            service.EndpointPrefix,
            request.Operation);
        throw error;
    }

    internal static string? HeaderValue(HttpResponseMessage response, string name) =>
        response.Headers.NonValidated.TryGetValues(name, out var values) ? values.ToString() : null;

    private ResiliencePipeline BuildRetryPipeline()
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = _timeProvider };
        if (_options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = _options.MaxRetries,
                Delay = _options.RetryBaseDelay,
                MaxDelay = _options.RetryMaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder()
                    .Handle<AwsServiceException>(static e => e.IsRetryable)
                    .Handle<HttpRequestException>(static e => e.InnerException is not TimeoutException),
                OnRetry = args =>
                {
                    _logger.LogDebug(
                        args.Outcome.Exception,
                        "Retrying {Operation} (attempt {Attempt}) after {Delay}",
                        args.Context.Properties.GetValue(OperationKey, "?"),
                        args.AttemptNumber + 1,
                        args.RetryDelay);
                    return default;
                },
            });
        }

        return builder.Build();
    }

    public void Dispose()
    {
        if (_ownsPool)
        {
            _pool.Dispose();
        }
    }
}
