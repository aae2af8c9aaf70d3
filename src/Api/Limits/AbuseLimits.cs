using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.RateLimiting;
using Personalization.Api.Auth;
using Personalization.Api.Errors;

namespace Personalization.Api.Limits;

/// <summary>Rate limits per caller, CORS and the per-request time budget, on ASP.NET Core's own middleware.</summary>
internal static class AbuseLimits
{
    private const string CorsPolicy = "personalization";

    public static IServiceCollection AddAbuseLimits(this IServiceCollection services, AbuseLimitOptions options)
    {
        services.AddSingleton(options);
        services.AddRateLimiter(rateLimiter =>
        {
            rateLimiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, options));
            rateLimiter.OnRejected = (rejected, cancellationToken) => RejectAsync(rejected.HttpContext, rejected.Lease, cancellationToken);
        });
        services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy =>
        {
            if (options.CorsOrigins.Contains("*"))
            {
                policy.AllowAnyOrigin();
            }
            else
            {
                policy.WithOrigins([.. options.CorsOrigins]);
            }

            // Credentials are headers, not cookies: no Allow-Credentials, so a wildcard origin stays safe.
            policy.WithMethods([.. options.CorsMethods])
                .WithHeaders([.. options.CorsHeaders])
                .WithExposedHeaders("ETag", "Retry-After", "X-Personalization-Config-Version")
                .SetPreflightMaxAge(options.CorsMaxAge);
        }));
        services.AddRequestTimeouts(timeouts => timeouts.DefaultPolicy = new RequestTimeoutPolicy
        {
            Timeout = options.RequestTimeout,
            TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
            WriteTimeoutResponse = context => context.Response.WriteAsJsonAsync(
                new ApiError(ErrorTypes.Backend, "RequestTimeout", $"the request took longer than its {options.RequestTimeout.TotalSeconds:0.#} s budget."),
                ApiJsonContext.Readable.ApiError),
        });
        return services;
    }

    /// <summary>CORS first, so a preflight is answered before any credential is asked for.</summary>
    public static IApplicationBuilder UseCorsFromSettings(this IApplicationBuilder app, AbuseLimitOptions options) =>
        options.CorsOrigins.Count > 0 ? app.UseCors(CorsPolicy) : app;

    /// <summary>
    /// The bucket a request draws from: the caller's (API key name or token user) for the endpoint's scope, else the
    /// client address's. Probes are never limited: a throttled /ready would take the pod out of service.
    /// </summary>
    private static RateLimitPartition<string> Partition(HttpContext context, AbuseLimitOptions options)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }

        string name;
        string key;
        if (Caller.From(context.User) is { } caller)
        {
            name = endpoint?.Metadata.GetMetadata<AccessMetadata>()?.Access switch
            {
                ApiAccess.Events => AbuseLimitOptions.Events,
                ApiAccess.Admin => AbuseLimitOptions.Admin,
                _ => AbuseLimitOptions.Recommendations,
            };
            key = name + "|" + caller.RateLimitKey;
        }
        else
        {
            name = AbuseLimitOptions.Anonymous;
            key = name + "|" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        }

        if (!options.RateLimits.TryGetValue(name, out var limit))
        {
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }

        return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limit.Burst,
            TokensPerPeriod = limit.PermitsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private static async ValueTask RejectAsync(HttpContext context, RateLimitLease lease, CancellationToken cancellationToken)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var delay) ? delay : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsJsonAsync(
            new ApiError(ErrorTypes.RateLimit, "TooManyRequests", $"too many requests from this caller; retry after {seconds} s."),
            ApiJsonContext.Readable.ApiError, cancellationToken: cancellationToken);
    }
}
