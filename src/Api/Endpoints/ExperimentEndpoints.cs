using Personalization.Api.Auth;
using Personalization.Api.Errors;
using Personalization.Grains.Configuration;
using Personalization.Grains.Experiments;

namespace Personalization.Api.Endpoints;

/// <summary>Experiment results per arm: users exposed, conversions, rate with a 95% interval, p-value against control.</summary>
internal static class ExperimentEndpoints
{
    public static IEndpointRouteBuilder MapExperimentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/experiments/{ns}/{feature}", GetResultsAsync).WithTags("Experiments").RequireAccess(ApiAccess.Admin);
        return app;
    }

    private static async Task<IResult> GetResultsAsync(string ns, string feature, string? metric, ConfigurationStore configuration, IGrainFactory grains)
    {
        if (configuration.Current is not { } snapshot || !snapshot.TryGetNamespace(ns, out var resolved))
        {
            throw ApiException.NotFound("NamespaceNotFound", $"namespace '{ns}' is not configured.");
        }

        var experiment = ExperimentRegistry.Find(resolved, feature)
            ?? throw ApiException.NotFound("ExperimentNotFound", $"no recommender of namespace '{ns}' has an experiment for feature '{feature}'.");
        if (metric is not null && experiment.Metrics.All(m => m.Name != metric))
        {
            throw ApiException.BadRequest("UnknownMetric", $"experiment '{feature}' has no metric '{metric}'; metrics: {string.Join(", ", experiment.Metrics.Select(m => m.Name))}.");
        }

        var name = metric ?? experiment.Metrics[0].Name;
        var counters = await grains.GetGrain<IExperimentGrain>(ExperimentGrain.Key(ns, feature)).GetCountersAsync(name);
        var report = ExperimentResults.Build(ns, experiment, counters, name);
        return TypedResults.Json(report, ExperimentsJsonContext.Default.ExperimentReport);
    }
}
