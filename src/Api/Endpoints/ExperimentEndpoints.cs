using Personalization.Api.Auth;
using Personalization.Api.Errors;
using Personalization.Api.Pages;
using Personalization.Grains.Configuration;
using Personalization.Grains.Experiments;

namespace Personalization.Api.Endpoints;

/// <summary>
/// Experiment results: per arm users exposed, conversions, rate with a 95% interval, lift and p-value against control,
/// and a verdict — as JSON per experiment (<c>/experiments/{ns}/{feature}</c>) and as one HTML page per namespace
/// (<c>/experiments/{ns}</c>). Both render the report <see cref="ReportAsync"/> builds, so their numbers are the same.
/// </summary>
internal static class ExperimentEndpoints
{
    public static IEndpointRouteBuilder MapExperimentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/experiments/{ns}/{feature}", GetResultsAsync).WithTags("Experiments").RequireAccess(ApiAccess.Admin);
        app.MapGet("/experiments/{ns}", GetPageAsync).WithTags("Experiments").RequireAccess(ApiAccess.Admin);
        return app;
    }

    private static async Task<IResult> GetResultsAsync(string ns, string feature, string? metric, ConfigurationStore configuration, IGrainFactory grains)
    {
        if (configuration.Current is not { } snapshot || !snapshot.TryGetNamespace(ns, out var resolved))
        {
            throw ApiException.NotFound("NamespaceNotFound", NamespaceNotFound(ns));
        }

        var experiment = ExperimentRegistry.Find(resolved, feature)
            ?? throw ApiException.NotFound("ExperimentNotFound", $"no recommender of namespace '{ns}' has an experiment for feature '{feature}'.");
        if (metric is not null && experiment.Metrics.All(m => m.Name != metric))
        {
            throw ApiException.BadRequest("UnknownMetric", $"experiment '{feature}' has no metric '{metric}'; metrics: {string.Join(", ", experiment.Metrics.Select(m => m.Name))}.");
        }

        var report = await ReportAsync(grains, ns, experiment, metric ?? experiment.Metrics[0].Name);
        return TypedResults.Json(report, ExperimentsJsonContext.Default.ExperimentReport);
    }

    /// <summary>Every experiment of the namespace, each metric's report as the JSON endpoint gives it; server-rendered, no script.</summary>
    private static async Task<IResult> GetPageAsync(string ns, HttpContext context, ConfigurationStore configuration, IGrainFactory grains, TimeProvider time)
    {
        ExperimentsPage.ApplyHeaders(context.Response);
        if (configuration.Current is not { } snapshot || !snapshot.TryGetNamespace(ns, out var resolved))
        {
            return ExperimentsPage.NotFound(NamespaceNotFound(ns));
        }

        var sections = await Task.WhenAll(ExperimentsPage.ExperimentsOf(resolved).Select(async found => new ExperimentsPage.Section(
            found.Recommender,
            found.Experiment,
            await Task.WhenAll(found.Experiment.Metrics.Select(m => ReportAsync(grains, ns, found.Experiment, m.Name))))));
        return ExperimentsPage.Render(snapshot, resolved, sections, time.GetUtcNow());
    }

    private static async Task<ExperimentReport> ReportAsync(IGrainFactory grains, string ns, ExperimentDefinition experiment, string metric)
    {
        var counters = await grains.GetGrain<IExperimentGrain>(ExperimentGrain.Key(ns, experiment.Feature)).GetCountersAsync(metric);
        return ExperimentResults.Build(ns, experiment, counters, metric);
    }

    private static string NamespaceNotFound(string ns) => $"namespace '{ns}' is not configured.";
}
