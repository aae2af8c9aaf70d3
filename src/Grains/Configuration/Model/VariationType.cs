namespace Personalization.Grains.Configuration;

/// <summary>
/// Backend of a variation. Wire names: personalize-campaign, personalize-recommender, lambda (also
/// "function", the name the original's docs and schema use), sagemaker, http, builtin.
/// </summary>
public enum VariationType
{
    PersonalizeCampaign,
    PersonalizeRecommender,
    Lambda,
    SageMaker,
    Http,
    Builtin,
}
