using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Personalization.Grains.Catalog;

namespace Personalization.Catalog.Aws;

/// <summary>
/// Loads a JSON Lines catalog (optionally gzip) into a DynamoDB item-metadata table in the original loader's item shape.
/// Items are written with BatchWriteItem (25 a call, several calls in flight); throttling, transient errors and
/// unprocessed items are retried with exponential backoff and jitter. The load is a full replacement, as the original
/// intends: once every line was read and every item written, the table's items that are not in the file are deleted —
/// and only then (the original purged even after a partial load). Bad lines are reported with their numbers and do
/// not stop the load, but they keep the purge from running, since the rows of the items on them would be lost.
/// </summary>
public sealed partial class DynamoDBCatalogLoader(IAmazonDynamoDB client, TimeProvider time, ILogger<DynamoDBCatalogLoader> logger)
{
    public const int MaxItemsPerBatch = 25;
    private const int MaxReportedLines = 1000;

    public async Task<CatalogLoadSummary> LoadAsync(string file, CatalogLoadOptions options, IProgress<CatalogLoadProgress>? progress, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var run = new Run(options);
        var exists = await TableExistsAsync(options.TableName, cancellationToken).ConfigureAwait(false);
        var created = false;
        if (!exists && !options.DryRun)
        {
            if (!options.CreateTable)
            {
                throw new InvalidOperationException($"table {options.TableName} does not exist");
            }

            await CreateTableAsync(options.TableName, cancellationToken).ConfigureAwait(false);
            created = true;
        }

        var version = options.Version ?? time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture);
        var firstLineById = new Dictionary<string, long>(StringComparer.Ordinal);
        var badLines = new List<DataFileError>();
        long badLineCount = 0, itemsRead = 0;
        string? readError = null;
        var channel = Channel.CreateBounded<List<PendingWrite>>(Math.Max(1, options.Parallelism) * 2);
        var writers = Enumerable.Range(0, options.DryRun ? 0 : Math.Max(1, options.Parallelism))
            .Select(_ => WriteAllAsync(channel.Reader, run, cancellationToken))
            .ToArray();

