using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;

namespace Personalization.Api.Auth;

/// <summary>What an endpoint needs; also picks the endpoint's rate limit and whether it belongs on the admin listener.</summary>
public enum ApiAccess
{
    /// <summary>Any valid credential (the API description).</summary>
    Authenticated,

    /// <summary>`recommendations:read`, or a user token for its own user.</summary>
    Recommendations,

    /// <summary>`events:write`, or a user token for its own user (checked against the body by the endpoint).</summary>
    Events,

    /// <summary>`admin`: configuration status, metrics, experiment results.</summary>
    Admin,
}

/// <summary>Endpoint metadata naming the endpoint's <see cref="ApiAccess"/>.</summary>
public sealed record AccessMetadata(ApiAccess Access);

internal static class AccessPolicies
{
    public static string PolicyName(ApiAccess access) => "personalization-" + access.ToString().ToLowerInvariant();

    /// <summary>The endpoint needs <paramref name="access"/>; with `Auth:Schemes=none` the policy lets everything through.</summary>
    public static TBuilder RequireAccess<TBuilder>(this TBuilder builder, ApiAccess access) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(PolicyName(access)).WithMetadata(new AccessMetadata(access));

    public static void AddPolicies(AuthorizationOptions options, bool enabled)
    {
        foreach (var access in Enum.GetValues<ApiAccess>())
        {
            options.AddPolicy(PolicyName(access), enabled
                ? new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(new AccessRequirement(access)).Build()
                : new AuthorizationPolicyBuilder().RequireAssertion(_ => true).Build());
        }

        // An endpoint added later without a policy is closed, not open, when a scheme is on.
        options.FallbackPolicy = enabled ? options.GetPolicy(PolicyName(ApiAccess.Authenticated)) : null;
    }
}

internal sealed class AccessRequirement(ApiAccess access) : IAuthorizationRequirement
{
    public ApiAccess Access { get; } = access;
}

/// <summary>
/// Scope and object-level checks (OWASP API1): a user token acts only for its own user id, a namespace-bound key only
/// in its namespaces. Each refusal carries a reason the 403 body repeats.
/// </summary>
internal sealed class AccessHandler : AuthorizationHandler<AccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AccessRequirement requirement)
    {
        if (Caller.From(context.User) is not { } caller)
        {
            return Task.CompletedTask;
        }

        var http = context.Resource as HttpContext;
        if (http?.GetRouteValue("ns") is string ns && !caller.AllowsNamespace(ns))
        {
            return Refuse(context, $"'{caller.Name}' may not use namespace '{ns}'.");
        }

        switch (requirement.Access)
        {
            case ApiAccess.Authenticated:
                context.Succeed(requirement);
                break;
            case ApiAccess.Admin:
                return caller.Scopes.Contains(Scopes.Admin) ? Succeed(context, requirement) : Refuse(context, $"'{caller.Name}' lacks the '{Scopes.Admin}' scope this endpoint needs.");
            case ApiAccess.Recommendations when caller.IsService:
                return caller.Scopes.Contains(Scopes.RecommendationsRead) ? Succeed(context, requirement) : Refuse(context, $"'{caller.Name}' lacks the '{Scopes.RecommendationsRead}' scope.");
            case ApiAccess.Recommendations:
                // recommend-items and rerank-items name the user in the path; related-items optionally in the query.
                var user = http?.GetRouteValue("userId") as string ?? QueryUser(http);
                return user is null || string.Equals(user, caller.UserId, StringComparison.Ordinal)
                    ? Succeed(context, requirement)
                    : Refuse(context, $"a user token may only read its own user's recommendations; this token is for user '{caller.UserId}', not '{user}'.");
            case ApiAccess.Events when caller.IsService:
                return caller.Scopes.Contains(Scopes.EventsWrite) ? Succeed(context, requirement) : Refuse(context, $"'{caller.Name}' lacks the '{Scopes.EventsWrite}' scope.");
            case ApiAccess.Events:
                context.Succeed(requirement);
                break;
        }

        return Task.CompletedTask;
    }

    private static string? QueryUser(HttpContext? http) =>
        http is not null && http.Request.Query.TryGetValue("userId", out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    private static Task Succeed(AuthorizationHandlerContext context, IAuthorizationRequirement requirement)
    {
        context.Succeed(requirement);
        return Task.CompletedTask;
    }

    private Task Refuse(AuthorizationHandlerContext context, string reason)
    {
        context.Fail(new AuthorizationFailureReason(this, reason));
        return Task.CompletedTask;
    }
}
