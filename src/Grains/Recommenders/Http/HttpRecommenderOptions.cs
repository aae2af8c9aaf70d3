namespace Personalization.Grains.Recommenders.Http;

public sealed class HttpRecommenderOptions
{
    /// <summary>Deadline for one call (connect, send, read the whole body).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Larger responses are refused: a recommender answer is a list of ids, not a download.</summary>
    public int MaxResponseBytes { get; set; } = 1024 * 1024;

    /// <summary>Recycles pooled connections so DNS changes of the endpoint are picked up.</summary>
    public TimeSpan PooledConnectionLifetime { get; set; } = TimeSpan.FromMinutes(5);
}
