using Microsoft.Extensions.Logging.Console;
using Orleans.Dashboard;
using Personalization.Api.Observability;

namespace Personalization.Silo.Hosting;

/// <summary>The silo's half of observability: trace context across grain calls, the Orleans dashboard, and console logs.</summary>
internal static class ObservabilityHosting
{
    public static ISiloBuilder UsePersonalizationObservability(this ISiloBuilder silo, ObservabilityOptions options)
    {
        if (options.TracesEnabled)
        {
            // Carries the caller's trace context in every grain call's headers, so a request's trace goes on through the
            // grain on whichever silo holds it (only while spans are recorded: it costs a header per call).
            silo.AddActivityPropagation();
        }

        if (options.DashboardEnabled)
        {
            silo.AddDashboard();
        }

        return silo;
    }

    /// <summary>
    /// Console logs as the settings say (`Logging__Console__FormatterName=json` for one JSON object per line); the JSON
    /// lines carry the scopes, which hold the trace and span ids (from the current Activity) and ASP.NET Core's request id.
    /// </summary>
    public static ILoggingBuilder AddStructuredConsole(this ILoggingBuilder logging, IConfiguration configuration)
    {
        // The slim host pins the simple formatter; the setting decides, as it does on a full host.
        logging.Services.PostConfigure<ConsoleLoggerOptions>(console =>
        {
            if (configuration["Logging:Console:FormatterName"] is { Length: > 0 } formatter)
            {
                console.FormatterName = formatter;
            }
        });
        logging.Configure(options => options.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        logging.Services.Configure<JsonConsoleFormatterOptions>(json =>
        {
            json.IncludeScopes = true;
            json.UseUtcTimestamp = true;
            json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        return logging;
    }
}
