using System.Globalization;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Personalization.Runtime.Storage.DynamoDB;

/// <summary>
/// Grain storage in a DynamoDB table shaped like Orleans': hash key GrainReference (S, "{ServiceId}_{grain id}"),
/// range key GrainType (S, the state name), ETag (N), BinaryState (B), and optionally a TTL attribute (N).
/// Writes are conditional on the ETag.
/// </summary>
public sealed class DynamoDBGrainStorage : IGrainStorage
{
    public const int MaxItemBytes = 400 * 1024;
    private const string HashKey = "GrainReference";
    private const string RangeKey = "GrainType";
    private const string EtagAttribute = "ETag";
    private const string StateAttribute = "BinaryState";

    private readonly string _name;
    private readonly IAmazonDynamoDB _client;
    private readonly DynamoDBGrainStorageOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _tableGate = new(1, 1);
    private volatile bool _tableReady;

    public DynamoDBGrainStorage(string name, IAmazonDynamoDB client, DynamoDBGrainStorageOptions options, TimeProvider timeProvider)
    {
        options.Validate(name);
        _name = name;
        _client = client;
        _options = options;
        _timeProvider = timeProvider;
        _tableReady = !options.CreateIfNotExists;
    }

    public async Task<GrainStateRecord?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var response = await _client.GetItemAsync(
            new GetItemRequest { TableName = _options.TableName, Key = Key(grainId, stateName), ConsistentRead = true },
            cancellationToken).ConfigureAwait(false);
        if (response.Item is not { Count: > 0 } item)
        {
            return null;
        }

        var state = item.TryGetValue(StateAttribute, out var binary) && binary.B is { } stream ? stream.ToArray() : [];
        var etag = item.TryGetValue(EtagAttribute, out var number) && number.N is { } n
            ? n
            : throw new InvalidOperationException($"Item {Describe(grainId, stateName)} in {_options.TableName} has no numeric {EtagAttribute}.");
        return new GrainStateRecord(state, etag);
    }

    public async Task<string> WriteAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> state, string? expectedEtag, CancellationToken cancellationToken)
    {
        var expected = ParseEtag(expectedEtag, grainId, stateName);
        var next = (expected ?? 0) + 1;
        var item = Key(grainId, stateName);
        item[EtagAttribute] = new AttributeValue { N = next.ToString(CultureInfo.InvariantCulture) };
        item[StateAttribute] = new AttributeValue { B = new MemoryStream(state.ToArray(), writable: false) };
        if (_options.TimeToLive is { } ttl)
        {
            var expires = _timeProvider.GetUtcNow().Add(ttl).ToUnixTimeSeconds();
            item[_options.TimeToLiveAttributeName] = new AttributeValue { N = expires.ToString(CultureInfo.InvariantCulture) };
        }

        var size = ItemSize(item);
        if (size > MaxItemBytes)
        {
            throw new GrainStateTooLargeException(
                $"State '{stateName}' of {grainId} is {size} bytes as a DynamoDB item; the limit is {MaxItemBytes} bytes (400 KiB). Keep less state in the grain.");
        }

        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var request = new PutItemRequest { TableName = _options.TableName, Item = item };
        Condition(request, expected);
        try
        {
            await _client.PutItemAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException exception)
        {
            throw Conflict(grainId, stateName, expectedEtag, exception);
        }

        return next.ToString(CultureInfo.InvariantCulture);
    }

    public async Task ClearAsync(GrainId grainId, string stateName, string? expectedEtag, CancellationToken cancellationToken)
    {
        var expected = ParseEtag(expectedEtag, grainId, stateName);
        if (expected is null)
        {
            // Nothing was read or written: clearing must still fail if someone else wrote meanwhile.
            var current = await ReadAsync(grainId, stateName, cancellationToken).ConfigureAwait(false);
            if (current is not null)
            {
                throw new InconsistentStateException(
                    $"State '{stateName}' of {grainId} was written by another activation (stored ETag {current.Etag}, expected none).", current.Etag, null);
            }

            return;
        }

        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var request = new DeleteItemRequest
        {
            TableName = _options.TableName,
            Key = Key(grainId, stateName),
            ConditionExpression = "ETag = :expected",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue>
            {
                [":expected"] = new() { N = expected.Value.ToString(CultureInfo.InvariantCulture) },
            },
        };
        try
        {
            await _client.DeleteItemAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException exception)
        {
            throw Conflict(grainId, stateName, expectedEtag, exception);
        }
    }

    private static void Condition(PutItemRequest request, long? expected)
    {
        if (expected is null)
        {
            request.ConditionExpression = "attribute_not_exists(GrainReference)";
            return;
        }

        request.ConditionExpression = "ETag = :expected";
        request.ExpressionAttributeValues = new Dictionary<string, AttributeValue>
        {
            [":expected"] = new() { N = expected.Value.ToString(CultureInfo.InvariantCulture) },
        };
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (_tableReady)
        {
            return;
        }

        await _tableGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_tableReady)
            {
                return;
            }

            if (await DescribeStatusAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                await CreateTableAsync(cancellationToken).ConfigureAwait(false);
            }

            while (await DescribeStatusAsync(cancellationToken).ConfigureAwait(false) != TableStatus.ACTIVE)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), _timeProvider, cancellationToken).ConfigureAwait(false);
            }

            _tableReady = true;
        }
        finally
        {
            _tableGate.Release();
        }
    }

    private async Task<TableStatus?> DescribeStatusAsync(CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client.DescribeTableAsync(new DescribeTableRequest { TableName = _options.TableName }, cancellationToken).ConfigureAwait(false);
            return response.Table.TableStatus;
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
        }
        catch (ResourceInUseException)
        {
            // Another silo created it first.
        }
    }

    private Dictionary<string, AttributeValue> Key(GrainId grainId, string stateName) => new()
    {
        [HashKey] = new AttributeValue { S = $"{_options.ServiceId}_{grainId}" },
        [RangeKey] = new AttributeValue { S = stateName },
    };

    private static long? ParseEtag(string? etag, GrainId grainId, string stateName) =>
        etag is null ? null
        : long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
        : throw new InconsistentStateException($"ETag '{etag}' of state '{stateName}' of {grainId} did not come from DynamoDB storage.", null, etag);

    private InconsistentStateException Conflict(GrainId grainId, string stateName, string? expectedEtag, Exception inner) =>
        new($"State '{stateName}' of {grainId} in {_options.TableName} (storage '{_name}') was changed by another writer (expected ETag {expectedEtag ?? "none"}): {inner.Message}", null, expectedEtag);

    private static string Describe(GrainId grainId, string stateName) => $"{grainId}/{stateName}";

    /// <summary>DynamoDB's item size: UTF-8 attribute names plus values (numbers counted by their digits, generously).</summary>
    private static int ItemSize(Dictionary<string, AttributeValue> item)
    {
        var size = 0;
        foreach (var (name, value) in item)
        {
            size += Encoding.UTF8.GetByteCount(name);
            size += value.S is { } s ? Encoding.UTF8.GetByteCount(s)
                : value.N is { } n ? n.Length + 1
                : value.B is { } b ? (int)b.Length
                : 0;
        }

        return size;
    }
}
