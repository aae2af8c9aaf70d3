using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Personalization.Aws.Personalize.Runtime;

namespace Personalization.LocalAws.Services;

/// <summary>
/// Default answers: items item-1..item-N picked by a seeded hash of (user, item), so the same input always
/// gives the same list and tests can compute the expectation with <see cref="ItemsFor"/>.
/// </summary>
public sealed class DeterministicRecommender(int seed, int catalogSize)
{
    public GetRecommendationsResponse Recommend(GetRecommendationsRequest request)
    {
        var count = request.NumResults ?? 25;
        var items = ItemsFor(request.UserId, request.ItemId, count);
        return new GetRecommendationsResponse
        {
            ItemList = items.Select((id, rank) => new PredictedItem { ItemId = id, Score = Score(rank, count) }).ToList(),
            RecommendationId = "RID-" + Hash(request.UserId, request.ItemId, "rid").ToString("x8", System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    public GetPersonalizedRankingResponse Rank(GetPersonalizedRankingRequest request) => new()
    {
        PersonalizedRanking = request.InputList
            .OrderByDescending(item => Hash(request.UserId, item, "rank"))
            .ThenBy(item => item, StringComparer.Ordinal)
            .Select((item, rank) => new PredictedItem { ItemId = item, Score = Score(rank, request.InputList.Count) })
            .ToList(),
        RecommendationId = "RID-" + Hash(request.UserId, null, "rank").ToString("x8", System.Globalization.CultureInfo.InvariantCulture),
    };

    public GetActionRecommendationsResponse RecommendActions(GetActionRecommendationsRequest request)
    {
        var count = request.NumResults ?? 5;
        return new GetActionRecommendationsResponse
        {
            ActionList = ItemsFor(request.UserId, "actions", count)
                .Select((id, rank) => new PredictedAction { ActionId = "action-" + id["item-".Length..], Score = Score(rank, count) })
                .ToList(),
            RecommendationId = "RID-" + Hash(request.UserId, null, "actions").ToString("x8", System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The ordered item ids returned for a user/item pair.</summary>
    public IReadOnlyList<string> ItemsFor(string? userId, string? itemId, int count)
    {
        count = Math.Min(count, catalogSize);
        var random = new Random(unchecked((int)Hash(userId, itemId, "items")));
        var chosen = new List<string>(count);
        var seen = new HashSet<int>();
        while (chosen.Count < count)
        {
            var k = random.Next(1, catalogSize + 1);
            if (seen.Add(k) && ("item-" + k) != itemId)
            {
                chosen.Add("item-" + k);
            }
        }

        return chosen;
    }

    private static double Score(int rank, int count) => Math.Round((count - rank) / (double)Math.Max(count, 1) * 0.5, 6);

    // A stable hash (string.GetHashCode is randomised per process).
    private uint Hash(string? userId, string? itemId, string purpose) =>
        BinaryPrimitives.ReadUInt32LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}\u0001{userId}\u0001{itemId}\u0001{purpose}")));
}
