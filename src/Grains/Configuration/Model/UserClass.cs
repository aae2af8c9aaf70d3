namespace Personalization.Grains.Configuration;

/// <summary>Which cacheControl entry applies: a real user, a synthetic (cohort) user, or no user.</summary>
public enum UserClass
{
    UserSpecified,
    SyntheticUserSpecified,
    NoUserSpecified,
}
