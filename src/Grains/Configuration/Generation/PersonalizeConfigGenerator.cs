using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Personalization.Aws.Errors;
using Personalization.Aws.Personalize.Control;

namespace Personalization.Grains.Configuration.Generation;

/// <summary>
/// Builds a configuration from the Amazon Personalize resources of dataset groups: one namespace per dataset group,
/// recommenders and campaigns as recommenders (key = resource name) under the action their recipe serves, with one
/// variation keyed by the recipe name ("aws-" → "personalize-"); event trackers as personalize-event-tracker
/// targets; the 10 s private / 300 s public / 1200 s public cache policy. Unknown recipes are skipped with a warning.
/// </summary>
public sealed class PersonalizeConfigGenerator(IPersonalizeClient client, ILogger<PersonalizeConfigGenerator>? logger = null)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly ILogger _logger = logger ?? NullLogger<PersonalizeConfigGenerator>.Instance;

    public async Task<GeneratedConfiguration> GenerateAsync(ConfigGenerationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var warnings = new List<string>();
        try
        {
            var datasetGroups = await SelectDatasetGroupsAsync(request, cancellationToken).ConfigureAwait(false);
            var namespaces = new JsonObject();
            foreach (var (arn, name) in datasetGroups)
            {
                var ns = new NamespaceBuilder(new JsonObject(), request.AttachFilters ? await ActiveFilterArnsAsync(arn, cancellationToken).ConfigureAwait(false) : []);
                await AddRecommendersAsync(ns, arn, warnings, cancellationToken).ConfigureAwait(false);
                await AddEventTrackersAsync(ns, arn, warnings, cancellationToken).ConfigureAwait(false);
                namespaces[name] = ns.Node;
            }

            await AddCampaignsAsync(namespaces, datasetGroups, request.AttachFilters, warnings, cancellationToken).ConfigureAwait(false);
            foreach (var (_, name) in datasetGroups)
            {
                if (namespaces[name] is JsonObject node && node.Count == 0)
                {
                    Warn(warnings, $"dataset group '{name}' has no recommenders, campaigns or event trackers this generator can map; it gets no namespace.");
                    namespaces.Remove(name);
                }
            }

            var json = JsonSerializer.SerializeToUtf8Bytes(Root(request, namespaces), Indented);
            return new GeneratedConfiguration(json, ConfigurationParser.Parse(json), warnings);
        }
        catch (AwsServiceException exception)
        {
            throw new ConfigGenerationException($"Amazon Personalize {exception.Operation} failed ({exception.ErrorCode}): {exception.Message}", exception);
        }
    }

    private static JsonObject Root(ConfigGenerationRequest request, JsonObject namespaces) => new()
    {
        ["version"] = "2",
        ["description"] = request.AllDatasetGroups
            ? "Generated from the active recommenders, campaigns and event trackers of all dataset groups"
            : "Generated from the active recommenders, campaigns and event trackers of dataset groups " + string.Join(", ", request.DatasetGroupNames!),
        ["cacheControl"] = new JsonObject
        {
            ["autoProvision"] = true,
            ["userSpecified"] = new JsonObject { ["maxAge"] = 10, ["directives"] = "private" },
            ["syntheticUserSpecified"] = new JsonObject { ["maxAge"] = 300, ["directives"] = "public" },
            ["noUserSpecified"] = new JsonObject { ["maxAge"] = 1200, ["directives"] = "public" },
        },
        ["namespaces"] = namespaces,
    };

    private async Task<List<(string Arn, string Name)>> SelectDatasetGroupsAsync(ConfigGenerationRequest request, CancellationToken cancellationToken)
    {
        var all = new List<(string Arn, string Name)>();
        await foreach (var group in client.ListAllDatasetGroupsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (group.DatasetGroupArn is { Length: > 0 } arn)
            {
                all.Add((arn, group.Name ?? LastSegment(arn)));
            }
        }

        if (request.DatasetGroupNames is not { } names)
        {
            return [.. all.OrderBy(g => g.Name, StringComparer.Ordinal)];
        }

        var missing = names.Where(n => !all.Any(g => g.Name == n)).ToArray();
        if (missing.Length > 0)
        {
            throw new ConfigGenerationException(
                $"dataset group(s) not found in this account and region: {string.Join(", ", missing)} (found: {(all.Count == 0 ? "none" : string.Join(", ", all.Select(g => g.Name)))}).");
        }

        return [.. names.Select(n => all.First(g => g.Name == n))];
    }

    private async Task<List<string>> ActiveFilterArnsAsync(string datasetGroupArn, CancellationToken cancellationToken)
    {
        var filters = new List<string>();
        await foreach (var filter in client.ListAllFiltersAsync(datasetGroupArn, cancellationToken).ConfigureAwait(false))
        {
            if (filter.FilterArn is { Length: > 0 } arn && filter.Status is null or "ACTIVE")
            {
                filters.Add(arn);
            }
        }

        return filters;
    }

    private async Task AddRecommendersAsync(NamespaceBuilder ns, string datasetGroupArn, List<string> warnings, CancellationToken cancellationToken)
    {
        await foreach (var recommender in client.ListAllRecommendersAsync(datasetGroupArn, cancellationToken).ConfigureAwait(false))
        {
            if (recommender.RecommenderArn is not { Length: > 0 } arn || recommender.RecipeArn is not { Length: > 0 } recipe)
            {
                continue;
            }

            AddVariation(ns, recommender.Name ?? LastSegment(arn), "personalize-recommender", arn, recipe, recommender.Status, warnings);
        }
    }

    private async Task AddCampaignsAsync(JsonObject namespaces, List<(string Arn, string Name)> datasetGroups, bool attachFilters, List<string> warnings, CancellationToken cancellationToken)
    {
        // ListCampaigns cannot filter by dataset group: each campaign's solution version says where it belongs.
        var builders = new Dictionary<string, NamespaceBuilder>(StringComparer.Ordinal);
        await foreach (var summary in client.ListAllCampaignsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (summary.CampaignArn is not { Length: > 0 } campaignArn)
            {
                continue;
            }

            var campaign = (await client.DescribeCampaignAsync(new DescribeCampaignRequest { CampaignArn = campaignArn }, cancellationToken).ConfigureAwait(false)).Campaign;
            if (campaign?.SolutionVersionArn is not { Length: > 0 } solutionVersionArn)
            {
                Warn(warnings, $"campaign {campaignArn} has no solution version yet; skipped.");
                continue;
            }

            var version = (await client.DescribeSolutionVersionAsync(new DescribeSolutionVersionRequest { SolutionVersionArn = solutionVersionArn }, cancellationToken).ConfigureAwait(false)).SolutionVersion;
            var group = datasetGroups.FirstOrDefault(g => g.Arn == version?.DatasetGroupArn);
            if (group.Name is null)
            {
                continue;
            }

            if (version?.RecipeArn is not { Length: > 0 } recipe)
            {
                Warn(warnings, $"campaign {campaignArn}: its solution version names no recipe; skipped.");
                continue;
            }

            if (!builders.TryGetValue(group.Name, out var ns))
            {
                ns = new NamespaceBuilder((JsonObject)namespaces[group.Name]!, attachFilters ? await ActiveFilterArnsAsync(group.Arn, cancellationToken).ConfigureAwait(false) : []);
                builders[group.Name] = ns;
            }

            AddVariation(ns, summary.Name ?? campaign.Name ?? LastSegment(campaignArn), "personalize-campaign", campaignArn, recipe, summary.Status, warnings);
        }
    }

    private async Task AddEventTrackersAsync(NamespaceBuilder ns, string datasetGroupArn, List<string> warnings, CancellationToken cancellationToken)
    {
        await foreach (var summary in client.ListAllEventTrackersAsync(datasetGroupArn, cancellationToken).ConfigureAwait(false))
        {
            if (summary.EventTrackerArn is not { Length: > 0 } arn)
            {
                continue;
            }

            var tracker = (await client.DescribeEventTrackerAsync(new DescribeEventTrackerRequest { EventTrackerArn = arn }, cancellationToken).ConfigureAwait(false)).EventTracker;
            if (tracker?.TrackingId is not { Length: > 0 } trackingId)
            {
                Warn(warnings, $"event tracker {arn} has no tracking id; skipped.");
                continue;
            }

            ns.AddEventTracker(trackingId);
        }
    }

    private void AddVariation(NamespaceBuilder ns, string recommenderName, string type, string arn, string recipeArn, string? status, List<string> warnings)
    {
        if (!PersonalizeRecipes.TryGetAction(recipeArn, out var action))
        {
            Warn(warnings, $"{type} {arn}: recipe {recipeArn} serves no action this API maps (recommend, related, rerank items); skipped.");
            return;
        }

        if (status is not null and not "ACTIVE")
        {
            Warn(warnings, $"{type} {arn} is {status}; included, but it cannot answer until it is ACTIVE.");
        }

        if (!ns.TryAddVariation(action, recommenderName, PersonalizeRecipes.VariationKey(recipeArn), type, arn))
        {
            Warn(warnings, $"{type} {arn}: recommender '{recommenderName}' already has variation '{PersonalizeRecipes.VariationKey(recipeArn)}' under {PersonalizeRecipes.WireName(action)}; skipped.");
        }
    }

    private void Warn(List<string> warnings, string message)
    {
        warnings.Add(message);
        _logger.LogWarning("config generate: {Warning}", message);
    }

    private static string LastSegment(string arn) => arn[(arn.LastIndexOf('/') + 1)..];
}
