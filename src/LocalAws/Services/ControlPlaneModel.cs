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

    /// <summary>Tracking ids by event tracker ARN; trackers without one get <see cref="DerivedTrackingId"/>.</summary>
    public Dictionary<string, string> TrackingIds { get; } = new(StringComparer.Ordinal);

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

    /// <summary>A stable GUID-shaped tracking id for a tracker seeded without one.</summary>
    public static string DerivedTrackingId(string eventTrackerArn) =>
        new Guid(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(eventTrackerArn)).AsSpan(0, 16)).ToString("D");
}
