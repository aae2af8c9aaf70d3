using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Personalization.Orleans.Persistence.DynamoDB;

/// <summary>
/// Orleans grain storage in one DynamoDB table. Item: <c>GrainReference</c> (hash, S, "{ServiceId}_{grain id}"),
/// <c>GrainType</c> (range, S, state name), <c>ETag</c> (S, a random GUID), <c>BinaryState</c> (B, the storage
/// serializer's bytes; absent on a tombstone) and optionally the TTL attribute (N, epoch seconds).
/// Every write and clear is conditional on the ETag the caller holds, so two activations of one grain cannot
/// silently overwrite each other.
/// </summary>
/// <remarks>
/// A write whose response was lost (a timeout while DynamoDB, or a frozen endpoint, still applied it) leaves the grain
/// holding the ETag it replaced, and every later write would be refused for good. So each item also records
/// <c>Writer</c> (the writing activation) and <c>PriorETag</c> (the ETag that write replaced): a write is accepted when
/// the stored ETag is the caller's, or when the only change since the caller's ETag was made by this same activation.
/// Another activation's write is still refused.
/// </remarks>
public sealed partial class DynamoDBGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    /// <summary>DynamoDB's item limit (400 KB, counted by DynamoDB as 400 * 1024 bytes of names and values).</summary>
    public const int MaxItemBytes = 400 * 1024;

    /// <summary>Name of the meter of this provider; the counter is <see cref="TooLargeCounterName"/>.</summary>
    public const string MeterName = "Personalization.Orleans.Persistence.DynamoDB";

    public const string TooLargeCounterName = "dynamodb-grain-storage-state-too-large";

    internal const string HashKey = "GrainReference";
    internal const string RangeKey = "GrainType";
    internal const string EtagAttribute = "ETag";
    internal const string StateAttribute = "BinaryState";
    internal const string WriterAttribute = "Writer";
    internal const string PriorEtagAttribute = "PriorETag";

    /// <summary>The <see cref="PriorEtagAttribute"/> of an item written where none existed.</summary>
    private const string NoPriorEtag = "none";

    // DynamoDB limits key attributes in UTF-8 bytes (not characters, which upstream checks).
    private const int MaxHashKeyBytes = 2048;
    private const int MaxRangeKeyBytes = 1024;

    private readonly string _name;
    private readonly DynamoDBGrainStorageOptions _options;
    private readonly string _serviceId;
    private readonly IActivatorProvider _activators;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IAmazonDynamoDB _client;
    private readonly bool _ownsClient;
    private readonly Meter? _ownedMeter;
    private readonly Counter<long> _tooLarge;

    public DynamoDBGrainStorage(
        string name,
        DynamoDBGrainStorageOptions options,
        IOptions<ClusterOptions> clusterOptions,
        IServiceProvider services,
        IActivatorProvider activators,
        TimeProvider? timeProvider = null,
        ILogger<DynamoDBGrainStorage>? logger = null,
        IMeterFactory? meterFactory = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clusterOptions);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(activators);
        new DynamoDBGrainStorageOptionsValidator(options, name).ValidateConfiguration();
        _name = name;
        _options = options;
        _serviceId = clusterOptions.Value.ServiceId ?? "";
        _activators = activators;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        var grainContext = services.GetService(typeof(IGrainContextAccessor)) as IGrainContextAccessor;
        CurrentWriter = () => grainContext?.GrainContext?.ActivationId.ToString();

        if (options.CreateClient is { } create)
        {
            _client = create(services) ?? throw new OrleansConfigurationException($"DynamoDB grain storage '{name}': CreateClient returned null.");
            _ownsClient = true;
        }
        else if (services.GetService(typeof(IAmazonDynamoDB)) is IAmazonDynamoDB shared)
        {
            _client = shared;
        }
        else
        {
            // As the old runtime did: region and credentials from the SDK's default chain.
            _client = new AmazonDynamoDBClient();
            _ownsClient = true;
        }

        // IMeterFactory ties the meter to the host's container (tests and several silos per process stay apart).
        var meter = meterFactory?.Create(MeterName) ?? (_ownedMeter = new Meter(MeterName));
        _tooLarge = meter.CreateCounter<long>(TooLargeCounterName, unit: "{write}",
            description: "Grain state writes refused before calling DynamoDB because the item would exceed 400 KB.");
    }

    public string Name => _name;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var key = Key(grainId, stateName);
        var response = await CallAsync(
            "GetItem",
            ct => _client.GetItemAsync(new GetItemRequest { TableName = _options.TableName, Key = key, ConsistentRead = true }, ct),
            cancellationToken).ConfigureAwait(false);

        // SDK v4 leaves Item null (not empty) when there is no item.
        if (response.Item is not { Count: > 0 } item)
        {
            SetMissing(grainState, etag: null);
            return;
        }

        var etag = item.TryGetValue(EtagAttribute, out var etagValue) ? etagValue.S ?? etagValue.N : null;
        if (etag is null)
        {
            throw new DynamoDBGrainStorageException(
                $"DynamoDB grain storage '{_name}': item of state '{stateName}' of a {grainId.Type} grain in table {_options.TableName} has no {EtagAttribute}; it was not written by this provider.");
        }

        // A tombstone (retained clear) or an item past its TTL that DynamoDB has not yet deleted (that can take days)
        // reads as no state, but keeps its ETag: the next write must name it, since the item is still there.
        if (!item.TryGetValue(StateAttribute, out var stateValue) || stateValue.B is null || IsExpired(item))
        {
            SetMissing(grainState, etag);
            return;
        }

        var bytes = stateValue.B.ToArray();
        grainState.State = _options.GrainStorageSerializer.Deserialize<T>(new BinaryData(bytes)) ?? NewState<T>();
        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    /// <summary>The calling activation (null outside a grain): whose own earlier write a write may replace.</summary>
    internal Func<string?> CurrentWriter { get; set; }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var data = _options.GrainStorageSerializer.Serialize(grainState.State);
        var item = Key(grainId, stateName);
        var etag = NewEtag();
        item[EtagAttribute] = new AttributeValue { S = etag };
        item[StateAttribute] = new AttributeValue { B = ReadOnlyStream(data) };
        var writer = CurrentWriter();
        AddWriter(item, writer, grainState.ETag);
        AddTimeToLive(item);
        var size = ItemSize(item);
        if (size > MaxItemBytes)
        {
            _tooLarge.Add(1, new KeyValuePair<string, object?>("storage", _name), new KeyValuePair<string, object?>("state", stateName));
            throw new GrainStateTooLargeException(
                $"DynamoDB grain storage '{_name}': state '{stateName}' of a {grainId.Type} grain is {size} bytes as a DynamoDB item; " +
                $"the limit is {MaxItemBytes} bytes (400 KB). Nothing was written: keep less state in the grain.");
        }

        await ConditionalPutAsync(item, grainId, stateName, grainState.ETag, writer, "write", cancellationToken).ConfigureAwait(false);
        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var key = Key(grainId, stateName);
        string? etag;
        if (_options.DeleteStateOnClear)
        {
            // Conditional like a write, so a stale activation cannot delete state another one wrote. A null ETag
            // expects no item; deleting an absent item then succeeds, so clearing before any write is fine.
            var request = new DeleteItemRequest { TableName = _options.TableName, Key = key };
            (request.ConditionExpression, request.ExpressionAttributeValues) = Condition(grainState.ETag, writer: null);
            await CallAsync(
                "DeleteItem",
                ct => _client.DeleteItemAsync(request, ct),
                cancellationToken,
                grainId, stateName, grainState.ETag, "clear").ConfigureAwait(false);
            etag = null;
        }
        else
        {
            // Retained mode: a tombstone without state but with a fresh ETag, so even a writer that held the ETag
            // from before the clear is refused (no ABA).
            etag = NewEtag();
            key[EtagAttribute] = new AttributeValue { S = etag };
            var writer = CurrentWriter();
            AddWriter(key, writer, grainState.ETag);
            AddTimeToLive(key);
            await ConditionalPutAsync(key, grainId, stateName, grainState.ETag, writer, "clear", cancellationToken).ConfigureAwait(false);
        }

        grainState.State = NewState<T>();
        grainState.ETag = etag;
        grainState.RecordExists = false;
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(OptionFormattingUtilities.Name<DynamoDBGrainStorage>(_name), ServiceLifecycleStage.ApplicationServices, InitAsync, CloseAsync);

    /// <summary>Creates the table when <see cref="DynamoDBGrainStorageOptions.CreateIfNotExists"/> asks for it.</summary>
    internal async Task InitAsync(CancellationToken cancellationToken)
    {
        if (!_options.CreateIfNotExists)
        {
            // The table belongs to infrastructure code; not even DescribeTable rights are assumed.
            return;
        }

        var status = await DescribeStatusAsync(cancellationToken).ConfigureAwait(false);
        if (status is null)
        {
            await CreateTableAsync(cancellationToken).ConfigureAwait(false);
        }

        // A new table (ours or another silo's) takes a while to become ACTIVE; writes before that fail. The wait is
        // real time (AWS does not follow an injected clock), so it does not use _time.
        while (status != TableStatus.ACTIVE)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
            status = await DescribeStatusAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private Task CloseAsync(CancellationToken cancellationToken)
    {
        // Runs after grains have been deactivated (and written their state), so the client is no longer needed.
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }

        _ownedMeter?.Dispose();
    }

    private async Task ConditionalPutAsync(Dictionary<string, AttributeValue> item, GrainId grainId, string stateName, string? expectedEtag, string? writer, string operation, CancellationToken cancellationToken)
    {
        var request = new PutItemRequest { TableName = _options.TableName, Item = item };
        (request.ConditionExpression, request.ExpressionAttributeValues) = Condition(expectedEtag, writer);
        await CallAsync("PutItem", ct => _client.PutItemAsync(request, ct), cancellationToken, grainId, stateName, expectedEtag, operation).ConfigureAwait(false);
    }

    private static void AddWriter(Dictionary<string, AttributeValue> item, string? writer, string? expectedEtag)
    {
        if (writer is not null)
        {
            item[WriterAttribute] = new AttributeValue { S = writer };
            item[PriorEtagAttribute] = new AttributeValue { S = expectedEtag ?? NoPriorEtag };
        }
    }

    /// <summary>
    /// A null ETag means "no item yet" (a tombstone counts as an item); otherwise the stored ETag must match. Either
    /// way, with a <paramref name="writer"/>, an item this writer wrote from the expected ETag is accepted too (its
    /// own write whose response was lost).
    /// </summary>
    private static (string Expression, Dictionary<string, AttributeValue>? Values) Condition(string? expectedEtag, string? writer)
    {
        var (expression, values) = expectedEtag is null
            ? ($"attribute_not_exists({HashKey})", new Dictionary<string, AttributeValue>())
            : ($"{EtagAttribute} = :etag", new Dictionary<string, AttributeValue> { [":etag"] = new() { S = expectedEtag } });
        if (writer is not null)
        {
            expression += $" OR ({PriorEtagAttribute} = :prior AND {WriterAttribute} = :writer)";
            values[":prior"] = new AttributeValue { S = expectedEtag ?? NoPriorEtag };
            values[":writer"] = new AttributeValue { S = writer };
        }

        return (expression, values.Count == 0 ? null : values);
    }

    /// <summary>
    /// Runs one DynamoDB call. A failed condition becomes <see cref="InconsistentStateException"/>; other AWS errors
    /// become <see cref="DynamoDBGrainStorageException"/> after being logged; neither keeps the AWS exception as
    /// InnerException (#7721). Cancellation passes through as is.
    /// </summary>
    private async Task<TResponse> CallAsync<TResponse>(
        string call,
        Func<CancellationToken, Task<TResponse>> send,
        CancellationToken cancellationToken,
        GrainId? grainId = null,
        string? stateName = null,
        string? expectedEtag = null,
        string? operation = null)
    {
        try
        {
            return await send(cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException) when (grainId is { } id)
        {
            // The stored ETag is not known without another read; "unknown" says so rather than inventing one.
            throw new InconsistentStateException(
                $"DynamoDB grain storage '{_name}': {operation} of state '{stateName}' of a {id.Type} grain was refused: the stored item " +
                (expectedEtag is null ? "already exists (expected none)" : $"no longer has ETag {expectedEtag}") +
                "; another activation or writer changed it.",
                "unknown",
                expectedEtag);
        }
        catch (AmazonServiceException exception)
        {
            LogCallFailed(_logger, exception, _name, call, _options.TableName);
            throw new DynamoDBGrainStorageException(
                $"DynamoDB grain storage '{_name}': {call} on table {_options.TableName} failed: {exception.ErrorCode} " +
                $"(HTTP {(int)exception.StatusCode}, request {exception.RequestId}): {exception.Message}");
        }
        catch (AmazonClientException exception)
        {
            LogCallFailed(_logger, exception, _name, call, _options.TableName);
            throw new DynamoDBGrainStorageException(
                $"DynamoDB grain storage '{_name}': {call} on table {_options.TableName} failed in the client: {exception.Message}");
        }
    }

    private async Task<TableStatus?> DescribeStatusAsync(CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client.DescribeTableAsync(new DescribeTableRequest { TableName = _options.TableName }, cancellationToken).ConfigureAwait(false);
            return response.Table?.TableStatus;
        }
        catch (ResourceNotFoundException)
        {
            return null;
        }
    }

    private async Task CreateTableAsync(CancellationToken cancellationToken)
    {
        var request = new CreateTableRequest
        {
            TableName = _options.TableName,
            KeySchema = [new KeySchemaElement(HashKey, KeyType.HASH), new KeySchemaElement(RangeKey, KeyType.RANGE)],
            AttributeDefinitions = [new AttributeDefinition(HashKey, ScalarAttributeType.S), new AttributeDefinition(RangeKey, ScalarAttributeType.S)],
        };
        if (_options.UseProvisionedThroughput)
        {
            request.ProvisionedThroughput = new ProvisionedThroughput(_options.ReadCapacityUnits, _options.WriteCapacityUnits);
        }
        else
        {
            request.BillingMode = BillingMode.PAY_PER_REQUEST;
        }

        try
        {
            await _client.CreateTableAsync(request, cancellationToken).ConfigureAwait(false);
            LogTableCreated(_logger, _name, _options.TableName);
        }
        catch (ResourceInUseException)
        {
            // Another silo created it between our DescribeTable and CreateTable; theirs is the same table.
            return;
        }

        if (_options.TimeToLive is not null)
        {
            await EnableTimeToLiveAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task EnableTimeToLiveAsync(CancellationToken cancellationToken)
    {
        // Best effort: without it items are still written with the attribute, DynamoDB just does not delete them.
        // Emulators such as dynalite do not implement UpdateTimeToLive.
        var table = await DescribeStatusAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; table != TableStatus.ACTIVE && attempt < 50; attempt++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
            table = await DescribeStatusAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await _client.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
            {
                TableName = _options.TableName,
                TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = _options.TimeToLiveAttributeName, Enabled = true },
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonServiceException exception)
        {
            LogTimeToLiveNotEnabled(_logger, exception, _name, _options.TableName, _options.TimeToLiveAttributeName);
        }
    }

    private Dictionary<string, AttributeValue> Key(GrainId grainId, string stateName)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateName);
        var hash = $"{_serviceId}_{grainId}";
        if (Encoding.UTF8.GetByteCount(hash) > MaxHashKeyBytes || Encoding.UTF8.GetByteCount(stateName) > MaxRangeKeyBytes)
        {
            throw new ArgumentOutOfRangeException(
                nameof(grainId),
                $"DynamoDB grain storage '{_name}': the key of state '{stateName}' of a {grainId.Type} grain exceeds DynamoDB's key limits " +
                $"({MaxHashKeyBytes} UTF-8 bytes for service id + grain id, {MaxRangeKeyBytes} for the state name).");
        }

        return new Dictionary<string, AttributeValue>
        {
            [HashKey] = new() { S = hash },
            [RangeKey] = new() { S = stateName },
        };
    }

    private void AddTimeToLive(Dictionary<string, AttributeValue> item)
    {
        if (_options.TimeToLive is { } ttl)
        {
            var expires = _time.GetUtcNow().Add(ttl).ToUnixTimeSeconds();
            item[_options.TimeToLiveAttributeName] = new AttributeValue { N = expires.ToString(CultureInfo.InvariantCulture) };
        }
    }

    private bool IsExpired(Dictionary<string, AttributeValue> item) =>
        _options.TimeToLive is not null
        && item.TryGetValue(_options.TimeToLiveAttributeName, out var value)
        && long.TryParse(value.N, NumberStyles.Integer, CultureInfo.InvariantCulture, out var expires)
        && expires <= _time.GetUtcNow().ToUnixTimeSeconds();

    private void SetMissing<T>(IGrainState<T> grainState, string? etag)
    {
        // Overwrite whatever the caller held: a read reflects the store, not the previous in-memory state.
        grainState.State = NewState<T>();
        grainState.ETag = etag;
        grainState.RecordExists = false;
    }

    private T NewState<T>() => _activators.GetActivator<T>().Create();

    // Random ETags: a counter restarts after a delete, so a stale "1" could overwrite a newer record (ABA).
    private static string NewEtag() => Guid.NewGuid().ToString("N");

    private static MemoryStream ReadOnlyStream(BinaryData data) =>
        MemoryMarshal.TryGetArray(data.ToMemory(), out var segment) && segment.Array is not null
            ? new MemoryStream(segment.Array, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(data.ToArray(), writable: false);

    /// <summary>DynamoDB's item size: UTF-8 attribute names plus values; numbers are counted generously by their digits.</summary>
    internal static long ItemSize(Dictionary<string, AttributeValue> item)
    {
        long size = 0;
        foreach (var (name, value) in item)
        {
            size += Encoding.UTF8.GetByteCount(name);
            size += value.S is { } s ? Encoding.UTF8.GetByteCount(s)
                : value.N is { } n ? n.Length + 1
                : value.B is { } b ? b.Length
                : 1;
        }

        return size;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "DynamoDB grain storage '{Storage}': {Call} on table {Table} failed")]
    private static partial void LogCallFailed(ILogger logger, Exception exception, string storage, string call, string table);

    [LoggerMessage(Level = LogLevel.Information, Message = "DynamoDB grain storage '{Storage}': created table {Table}")]
    private static partial void LogTableCreated(ILogger logger, string storage, string table);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DynamoDB grain storage '{Storage}': could not enable TTL on {Table}.{Attribute}; expired state will not be deleted by DynamoDB")]
    private static partial void LogTimeToLiveNotEnabled(ILogger logger, Exception exception, string storage, string table, string attribute);
}
