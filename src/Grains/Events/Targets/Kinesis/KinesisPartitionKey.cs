namespace Personalization.Grains.Events;

public enum KinesisPartitionKey
{
    /// <summary>Keeps a user's events on one shard, in order; falls back to sessionId for anonymous events.</summary>
    UserId,

    /// <summary>What the original used.</summary>
    SessionId,
}