        await using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan))
        {
            var total = stream.Length;
            var batch = new List<PendingWrite>(MaxItemsPerBatch);
            void Bad(DataFileError error)
            {
                badLineCount++;
                if (badLines.Count < MaxReportedLines)
                {
                    badLines.Add(error);
                }
            }

            try
            {
                await foreach (var line in CatalogReader.ReadLinesAsync(stream, cancellationToken).ConfigureAwait(false))
                {
                    if (line.Item is not { } item)
                    {
                        Bad(line.Error!.Value);
                        continue;
                    }

                    if (firstLineById.TryGetValue(item.Id, out var firstLine))
                    {
                        Bad(CatalogReader.DuplicateId(line.LineNumber, item.Id, firstLine));
                        continue;
                    }

                    Dictionary<string, AttributeValue> stored;
                    try
                    {
                        stored = ItemAttributes.ToItem(item.Id, item.MetadataJson, version);
                    }
                    catch (FormatException exception)
                    {
                        Bad(new DataFileError(line.LineNumber, exception.Message));
                        continue;
                    }

                    firstLineById[item.Id] = line.LineNumber;
                    itemsRead++;
                    batch.Add(new PendingWrite(line.LineNumber, item.Id, new WriteRequest { PutRequest = new PutRequest { Item = stored } }));
                    if (batch.Count == MaxItemsPerBatch)
                    {
                        await SendAsync(batch).ConfigureAwait(false);
                        batch = new List<PendingWrite>(MaxItemsPerBatch);
                        progress?.Report(new CatalogLoadProgress(stream.Position, total, Interlocked.Read(ref run.Written), itemsRead));
                    }
                }
            }
            catch (Exception exception) when (exception is InvalidDataException or IOException or System.Text.DecoderFallbackException)
            {
                readError = $"the file could not be read to its end: {exception.Message}";
                LogReadFailed(logger, file, exception.Message);
            }
            finally
            {
                if (batch.Count > 0)
                {
                    await SendAsync(batch).ConfigureAwait(false);
                }

                channel.Writer.Complete();
            }

            await Task.WhenAll(writers).ConfigureAwait(false);
            progress?.Report(new CatalogLoadProgress(total, total, Interlocked.Read(ref run.Written), itemsRead));

            async Task SendAsync(List<PendingWrite> writes)
            {
                if (!options.DryRun)
                {
                    await channel.Writer.WriteAsync(writes, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        // The purge: only after a complete read, every write succeeded, and no line was bad.
        var failed = run.Failed.OrderBy(f => f.LineNumber).ToList();
        string? purgeSkipped = readError
            ?? (failed.Count > 0 ? $"{failed.Count} items could not be written"
            : badLineCount > 0 ? $"{badLineCount} bad lines (the rows of the items on them would be lost); fix them and load again"
            : null);
        var stale = exists ? await StaleKeysAsync(options.TableName, firstLineById, cancellationToken).ConfigureAwait(false) : [];
        long removed = 0, failedRemovals = 0;
        if (!options.DryRun && purgeSkipped is null && stale.Count > 0)
        {
            var purge = new Run(options);
            var deletes = Channel.CreateUnbounded<List<PendingWrite>>();
            foreach (var chunk in stale.Chunk(MaxItemsPerBatch))
            {
                deletes.Writer.TryWrite([.. chunk.Select(id => new PendingWrite(0, id, new WriteRequest { DeleteRequest = new DeleteRequest { Key = new() { [ItemAttributes.Id] = new() { S = id } } } }))]);
            }

            deletes.Writer.Complete();
            await Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Parallelism)).Select(_ => WriteAllAsync(deletes.Reader, purge, cancellationToken))).ConfigureAwait(false);
            removed = purge.Written;
            failedRemovals = purge.Failed.Count;
            Interlocked.Add(ref run.Retries, purge.Retries);
        }

        var summary = new CatalogLoadSummary
        {
            TableName = options.TableName,
            DryRun = options.DryRun,
            TableCreated = created,
            ItemsRead = itemsRead,
            ItemsWritten = run.Written,
            BadLineCount = badLineCount,
            BadLines = badLines,
            FailedItems = failed,
            StaleItems = stale.Count,
            ItemsRemoved = removed,
            FailedRemovals = failedRemovals,
            PurgeSkipped = stale.Count == 0 ? null : purgeSkipped,
            Retries = run.Retries,
            Elapsed = time.GetElapsedTime(started),
        };
        LogLoaded(logger, options.TableName, summary.ItemsWritten, summary.BadLineCount, summary.FailedItems.Count, summary.ItemsRemoved, summary.PurgeSkipped ?? "-");
        return summary;
    }

    private async Task WriteAllAsync(ChannelReader<List<PendingWrite>> batches, Run run, CancellationToken cancellationToken)
    {
        await foreach (var batch in batches.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await WriteBatchAsync(batch, run, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Whatever went wrong, the items are reported and the other writers keep draining the queue.
                foreach (var write in batch)
                {
                    run.Failed.Add(new FailedItem(write.LineNumber, write.Id, $"{ErrorName(exception)}: {exception.Message}"));
                }
            }
        }
    }

    private async Task WriteBatchAsync(List<PendingWrite> writes, Run run, CancellationToken cancellationToken)
    {
        var table = run.Options.TableName;
        var pending = writes;
        var backoff = run.Options.FirstBackoff;
        string lastProblem = "not attempted";
        for (var attempt = 1; attempt <= run.Options.MaxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                Interlocked.Increment(ref run.Retries);
                var jittered = TimeSpan.FromTicks((long)(backoff.Ticks * (0.5 + (Random.Shared.NextDouble() / 2))));
                await Task.Delay(jittered, time, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, run.Options.MaxBackoff.Ticks));
            }

            try
            {
                var response = await client.BatchWriteItemAsync(
                    new BatchWriteItemRequest { RequestItems = new() { [table] = [.. pending.Select(p => p.Request)] } },
                    cancellationToken).ConfigureAwait(false);
                var unprocessed = response.UnprocessedItems?.GetValueOrDefault(table) ?? [];
                var unprocessedIds = unprocessed.Select(KeyOf).ToHashSet(StringComparer.Ordinal);
                Interlocked.Add(ref run.Written, pending.Count - unprocessedIds.Count);
                if (unprocessedIds.Count == 0)
                {
                    return;
                }

                pending = [.. pending.Where(p => unprocessedIds.Contains(p.Id))];
                lastProblem = $"still unprocessed after {attempt} attempts";
            }
            catch (Exception exception) when (IsTransient(exception, cancellationToken))
            {
                lastProblem = $"{ErrorName(exception)} after {attempt} attempts: {exception.Message}";
            }
            catch (AmazonDynamoDBException exception) when (pending.Count > 1)
            {
                // A rejected batch (validation): write its items one by one to tell which ones DynamoDB refuses.
                LogBatchRejected(logger, table, pending.Count, exception.Message);
                foreach (var single in pending)
                {
                    await WriteBatchAsync([single], run, cancellationToken).ConfigureAwait(false);
                }

                return;
            }
            catch (AmazonDynamoDBException exception)
            {
                run.Failed.Add(new FailedItem(pending[0].LineNumber, pending[0].Id, $"{ErrorName(exception)}: {exception.Message}"));
                return;
            }
        }

        foreach (var write in pending)
        {
            run.Failed.Add(new FailedItem(write.LineNumber, write.Id, lastProblem));
        }
    }

    private static string KeyOf(WriteRequest request) =>
        (request.PutRequest?.Item ?? request.DeleteRequest?.Key)?.GetValueOrDefault(ItemAttributes.Id)?.S ?? string.Empty;

    private static bool IsTransient(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        ProvisionedThroughputExceededException or RequestLimitExceededException or InternalServerErrorException => true,
        AmazonDynamoDBException dynamo => dynamo.ErrorCode is "ThrottlingException" or "LimitExceededException" || (int)dynamo.StatusCode >= 500,
        AmazonServiceException service => (int)service.StatusCode >= 500,
        AmazonClientException or HttpRequestException or IOException or TimeoutException => true,
        _ => false,
    };

    private static string ErrorName(Exception exception) => exception is AmazonServiceException { ErrorCode: { Length: > 0 } code } ? code : exception.GetType().Name;

    private async Task<bool> TableExistsAsync(string table, CancellationToken cancellationToken)
    {
        try
        {
            var described = await client.DescribeTableAsync(new DescribeTableRequest { TableName = table }, cancellationToken).ConfigureAwait(false);
            var key = described.Table.KeySchema?.SingleOrDefault(k => k.KeyType == KeyType.HASH)?.AttributeName;
            if (key != ItemAttributes.Id || described.Table.KeySchema!.Count != 1)
            {
                throw new InvalidOperationException($"table {table} must have the single partition key \"id\" (string); its key is {string.Join(", ", described.Table.KeySchema?.Select(k => k.AttributeName) ?? [])}");
            }

            return true;
        }
        catch (ResourceNotFoundException)
        {
            return false;
        }
    }

    private async Task CreateTableAsync(string table, CancellationToken cancellationToken)
    {
        await client.CreateTableAsync(
            new CreateTableRequest
            {
                TableName = table,
                KeySchema = [new KeySchemaElement(ItemAttributes.Id, KeyType.HASH)],
                AttributeDefinitions = [new AttributeDefinition(ItemAttributes.Id, ScalarAttributeType.S)],
                BillingMode = BillingMode.PAY_PER_REQUEST,
            },
            cancellationToken).ConfigureAwait(false);
        var deadline = time.GetUtcNow() + TimeSpan.FromMinutes(2);
        while ((await client.DescribeTableAsync(new DescribeTableRequest { TableName = table }, cancellationToken).ConfigureAwait(false)).Table.TableStatus != TableStatus.ACTIVE)
        {
            if (time.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"table {table} did not become ACTIVE within 2 minutes");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken).ConfigureAwait(false);
        }

        LogCreated(logger, table);
    }

    /// <summary>The ids in the table that the file does not hold (a paged scan of the keys only).</summary>
    private async Task<List<string>> StaleKeysAsync(string table, Dictionary<string, long> loaded, CancellationToken cancellationToken)
    {
        var stale = new List<string>();
        var request = new ScanRequest
        {
            TableName = table,
            ProjectionExpression = "#id",
            ExpressionAttributeNames = new() { ["#id"] = ItemAttributes.Id },
        };
        do
        {
            var page = await client.ScanAsync(request, cancellationToken).ConfigureAwait(false);
            stale.AddRange((page.Items ?? []).Select(item => item.GetValueOrDefault(ItemAttributes.Id)?.S).OfType<string>().Where(id => !loaded.ContainsKey(id)));
            request.ExclusiveStartKey = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (request.ExclusiveStartKey is not null);
        return stale;
    }

    private sealed record PendingWrite(long LineNumber, string Id, WriteRequest Request);

    private sealed class Run(CatalogLoadOptions options)
    {
        public CatalogLoadOptions Options { get; } = options;
        public ConcurrentBag<FailedItem> Failed { get; } = [];
        public long Written;
        public long Retries;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{File}: reading stopped: {Message}")]
    private static partial void LogReadFailed(ILogger logger, string file, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Table}: a batch of {Count} items was rejected ({Message}); writing them one by one")]
    private static partial void LogBatchRejected(ILogger logger, string table, int count, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Table}: created (key id, on-demand)")]
    private static partial void LogCreated(ILogger logger, string table);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Table}: {Written} items written, {BadLines} bad lines, {Failed} failed, {Removed} stale items removed (purge skipped: {Skipped})")]
    private static partial void LogLoaded(ILogger logger, string table, long written, long badLines, int failed, long removed, string skipped);
}
