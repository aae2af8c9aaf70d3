namespace Personalization.Grains.Samples;

/// <summary>Items grouped by subcategory with Zipf popularity, each item's companions (bought together), and the
/// items launched during the period in launch order.</summary>
internal sealed class StoreLayout
{
    private readonly int[][] _bySubcategory;
    private readonly ZipfSampler[] _samplers;
    private readonly int[][] _launchesBySubcategory;

    public StoreLayout(SampleItem[] items, long periodStart, Random random)
    {
        Items = items;
        var subcategoryNames = items.Select(i => i.Category + "/" + i.Subcategory).Distinct().Order(StringComparer.Ordinal).ToList();
        var subcategoryOf = items.Select(i => subcategoryNames.IndexOf(i.Category + "/" + i.Subcategory)).ToArray();
        SubcategoryCount = subcategoryNames.Count;
        _bySubcategory = Enumerable.Range(0, SubcategoryCount)
            .Select(s => Enumerable.Range(0, items.Length).Where(i => subcategoryOf[i] == s).OrderBy(_ => random.Next()).ToArray())
            .ToArray();
        _samplers = _bySubcategory.Select(members => new ZipfSampler(members.Length, 1.0)).ToArray();
        _launchesBySubcategory = _bySubcategory
            .Select(members => members.Where(i => items[i].LaunchedAt > periodStart).OrderBy(i => items[i].LaunchedAt).ToArray())
            .ToArray();

        // Companions come from the same subcategory or, less often, another subcategory of the same category.
        var byCategory = items.Select((item, index) => (item.Category, index))
            .GroupBy(p => p.Category, p => p.index)
            .ToDictionary(g => g.Key, g => g.ToArray());
        Companions = new int[items.Length][];
        for (var i = 0; i < items.Length; i++)
        {
            var companions = new int[4];
            for (var c = 0; c < companions.Length; c++)
            {
                companions[c] = c < 3
                    ? PickInSubcategory(subcategoryOf[i], random)
                    : byCategory[items[i].Category][random.Next(byCategory[items[i].Category].Length)];
            }

            Companions[i] = companions;
        }
    }

    public SampleItem[] Items { get; }

    public int SubcategoryCount { get; }

    public int[][] Companions { get; }

    public int PickInSubcategory(int subcategory, Random random)
    {
        var members = _bySubcategory[subcategory];
        return members.Length == 0 ? random.Next(Items.Length) : members[_samplers[subcategory].Next(random)];
    }

    /// <summary>An item of the subcategory launched in the last two weeks before <paramref name="time"/>, if any.</summary>
    public int? RecentLaunch(int subcategory, long time)
    {
        var launches = _launchesBySubcategory[subcategory];
        int? latest = null;
        foreach (var item in launches)
        {
            if (Items[item].LaunchedAt > time)
            {
                break;
            }

            if (Items[item].LaunchedAt > time - 14 * 86_400)
            {
                latest = item;
            }
        }

        return latest;
    }
}
