using Personalization.Grains.Configuration;

namespace Personalization.Grains.Recommenders.Personalize;

/// <summary>Whether a Personalize ARN names a campaign (custom solution) or a domain recommender.</summary>
public enum PersonalizeResourceKind
{
    Campaign,
    Recommender,
}

/// <summary>Reads the resource type from an ARN ("...:campaign/name" or "...:recommender/name").</summary>
public static class PersonalizeResource
{
    /// <summary>The ARN's resource type wins; the variation type decides only when the ARN does not say.</summary>
    public static PersonalizeResourceKind KindOf(string arn, VariationType declared)
    {
        var resource = arn.Split(':', 6) is { Length: 6 } parts ? parts[5] : string.Empty;
        if (resource.StartsWith("recommender/", StringComparison.Ordinal))
        {
            return PersonalizeResourceKind.Recommender;
        }

        if (resource.StartsWith("campaign/", StringComparison.Ordinal))
        {
            return PersonalizeResourceKind.Campaign;
        }

        return declared == VariationType.PersonalizeRecommender ? PersonalizeResourceKind.Recommender : PersonalizeResourceKind.Campaign;
    }
}
