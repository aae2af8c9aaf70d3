using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;

namespace Personalization.Orleans.Clustering.DynamoDB;

/// <summary>
/// Calls on one cluster item, with the error handling the membership table and the gateway list share: contention
/// (<see cref="ConditionalCheckFailedException"/>) passes through for the caller to turn into false, cancellation
/// passes through, and everything else is logged and thrown as <see cref="DynamoDBMembershipException"/>.
/// </summary>
internal sealed partial class ClusterItemCalls(IAmazonDynamoDB client, string table, string itemKey, ILogger logger)
{
    private readonly IAmazonDynamoDB _client = client;
    private readonly string _table = table;
    private readonly string _itemKey = itemKey;
    private readonly ILogger _logger = logger;

    public async Task<Dictionary<string, AttributeValue>?> GetItemAsync(string? projection, Dictionary<string, string>? names, CancellationToken cancellationToken)
    {
        var request = new GetItemRequest
        {
            TableName = _table,
            Key = ClusterItem.Key(_itemKey),
            ConsistentRead = true,
            ProjectionExpression = projection,
            ExpressionAttributeNames = names,
        };
        var response = await CallAsync("GetItem", ct => _client.GetItemAsync(request, ct), cancellationToken).ConfigureAwait(false);

        // SDK v4 leaves Item null (not empty) when there is no item.
        return response.Item is { Count: > 0 } item ? item : null;
    }

    // A missing item is not an empty cluster: the table was never initialized, or was deleted. Reporting it as empty
    // would let a silo believe it is alone.
    public DynamoDBMembershipException Missing() =>
        new($"DynamoDB clustering: table {_table} has no item {_itemKey}; the membership table was not initialized (or was deleted).");

    /// <summary>
    /// Runs one DynamoDB call. AWS and network errors are logged and thrown as <see cref="DynamoDBMembershipException"/>;
    /// cancellation passes through as is.
    /// </summary>
    public async Task<TResponse> CallAsync<TResponse>(string call, Func<CancellationToken, Task<TResponse>> send, CancellationToken cancellationToken)
    {
        try
        {
            return await send(cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            // Contention, not failure: ConditionalAsync turns it into false.
            throw;
        }
        catch (AmazonDynamoDBException exception) when (exception.ErrorCode == "ValidationException"
            && exception.Message.Contains("size", StringComparison.OrdinalIgnoreCase))
        {
            LogCallFailed(_logger, exception, call, _table, _itemKey);
            throw TooLarge("the write would make it larger than that", exception);
        }
        catch (AmazonServiceException exception)
        {
            LogCallFailed(_logger, exception, call, _table, _itemKey);
            throw new DynamoDBMembershipException(
                $"DynamoDB clustering: {call} of item {_itemKey} in table {_table} failed: {exception.ErrorCode} " +
                $"(HTTP {(int)exception.StatusCode}, request {exception.RequestId}): {exception.Message}",
                exception);
        }
        catch (Exception exception) when (exception is AmazonClientException or HttpRequestException or IOException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Network failures, and the SDK's own timeouts (a cancellation nobody asked for).
            LogCallFailed(_logger, exception, call, _table, _itemKey);
            throw new DynamoDBMembershipException(
                $"DynamoDB clustering: {call} of item {_itemKey} in table {_table} failed to reach DynamoDB: {exception.Message}",
                exception);
        }
    }

    public DynamoDBMembershipException TooLarge(string detail, Exception? inner = null)
    {
        var message = $"DynamoDB clustering: item {_itemKey} in table {_table} cannot exceed DynamoDB's 400 KB item limit, " +
            $"and {detail}. Nothing was written. Each silo start adds a row until cleanup removes Dead ones " +
            "(ClusterMembershipOptions.DefunctSiloExpiration, MaxDefunctSiloEntries).";
        return inner is null ? new DynamoDBMembershipException(message) : new DynamoDBMembershipException(message, inner);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "DynamoDB clustering: {Call} of item {Item} in table {Table} failed")]
    private static partial void LogCallFailed(ILogger logger, Exception exception, string call, string table, string item);
}
