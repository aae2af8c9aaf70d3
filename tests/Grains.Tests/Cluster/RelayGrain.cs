using Personalization.Grains.Recommendations;
using Personalization.Grains.Users;

namespace Personalization.Grains.Tests.Cluster;

/// <summary>
/// A test-only grain that calls a user grain from inside a silo, as the API silo that took a request does: the user
/// grain's answer crosses a silo-to-silo call when the two live on different silos. It reports what it received
/// there, before anything is serialized again towards the test's client.
/// </summary>
[Alias("tests.IRelayGrain")]
public interface IRelayGrain : IGrainWithStringKey
{
    [Alias("Where")]
    Task<SiloAddress> GetSiloAsync();

    [Alias("Relay")]
    Task<RelayedResponse> GetRecommendationsAsync(string userGrainKey, RecommendationQuery query);
}

/// <summary>What the relay's silo received: the body flattened, its ETag, and the ETag recomputed from those bytes there.</summary>
[GenerateSerializer, Immutable, Alias("tests.RelayedResponse")]
public sealed record RelayedResponse(
    [property: Id(0)] SiloAddress Silo,
    [property: Id(1)] byte[] Body,
    [property: Id(2)] string ETag,
    [property: Id(3)] string ETagOfReceivedBytes,
    [property: Id(4)] string? Variation,
    [property: Id(5)] string? RecommendationId);

// Random placement: the default (resource-optimized) may keep choosing one silo, and tests need relays elsewhere.
[Orleans.Placement.RandomPlacement]
public sealed class RelayGrain : Grain, IRelayGrain
{
    public Task<SiloAddress> GetSiloAsync() => Task.FromResult(GrainContext.Address.SiloAddress!);

    public async Task<RelayedResponse> GetRecommendationsAsync(string userGrainKey, RecommendationQuery query)
    {
        var response = await GrainFactory.GetGrain<IUserGrain>(userGrainKey).GetRecommendationsAsync(query);
        return new RelayedResponse(
            GrainContext.Address.SiloAddress!,
            Flatten(response.Body),
            response.ETag,
            ResponseSerializer.StrongETag(response.Body),
            response.Variation,
            response.RecommendationId);
    }

    public static byte[] Flatten(SerializedBody body)
    {
        var bytes = new byte[body.Length];
        var offset = 0;
        foreach (var segment in body.Segments)
        {
            segment.Span.CopyTo(bytes.AsSpan(offset));
            offset += segment.Length;
        }

        return bytes;
    }
}
