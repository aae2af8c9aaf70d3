namespace Personalization.Aws.Firehose;

/// <summary>Input of Firehose PutRecordBatch.</summary>
public sealed class PutRecordBatchInput
{
    public string DeliveryStreamName { get; set; } = "";

    public List<Record> Records { get; set; } = [];
}
