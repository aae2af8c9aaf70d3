using System.Globalization;
using Personalization.Grains.Recommenders.BuiltIn.Interactions;

namespace Personalization.Grains.Samples;

/// <summary>Generates a store whose behaviour has the structure recommenders exploit and evaluation can measure:
/// users with tastes over categories that drift over the period, Zipf popularity within subcategories, items
/// bought together (companions), sessions that browse one subcategory, a view → click → purchase funnel, and
/// items launched mid-period that trend.</summary>
public static class SampleStoreGenerator
{
    private const double ClickRate = 0.25;
    private const double PurchaseRate = 0.15;
    private const double CompanionRate = 0.4;
    private const double NewItemRate = 0.1;
    private const double LaunchedDuringPeriod = 0.15;
    private const int CompanionsPerItem = 4;

    public static SampleStore Generate(SampleStoreOptions? options = null)
    {
        options ??= new SampleStoreOptions();
        options.Validate();
        var random = new Random(options.Seed);
        var start = options.Start.ToUnixTimeSeconds();
        var periodSeconds = options.Days * 86_400L;

        var items = GenerateItems(options, random, start, periodSeconds);
        var catalog = new StoreLayout(items, start, random);
        var users = Enumerable.Range(0, options.UserCount).Select(_ => Shopper.Create(random, catalog.SubcategoryCount)).ToArray();
        var userPicker = new CumulativePicker(users.Select(u => u.Activity).ToArray());

        var interactions = new List<Interaction>(options.InteractionCount + 64);
        var userIds = Enumerable.Range(0, options.UserCount).Select(i => $"u{i:D5}").ToArray();
        while (interactions.Count < options.InteractionCount)
        {
            var user = userPicker.Next(random);
            var sessionStart = start + (long)(random.NextDouble() * (periodSeconds - 3_600));
            var progress = (double)(sessionStart - start) / periodSeconds;
            GenerateSession(interactions, userIds[user], users[user], catalog, random, sessionStart, progress);
        }

        interactions.Sort((a, b) => a.Timestamp != b.Timestamp ? a.Timestamp.CompareTo(b.Timestamp) : string.CompareOrdinal(a.UserId, b.UserId));
        return new SampleStore(items, interactions);
    }

    private static SampleItem[] GenerateItems(SampleStoreOptions options, Random random, long start, long periodSeconds)
    {
        var categories = SampleVocabulary.Categories;
        var items = new SampleItem[options.ItemCount];
        for (var i = 0; i < items.Length; i++)
        {
            var (category, basePrice, subcategories) = categories[random.Next(categories.Length)];
            var subcategory = subcategories[random.Next(subcategories.Length)];
            var brand = SampleVocabulary.Brands[random.Next(SampleVocabulary.Brands.Length)];
            var adjective = SampleVocabulary.Adjectives[random.Next(SampleVocabulary.Adjectives.Length)];
            var price = Math.Round((decimal)(basePrice * Math.Exp(Gaussian(random) * 0.6)), 2) + 0.00m;
            var launched = random.NextDouble() < LaunchedDuringPeriod
                ? start + (long)(random.NextDouble() * periodSeconds)
                : start - (long)(random.NextDouble() * 365 * 86_400);
            var id = $"i{i:D5}";
            items[i] = new SampleItem(
                id,
                $"{brand} {adjective} {Singular(subcategory)}",
                category,
                subcategory,
                brand,
                Math.Max(price, 0.99m),
                $"https://images.example.com/items/{id}.jpg",
                $"{adjective} {subcategory.ToLower(CultureInfo.InvariantCulture)} from {brand}. {SampleVocabulary.Features[random.Next(SampleVocabulary.Features.Length)]}",
                launched);
        }

        return items;
    }

    private static void GenerateSession(List<Interaction> output, string userId, Shopper user, StoreLayout store, Random random, long time, double progress)
    {
        var subcategory = user.PickSubcategory(random, progress);
        var views = 1 + Geometric(random, 0.25);
        int? current = null;
        for (var v = 0; v < views; v++)
        {
            time += 15 + random.Next(120);
            int item;
            if (current is { } previous && random.NextDouble() < CompanionRate)
            {
                item = store.Companions[previous][random.Next(CompanionsPerItem)];
            }
            else if (random.NextDouble() < NewItemRate && store.RecentLaunch(subcategory, time) is { } launched)
            {
                item = launched;
            }
            else
            {
                item = store.PickInSubcategory(random.NextDouble() < 0.85 ? subcategory : user.PickSubcategory(random, progress), random);
            }

            if (store.Items[item].LaunchedAt > time)
            {
                continue;
            }

            current = item;
            var itemId = store.Items[item].Id;
            output.Add(new Interaction(userId, itemId, time, "view"));
            if (random.NextDouble() < ClickRate)
            {
                output.Add(new Interaction(userId, itemId, time + 5 + random.Next(30), "click"));
                if (random.NextDouble() < PurchaseRate)
                {
                    output.Add(new Interaction(userId, itemId, time + 60 + random.Next(300), "purchase"));
                }
            }
        }
    }

    private static string Singular(string subcategory) =>
        subcategory.EndsWith("ies", StringComparison.Ordinal) ? subcategory[..^3] + "y"
        : subcategory.EndsWith("ses", StringComparison.Ordinal) || subcategory.EndsWith("shes", StringComparison.Ordinal) ? subcategory[..^2]
        : subcategory.EndsWith('s') && !subcategory.EndsWith("ss", StringComparison.Ordinal) ? subcategory[..^1]
        : subcategory;

    internal static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static int Geometric(Random random, double stop)
    {
        var count = 0;
        while (random.NextDouble() > stop && count < 40)
        {
            count++;
        }

        return count;
    }
}
