using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Personalization.Runtime.Cluster;

/// <summary>
/// Membership from a Kubernetes headless Service: its A records are the ready pods. Resolved at start and every
/// RefreshInterval; a failed lookup keeps the last known members.
/// </summary>
public sealed class DnsClusterMembership : IClusterMembership, IHostedService, IDisposable
{
    private readonly DnsClusterMembershipOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private ITimer? _timer;
    private IReadOnlyList<string> _members = [];

    public DnsClusterMembership(
        DnsClusterMembershipOptions options,
        TimeProvider timeProvider,
        ILogger<DnsClusterMembership>? logger = null,
        Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        options.Validate();
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger ?? NullLogger<DnsClusterMembership>.Instance;
        _resolve = resolve ?? Dns.GetHostAddressesAsync;
    }

    public IReadOnlyList<string> Members => Volatile.Read(ref _members);

    public event Action<IReadOnlyList<string>>? Changed;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        using (ExecutionContext.SuppressFlow())
        {
            _timer = _timeProvider.CreateTimer(static state => _ = ((DnsClusterMembership)state!).RefreshAsync(CancellationToken.None), this, _options.RefreshInterval, _options.RefreshInterval);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Resolves the Service now; the periodic timer calls this too.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _refreshing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            IPAddress[] addresses;
            try
            {
                addresses = await _resolve(_options.ServiceName, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is SocketException or OperationCanceledException or ArgumentException)
            {
                _logger.LogWarning(exception, "Resolving cluster members from {ServiceName} failed; keeping {Count} known members", _options.ServiceName, Members.Count);
                return;
            }

            var members = ClusterMembers.Normalize(addresses
                .Where(a => a.AddressFamily == AddressFamily.InterNetwork)
                .Select(a => a.ToString() + ":" + _options.Port.ToString(CultureInfo.InvariantCulture)));
            if (members.Count == 0)
            {
                _logger.LogWarning("{ServiceName} has no A records; keeping {Count} known members", _options.ServiceName, Members.Count);
                return;
            }

            if (ClusterMembers.SameAs(members, Members))
            {
                return;
            }

            Volatile.Write(ref _members, members);
            Changed?.Invoke(members);
        }
        finally
        {
            _refreshing.Release();
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _refreshing.Dispose();
    }
}
