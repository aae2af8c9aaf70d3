using Microsoft.Extensions.Primitives;
using Personalization.Api.Errors;

namespace Personalization.Api.Auth;

internal static class AuthMiddleware
{
    private static readonly StringValues VaryHeaders = new([ "Authorization", ApiKeyAuthenticationHandler.HeaderName ]);

    /// <summary>
    /// With `Auth:AdminListener`, admin surfaces answer only on that port and the API only elsewhere (404 otherwise);
    /// probes answer on both.
    /// </summary>
    public static IApplicationBuilder UseAdminListener(this IApplicationBuilder app, AuthOptions options)
    {
        if (options.AdminPort is not { } adminPort)
        {
            return app;
        }

        // The connection's local port, not the Host header: a client can write any Host it likes.
        return app.Use((context, next) =>
        {
            var endpoint = context.GetEndpoint();
            var onAdminPort = context.Connection.LocalPort == adminPort;
            var isAdmin = endpoint?.Metadata.GetMetadata<AccessMetadata>()?.Access == ApiAccess.Admin;
            var isProbe = endpoint?.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null;
            if (!isProbe && isAdmin != onAdminPort)
            {
                throw ApiException.NotFound("NotFound", onAdminPort ? "only admin surfaces are served on the admin listener." : "admin surfaces are served on the admin listener only.");
            }

            return next(context);
        });
    }

    /// <summary>
    /// A response made for one caller must not be served to another by a shared cache: private, and varying on the
    /// credential headers. The cache policy's max-age and stale-while-revalidate still apply to the client's own cache.
    /// </summary>
    public static IApplicationBuilder UsePrivateCachingForCallers(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var context = (HttpContext)state;
                if (context.User.Identity?.IsAuthenticated != true)
                {
                    return Task.CompletedTask;
                }

                var headers = context.Response.Headers;
                headers.Vary = StringValues.Concat(headers.Vary, VaryHeaders);
                headers.CacheControl = Private(headers.CacheControl.ToString());
                return Task.CompletedTask;
            }, context);
            return next(context);
        });

    internal static string Private(string cacheControl)
    {
        var directives = cacheControl.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(d => !d.Equals("public", StringComparison.OrdinalIgnoreCase) && !d.StartsWith("s-maxage", StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (directives.Any(d => d.Equals("no-store", StringComparison.OrdinalIgnoreCase) || d.Equals("private", StringComparison.OrdinalIgnoreCase)))
        {
            return string.Join(", ", directives);
        }

        directives.Insert(0, "private");
        return string.Join(", ", directives);
    }

    /// <summary>Events name their user in the body, so a user token's binding is checked once the body is parsed.</summary>
    public static void EnsureMayActFor(HttpContext context, string? userId)
    {
        if (Caller.From(context.User) is { IsService: false } caller && !string.Equals(caller.UserId, userId, StringComparison.Ordinal))
        {
            throw new ApiException(StatusCodes.Status403Forbidden, new ApiError(ErrorTypes.Authorization, "Forbidden",
                userId is null
                    ? $"a user token may only send events with its own userId ('{caller.UserId}'); the body has none."
                    : $"a user token may only send events for its own user; this token is for user '{caller.UserId}', not '{userId}'."));
        }
    }
}
