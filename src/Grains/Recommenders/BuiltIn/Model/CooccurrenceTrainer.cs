namespace Personalization.Grains.Recommenders.BuiltIn.Model;

/// <summary>Batch item-to-item similarity: cosine over users' histories, counting two items as co-occurring when
/// they are at most a window apart in a user's sequence of distinct items. Builds an inverted index and scores
/// one item at a time with a dense scratch row, so memory is items × K, not items².</summary>
internal static class CooccurrenceTrainer
{
    public static Neighbour[][] Build(IReadOnlyList<int[]> sequences, int itemCount, double[] userCounts, BuiltInRecommenderOptions options)
    {
        // Postings: for each item, (sequence, position) pairs in a CSR layout.
        var starts = new int[itemCount + 1];
        foreach (var sequence in sequences)
        {
            foreach (var item in sequence)
            {
                starts[item + 1]++;
            }
        }

        for (var i = 0; i < itemCount; i++)
        {
            starts[i + 1] += starts[i];
        }

        var postingUser = new int[starts[itemCount]];
        var postingPosition = new int[starts[itemCount]];
        var fill = (int[])starts.Clone();
        for (var user = 0; user < sequences.Count; user++)
        {
            var sequence = sequences[user];
            for (var position = 0; position < sequence.Length; position++)
            {
                var slot = fill[sequence[position]]++;
                postingUser[slot] = user;
                postingPosition[slot] = position;
            }
        }

        var result = new Neighbour[itemCount][];
        var window = options.CooccurrenceWindow;
        Parallel.For(
            0,
            itemCount,
            () => new Scratch(itemCount),
            (item, _, scratch) =>
            {
                for (var p = starts[item]; p < starts[item + 1]; p++)
                {
                    var sequence = sequences[postingUser[p]];
                    var position = postingPosition[p];
                    var end = Math.Min(sequence.Length - 1, position + window);
                    for (var q = Math.Max(0, position - window); q <= end; q++)
                    {
                        if (q != position)
                        {
                            scratch.Add(sequence[q]);
                        }
                    }
                }

                result[item] = scratch.Drain(item, userCounts, options.MinSupport, options.NeighboursPerItem);
                return scratch;
            },
            _ => { });
        return result;
    }

    private sealed class Scratch(int itemCount)
    {
        private readonly float[] _counts = new float[itemCount];
        private readonly List<int> _touched = [];
        private readonly List<Neighbour> _candidates = [];

        public void Add(int other)
        {
            if (_counts[other] == 0)
            {
                _touched.Add(other);
            }

            _counts[other]++;
        }

        public Neighbour[] Drain(int item, double[] userCounts, int minSupport, int keep)
        {
            _candidates.Clear();
            foreach (var other in _touched)
            {
                var coCount = _counts[other];
                _counts[other] = 0;
                if (coCount >= minSupport)
                {
                    var similarity = (float)(coCount / Math.Sqrt(userCounts[item] * userCounts[other]));
                    _candidates.Add(new Neighbour(other, coCount, similarity));
                }
            }

            _touched.Clear();
            _candidates.Sort(NeighbourOrder.Instance);
            return _candidates.Count <= keep ? [.. _candidates] : [.. _candidates.GetRange(0, keep)];
        }
    }
}
