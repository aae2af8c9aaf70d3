using System.Text;
using Personalization.Aws.Errors;
using Personalization.Aws.Firehose;
using Xunit;
using Record = Personalization.Aws.Firehose.Record;

namespace Personalization.Aws.Tests.Local;

public sealed class FirehoseClientTests : LocalServerTest
{
    [Fact]
    public async Task PutRecordBatch_delivers_every_record_base64_encoded()
    {
        var client = Clients().CreateFirehoseClient();

        var output = await client.PutRecordBatchAsync(new PutRecordBatchInput
        {
            DeliveryStreamName = "events",
            Records = [new Record { Data = Encoding.UTF8.GetBytes("{\"a\":1}\n") }, new Record { Data = new byte[] { 0, 255, 7 } }],
        });

        Assert.Equal(0, output.FailedPutCount);
        Assert.Equal(2, output.RequestResponses.Count);
        Assert.All(output.RequestResponses, r => Assert.False(string.IsNullOrEmpty(r.RecordId)));
        Assert.Equal(["{\"a\":1}\n", "\0\u00ff\a"], State.Firehose.Records("events").Select(r => Encoding.Latin1.GetString(r)));
        Assert.Contains(Convert.ToBase64String(new byte[] { 0, 255, 7 }), Assert.Single(State.Recorded.For("PutRecordBatch")).Body);
    }

    [Fact]
    public async Task An_empty_batch_is_rejected_by_the_service()
    {
        var client = Clients().CreateFirehoseClient();

        var error = await Assert.ThrowsAsync<AwsValidationException>(() => client.PutRecordBatchAsync(new PutRecordBatchInput { DeliveryStreamName = "events" }));

        Assert.Equal("ValidationException", error.ErrorCode);
    }
}
