namespace Personalization.Grains.Experiments;

/// <summary>
/// Weighted rendezvous (highest-random-weight) choice: candidate i scores -ln(u_i)/w_i, where u_i depends only on
/// the key and candidate i, and the lowest score wins. Because a candidate's score ignores the other candidates,
/// raising w_k only lowers k's score: users can move into k but never between two other candidates; and
/// P(pick k) = w_k / Σw (the minimum of exponential variables).
/// </summary>
internal static class WeightedRendezvous
{
    /// <returns>The index of the chosen candidate, or -1 when no weight is positive.</returns>
    public static int Pick(ulong keyHash, ReadOnlySpan<ulong> candidateSeeds, ReadOnlySpan<double> weights)
    {
        var best = -1;
        var bestScore = double.PositiveInfinity;
        for (var i = 0; i < candidateSeeds.Length; i++)
        {
            var weight = weights[i];
            if (!(weight > 0))
            {
                continue;
            }

            var u = StableHash.ToUnitInterval(StableHash.Hash(keyHash, candidateSeeds[i]));
            var score = -Math.Log(u) / weight;
            if (best < 0 || score < bestScore)
            {
                best = i;
                bestScore = score;
            }
        }

        return best;
    }
}
