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
    private string _user = null!;
    private string[] _rerankCandidates = null!;
    private ItemFilter _filter = null!;

    [GlobalSetup]
    public void Setup()
    {
        _store = SampleStoreGenerator.Generate();
        _catalog = _store.CreateCatalog();
        _model = BuiltInRecommender.Train(_store.Interactions, _catalog);
        _user = _store.Interactions.GroupBy(i => i.UserId).First(g => g.Select(i => i.ItemId).Distinct().Count() >= 50).Key;
        if (_model.GetHistory(_user).Count != 50)
        {
            throw new InvalidOperationException("The benchmark user must have a full history of 50 items.");
        }

        _rerankCandidates = _catalog.Items.Take(100).Select(i => i.Id).ToArray();
        _filter = FilterExpression.Parse("EXCLUDE ItemID WHERE Items.category IN ($CATEGORY)")
            .Bind(new Dictionary<string, string> { ["CATEGORY"] = "\"Books\",\"Grocery\"" });
    }

    [Benchmark]
    public BuiltInRecommender Train() => BuiltInRecommender.Train(_store.Interactions, _catalog);

    [Benchmark]
    public IReadOnlyList<ScoredItem> Recommend25For50ItemHistory() => _model.Recommend(_user, 25);

    [Benchmark]
    public IReadOnlyList<ScoredItem> Recommend25Filtered() => _model.Recommend(_user, 25, _filter);

    [Benchmark]
    public IReadOnlyList<ScoredItem> Similar25() => _model.Similar("i00042", 25);

    [Benchmark]
    public IReadOnlyList<ScoredItem> Rerank100() => _model.Rerank(_user, _rerankCandidates);
}
