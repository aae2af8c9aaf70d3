namespace Personalization.Grains.Configuration;

/// <summary>Which cacheControl entry applies: a real user, a synthetic (cohort) user, or no user.</summary>
[GenerateSerializer, Alias("personalization.UserClass")]
public enum UserClass
{
    UserSpecified,
    SyntheticUserSpecified,
    NoUserSpecified,
}
