using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Personalization.Grains.Events;

namespace Personalization.Grains.Hosting;

/// <summary>On shutdown, drains the event queues before the process exits; whatever cannot be delivered in time is logged by target.</summary>
public sealed partial class EventDeliveryService(EventDispatcher dispatcher, ILogger<EventDeliveryService> logger) : IHostedService
{
    /// <summary>Inside the pod's termination grace period (deploy/k8s allows 25 s for the host to stop).</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(20);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var report in await dispatcher.StopAsync(DrainTimeout).ConfigureAwait(false))
        {
            LogDrained(logger, report.ToString());
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Event queue drained: {Report}")]
    private static partial void LogDrained(ILogger logger, string report);
}
