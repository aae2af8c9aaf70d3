namespace Personalization.Grains.Events;

/// <summary>
/// The per-record answer of PutRecords (FailedRecordCount, Records[]) or PutRecordBatch (FailedPutCount,
/// RequestResponses[]): one entry per record sent, in order; an entry with an ErrorCode failed.
/// </summary>
public sealed record BatchPutResponse(int FailedCount, IReadOnlyList<RecordResponse> Records)
{
    /// <summary>Per-record errors that sending again cannot fix; the rest (throughput, InternalFailure, ServiceUnavailable) are retried.</summary>
    private static readonly string[] PermanentCodes = ["AccessDenied", "KMSDisabled", "KMSNotFound", "KMSInvalidState", "KMSOptInRequired", "InvalidArgument", "InvalidKMSResource"];

    internal TargetBatchResult ToResult(int sent)
    {
        if (Records.Count != sent)
        {
            // Cannot tell which records landed: sending all again risks duplicates but never loss.
            return TargetBatchResult.Failed(sent, new SendError(true, "InvalidResponse", $"{Records.Count} record results for {sent} records sent"));
        }

        if (FailedCount == 0 && Records.All(r => r.ErrorCode is null))
        {
            return TargetBatchResult.Delivered(sent);
        }

        var outcomes = new RecordOutcome[sent];
        for (var i = 0; i < sent; i++)
        {
            if (Records[i].ErrorCode is { } code)
            {
                var permanent = PermanentCodes.Any(p => code.Contains(p, StringComparison.Ordinal));
                outcomes[i] = new RecordOutcome(permanent ? RecordStatus.PermanentFailure : RecordStatus.RetryableFailure, code, Records[i].ErrorMessage);
            }
        }

        return TargetBatchResult.FromOutcomes(outcomes);
    }
}

/// <summary>One record's result: no ErrorCode means it was stored.</summary>
public readonly record struct RecordResponse(string? ErrorCode = null, string? ErrorMessage = null);
