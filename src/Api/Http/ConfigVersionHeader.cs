using Personalization.Grains.Configuration;

namespace Personalization.Api.Http;

/// <summary>Every response carries the live configuration's version, as personalization-apis does.</summary>
internal static class ConfigVersionHeader
{
    public const string Name = "X-Personalization-Config-Version";

    public static void Apply(HttpContext context, ConfigurationStore configuration)
    {
        if (configuration.Current?.Version is { } version)
        {
            context.Response.Headers[Name] = version;
        }
    }

    public static IApplicationBuilder UseConfigVersionHeader(this IApplicationBuilder app)
    {
        var configuration = app.ApplicationServices.GetRequiredService<ConfigurationStore>();
        return app.Use((context, next) =>
        {
            Apply(context, configuration);
            return next(context);
        });
    }
}
