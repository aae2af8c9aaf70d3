namespace Personalization.Grains.Configuration;

/// <summary>Wire names personalize-event-tracker, kinesis-stream, kinesis-firehose, file.</summary>
public enum EventTargetType
{
    PersonalizeEventTracker,
    KinesisStream,
    KinesisFirehose,
    File,
}
