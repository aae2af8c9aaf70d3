namespace Personalization.Aws.Firehose;

/// <summary>Output of PutRecordBatch: one entry per record, in request order.</summary>
public sealed class PutRecordBatchOutput
{
    public int FailedPutCount { get; set; }

    public bool? Encrypted { get; set; }

    public List<PutRecordBatchResponseEntry> RequestResponses { get; set; } = [];
}
