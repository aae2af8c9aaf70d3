using Personalization.Aws.Personalize.Control;

namespace Personalization.LocalAws.Services;

/// <summary>
/// The Personalize resources the control-plane calls list and describe; tests seed it directly. Campaigns,
/// recommenders and solutions are stored in their Describe shape and summarised for the List calls.
/// </summary>
public sealed class ControlPlaneModel
{
    private readonly Lock _lock = new();

    public List<DatasetGroupSummary> DatasetGroups { get; } = [];

    public List<Campaign> Campaigns { get; } = [];

    public List<Recommender> Recommenders { get; } = [];

    /// <summary>Event trackers; DatasetGroupArn is kept beside the summary (the summary shape lacks it).</summary>
    public List<(string DatasetGroupArn, EventTrackerSummary Tracker)> EventTrackers { get; } = [];

    public List<FilterSummary> Filters { get; } = [];

    public List<Solution> Solutions { get; } = [];

    public List<SolutionVersion> SolutionVersions { get; } = [];

    public List<Recipe> Recipes { get; } = [];

    /// <summary>Runs <paramref name="change"/> under the model lock (seed from tests while the server runs).</summary>
    public void Update(Action<ControlPlaneModel> change)
    {
        lock (_lock)
        {
            change(this);
        }
    }

    internal T Read<T>(Func<ControlPlaneModel, T> read)
    {
        lock (_lock)
        {
            return read(this);
        }
    }
}
