using System.Text.Json.Nodes;

namespace Personalization.Grains.Configuration.Generation;

/// <summary>One generated namespace: recommenders by action, then by name, then variations; event targets.</summary>
internal sealed class NamespaceBuilder(JsonObject node, IReadOnlyList<string> filterArns)
{
    public JsonObject Node { get; } = node;

    /// <summary>False when the recommender already has a variation with that key (the first one stays).</summary>
    public bool TryAddVariation(RecommenderAction action, string recommenderName, string variationKey, string type, string arn)
    {
        var recommenders = Child(Node, "recommenders");
        var byAction = Child(recommenders, PersonalizeRecipes.WireName(action));
        var recommender = Child(byAction, recommenderName);
        var variations = Child(recommender, "variations");
        if (variations.ContainsKey(variationKey))
        {
            return false;
        }

        var variation = new JsonObject { ["type"] = type, ["arn"] = arn };
        if (filterArns.Count > 0)
        {
            variation["filters"] = new JsonArray([.. filterArns.Select(f => (JsonNode)new JsonObject { ["arn"] = f })]);
        }

        variations[variationKey] = variation;
        return true;
    }

    public void AddEventTracker(string trackingId)
    {
        if (Node["eventTargets"] is not JsonArray targets)
        {
            targets = [];
            Node["eventTargets"] = targets;
        }

        targets.Add(new JsonObject { ["type"] = "personalize-event-tracker", ["trackingId"] = trackingId });
    }

    private static JsonObject Child(JsonObject parent, string key)
    {
        if (parent[key] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        parent[key] = created;
        return created;
    }
}
