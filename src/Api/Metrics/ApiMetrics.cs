using System.Diagnostics.Metrics;

namespace Personalization.Api.Metrics;

/// <summary>Meter <c>Personalization.Http</c>: what the HTTP layer itself counts (ASP.NET Core's own meters count requests).</summary>
public static class ApiMetrics
{
    public const string MeterName = "Personalization.Http";

    public static readonly Meter Meter = new(MeterName);
}
