using System.Diagnostics.Metrics;
using Personalization.Grains.Recommenders.Resilience;

namespace Personalization.Api.Observability;

/// <summary>
/// Meter <c>Personalization.Cluster</c>: the silo count as this silo's membership view has it (Orleans has no
/// membership instrument), read at scrape time.
/// </summary>
internal sealed class ClusterMetrics
{
    public const string MeterName = "Personalization.Cluster";

    /// <summary>Membership is looked up at the first scrape, not here: this runs while the app is built, before the silo exists.</summary>
    public ClusterMetrics(IMeterFactory meters, IServiceProvider services)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("cluster.silos.active", () => services.GetRequiredService<ILiveSilos>().Count, "{silo}", "Silos Active in this silo's view of cluster membership");
    }
}
