using System.Text.Json.Nodes;
using Personalization.Api.Auth;

namespace Personalization.Api.OpenApi;

/// <summary>
/// The active schemes as OpenAPI security schemes, and per operation the credentials and scope it needs, so Swagger UI
/// offers Authorize for a key or a bearer token. OpenAPI 3.0 gives scopes meaning only for OAuth2 schemes, so the scope
/// is stated in each operation's description and in `x-required-scope`.
/// </summary>
internal static class OpenApiSecurity
{
    public const string ApiKeyScheme = "ApiKey";
    public const string BearerScheme = "Bearer";

    public static JsonObject Apply(JsonObject document, AuthOptions auth)
    {
        if (!auth.Enabled)
        {
            return document;
        }

        var schemes = new JsonObject();
        var requirements = new JsonArray();
        if (auth.Schemes.HasFlag(AuthSchemes.ApiKey))
        {
            schemes[ApiKeyScheme] = new JsonObject
            {
                ["type"] = "apiKey",
                ["in"] = "header",
                ["name"] = ApiKeyAuthenticationHandler.HeaderName,
                ["description"] = "A service key: acts for any user of its namespaces, within its scopes.",
            };
            requirements.Add(new JsonObject { [ApiKeyScheme] = new JsonArray() });
        }

        if (auth.Schemes.HasFlag(AuthSchemes.Jwt))
        {
            schemes[BearerScheme] = new JsonObject
            {
                ["type"] = "http",
                ["scheme"] = "bearer",
                ["bearerFormat"] = "JWT",
                ["description"] = $"RS256/ES256 JWT from {auth.Jwt.Authority ?? auth.Jwt.Issuer}. With a service scope ({string.Join(", ", Scopes.All)}) it acts for any user; without, only for its own `{auth.Jwt.UserIdClaim}`.",
            };
            requirements.Add(new JsonObject { [BearerScheme] = new JsonArray() });
        }

        document["components"]!["securitySchemes"] = schemes;
        document["security"] = requirements;
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (_, node) in item!.AsObject())
            {
                var operation = node!.AsObject();
                if (path is "/health" or "/ready")
                {
                    operation["security"] = new JsonArray();
                    continue;
                }

                var (scope, userBound) = ScopeOf(path);
                operation["x-required-scope"] = scope;
                operation["description"] = (operation["description"]?.GetValue<string>() is { } existing ? existing + "\n\n" : string.Empty)
                    + $"Needs scope `{scope}`" + (userBound ? ", or a user token for the user named in the request." : ".");
                var responses = operation["responses"]!.AsObject();
                responses["401"] ??= Error("Missing or invalid credentials (WWW-Authenticate names the schemes)");
                responses["403"] ??= Error("The credentials do not allow this request (scope, namespace or user)");
                responses["429"] ??= Error("Rate limit exceeded; retry after the Retry-After delay");
            }
        }

        return document;
    }

    private static (string Scope, bool UserBound) ScopeOf(string path) =>
        path.StartsWith("/events/", StringComparison.Ordinal) ? (Scopes.EventsWrite, true)
        : path.StartsWith("/experiments/", StringComparison.Ordinal) || path.StartsWith("/admin/", StringComparison.Ordinal) ? (Scopes.Admin, false)
        : (Scopes.RecommendationsRead, true);

    private static JsonObject Error(string description) => new()
    {
        ["description"] = description,
        ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/Error" } } },
    };
}
