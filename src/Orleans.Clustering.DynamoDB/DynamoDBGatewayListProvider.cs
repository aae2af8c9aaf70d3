using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Messaging;
using Orleans.Runtime;

namespace Personalization.Orleans.Clustering.DynamoDB;

/// <summary>
/// Gateways for clients outside the silos (a separate dashboard or load tool): the Active silos with a gateway port,
/// read from the cluster item the membership table writes. Silos never use this.
/// </summary>
public sealed class DynamoDBGatewayListProvider : IGatewayListProvider, IDisposable
{
    private readonly ClusterItemCalls _calls;
    private readonly string _itemKey;
    private readonly IDisposable? _ownedClient;

    public DynamoDBGatewayListProvider(
        IOptions<DynamoDBClusteringOptions> options,
        IOptions<ClusterOptions> clusterOptions,
        IOptions<GatewayOptions> gatewayOptions,
        IServiceProvider services,
        ILogger<DynamoDBGatewayListProvider> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clusterOptions);
        ArgumentNullException.ThrowIfNull(gatewayOptions);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(logger);
        new DynamoDBClusteringOptionsValidator(options.Value).ValidateConfiguration();
        _itemKey = $"{clusterOptions.Value.ServiceId}/{clusterOptions.Value.ClusterId}";
        var (client, owned) = DynamoDBClientSource.Resolve(options.Value, services);
        _ownedClient = owned ? client : null;
        _calls = new ClusterItemCalls(client, options.Value.TableName, _itemKey, logger);
        MaxStaleness = gatewayOptions.Value.GatewayListRefreshPeriod;
    }

    public TimeSpan MaxStaleness { get; }

    [Obsolete("Kept for the interface; the runtime no longer reads it.")]
    public bool IsUpdatable => true;

    public Task InitializeGatewayListProvider() => InitializeGatewayListProviderAsync(CancellationToken.None);

    public Task<IList<Uri>> GetGateways() => GetGatewaysAsync(CancellationToken.None);

    public Task InitializeGatewayListProviderAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<IList<Uri>> GetGatewaysAsync(CancellationToken cancellationToken)
    {
        // A missing item throws rather than answering "no gateways": the client then reports the cluster as
        // unreachable for the right reason (the cluster id or table is wrong, or no silo ever started).
        var item = await _calls.GetItemAsync(projection: null, names: null, cancellationToken).ConfigureAwait(false) ?? throw _calls.Missing();
        var etag = ClusterItem.Version(item, _itemKey).VersionEtag;
        return ClusterItem.Rows(item, etag)
            .Select(row => row.Item1)
            .Where(entry => entry.Status == SiloStatus.Active && entry.ProxyPort != 0)
            .Select(entry => SiloAddress.New(entry.SiloAddress.Endpoint.Address, entry.ProxyPort, entry.SiloAddress.Generation).ToGatewayUri())
            .ToList();
    }

    public void Dispose() => _ownedClient?.Dispose();
}
