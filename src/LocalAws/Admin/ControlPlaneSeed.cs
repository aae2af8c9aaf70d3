using Personalization.Aws.Personalize.Control;

namespace Personalization.LocalAws.Admin;

/// <summary>Body of PUT /_local/control-plane: replaces the control-plane model (camelCase, epoch-second timestamps).</summary>
public sealed class ControlPlaneSeed
{
    public List<DatasetGroupSummary> DatasetGroups { get; set; } = [];

    public List<Campaign> Campaigns { get; set; } = [];

    public List<Recommender> Recommenders { get; set; } = [];

    public List<EventTrackerSeed> EventTrackers { get; set; } = [];

    public List<FilterSummary> Filters { get; set; } = [];

    public List<Solution> Solutions { get; set; } = [];

    public List<SolutionVersion> SolutionVersions { get; set; } = [];

    public List<Recipe> Recipes { get; set; } = [];

    public void ApplyTo(Services.ControlPlaneModel model) => model.Update(m =>
    {
        m.DatasetGroups.Clear();
        m.DatasetGroups.AddRange(DatasetGroups);
        m.Campaigns.Clear();
        m.Campaigns.AddRange(Campaigns);
        m.Recommenders.Clear();
        m.Recommenders.AddRange(Recommenders);
        m.EventTrackers.Clear();
        m.EventTrackers.AddRange(EventTrackers.Select(t => (t.DatasetGroupArn, new EventTrackerSummary { Name = t.Name, EventTrackerArn = t.EventTrackerArn, Status = t.Status ?? "ACTIVE" })));
        m.TrackingIds.Clear();
        foreach (var tracker in EventTrackers.Where(t => t.EventTrackerArn is not null && t.TrackingId is not null))
        {
            m.TrackingIds[tracker.EventTrackerArn!] = tracker.TrackingId!;
        }

        m.Filters.Clear();
        m.Filters.AddRange(Filters);
        m.Solutions.Clear();
        m.Solutions.AddRange(Solutions);
        m.SolutionVersions.Clear();
        m.SolutionVersions.AddRange(SolutionVersions);
        m.Recipes.Clear();
        m.Recipes.AddRange(Recipes);
    });
}
