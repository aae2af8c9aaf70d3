using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Personalization.Api.Errors;
using Personalization.Api.Http;
using Personalization.Grains.Configuration;

namespace Personalization.Api.Auth;

/// <summary>
/// 401 and 403 in the API's JSON error shape. A 401 lists every active scheme in WWW-Authenticate (RFC 9110 §11.6.1)
/// and says what was wrong with the credential that was sent; a 403 repeats the authorization handler's reason.
/// </summary>
internal sealed class AuthResponses(AuthOptions options, ConfigurationStore configuration) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            var failure = await FailureAsync(context);
            foreach (var challenge in Challenges(failure))
            {
                context.Response.Headers.Append("WWW-Authenticate", challenge);
            }

            await WriteAsync(context, StatusCodes.Status401Unauthorized, new ApiError(ErrorTypes.Authentication, failure is null ? "MissingCredentials" : "InvalidCredentials",
                failure ?? $"this endpoint needs credentials: {Expected()}."));
            return;
        }

        if (authorizeResult.Forbidden)
        {
            var reasons = authorizeResult.AuthorizationFailure?.FailureReasons.Select(r => r.Message).Where(m => m.Length > 0).ToArray() ?? [];
            await WriteAsync(context, StatusCodes.Status403Forbidden, new ApiError(ErrorTypes.Authorization, "Forbidden",
                reasons.Length > 0 ? string.Join(" ", reasons) : "these credentials do not allow this request."));
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }

    /// <summary>The forwarded scheme's cached result: why the credential that was sent was refused, if one was.</summary>
    private static async Task<string?> FailureAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(AuthSetup.CredentialsScheme);
        return result.Failure?.Message;
    }

    private IEnumerable<string> Challenges(string? failure)
    {
        if (options.Schemes.HasFlag(AuthSchemes.Jwt))
        {
            yield return failure is not null && failure.StartsWith(AuthSetup.TokenFailurePrefix, StringComparison.Ordinal)
                ? $"{JwtBearerDefaults.AuthenticationScheme} error=\"invalid_token\", error_description=\"{failure.Replace('"', '\'')}\""
                : JwtBearerDefaults.AuthenticationScheme;
        }

        if (options.Schemes.HasFlag(AuthSchemes.ApiKey))
        {
            yield return $"{ApiKeyAuthenticationHandler.SchemeName} header=\"{ApiKeyAuthenticationHandler.HeaderName}\"";
        }
    }

    private string Expected() => options.Schemes switch
    {
        AuthSchemes.ApiKey => "send an X-Api-Key header",
        AuthSchemes.Jwt => "send Authorization: Bearer <JWT>",
        _ => "send an X-Api-Key header or Authorization: Bearer <JWT>",
    };

    private async Task WriteAsync(HttpContext context, int status, ApiError error)
    {
        ConfigVersionHeader.Apply(context, configuration);
        context.Response.StatusCode = status;
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsJsonAsync(error, ApiJsonContext.Readable.ApiError, cancellationToken: context.RequestAborted);
    }
}
