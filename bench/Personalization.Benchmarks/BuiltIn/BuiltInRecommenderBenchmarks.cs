using BenchmarkDotNet.Attributes;
using Personalization.Grains.Catalog;
using Personalization.Grains.Recommenders.BuiltIn;
using Personalization.Grains.Recommenders.BuiltIn.Filters;
using Personalization.Grains.Samples;

namespace Personalization.Benchmarks.BuiltIn;

/// <summary>Training on the sample store (10k items, 2.5k users, 200k interactions) and serving one user whose
/// history holds 50 items. Run: dotnet run -c Release --project bench/Personalization.Benchmarks -- --filter '*BuiltIn*' --job short</summary>
[MemoryDiagnoser]
public class BuiltInRecommenderBenchmarks
{
    private SampleStore _store = null!;
    private ItemCatalog _catalog = null!;
    private BuiltInRecommender _model = null!;
    private BuiltInRecommender _observeModel = null!;
    private string _user = null!;
    private string[] _rerankCandidates = null!;
    private ItemFilter _filter = null!;
    private byte[] _catalogGzip = null!;
    private string[] _observedItems = null!;
    private int _nextObserved;
    private long _observedAt;

    [GlobalSetup]
    public async Task Setup()
    {
        _store = SampleStoreGenerator.Generate();
        _catalog = _store.CreateCatalog();
        _model = BuiltInRecommender.Train(_store.Interactions, _catalog);
        _observeModel = BuiltInRecommender.Train(_store.Interactions, _catalog);
        _user = _store.Interactions.GroupBy(i => i.UserId).First(g => g.Select(i => i.ItemId).Distinct().Count() >= 50).Key;
        if (_model.GetHistory(_user).Count != 50)
        {
            throw new InvalidOperationException("The benchmark user must have a full history of 50 items.");
        }

        _observedItems = _catalog.Items.Skip(5_000).Take(1_000).Select(i => i.Id).ToArray();
        _observedAt = _store.Interactions[^1].Timestamp;
        _rerankCandidates = _catalog.Items.Take(100).Select(i => i.Id).ToArray();
        _filter = FilterExpression.Parse("EXCLUDE ItemID WHERE Items.category IN ($CATEGORY)")
            .Bind(new Dictionary<string, string> { ["CATEGORY"] = "\"Books\",\"Grocery\"" });

        var path = Path.Combine(Path.GetTempPath(), $"bench-catalog-{Guid.NewGuid():N}");
        var files = new SampleDataFiles(path);
        await files.WriteAsync(new SampleStore(_store.Items, []), CancellationToken.None);
        _catalogGzip = File.ReadAllBytes(files.CatalogPath);
        Directory.Delete(path, recursive: true);
    }

    [Benchmark]
    public async Task<int> LoadCatalog10kGzip()
    {
        var result = await CatalogReader.ReadAsync(new MemoryStream(_catalogGzip), CancellationToken.None);
        return result.Catalog.Count;
    }

    [Benchmark]
    public BuiltInRecommender Train() => BuiltInRecommender.Train(_store.Interactions, _catalog);

    [Benchmark]
    public IReadOnlyList<ScoredItem> Recommend25For50ItemHistory() => _model.Recommend(_user, 25);

    [Benchmark]
    public IReadOnlyList<ScoredItem> Recommend25Filtered() => _model.Recommend(_user, 25, _filter);

    [Benchmark]
    public IReadOnlyList<ScoredItem> Similar25() => _model.Similar("i00042", 25);

    /// <summary>An event for an item new to the user: history, popularity and 2 × window neighbour-list updates.
    /// Runs on its own model copy so the read benchmarks above see the trained state.</summary>
    [Benchmark]
    public void ObserveNewItem()
    {
        _nextObserved = (_nextObserved + 1) % _observedItems.Length;
        _observeModel.Observe("bench-user", _observedItems[_nextObserved], "view", ++_observedAt);
    }

    [Benchmark]
    public IReadOnlyList<ScoredItem> Rerank100() => _model.Rerank(_user, _rerankCandidates);
}
