namespace Personalization.Grains.Configuration;

/// <summary>A `cacheControl` object: one policy per user class (a class left out gets <see cref="CachePolicy.NoCaching"/>).</summary>
public sealed class CacheControlConfig
{
    public static readonly CacheControlConfig Default = new(null, CachePolicy.NoCaching, CachePolicy.NoCaching, CachePolicy.NoCaching);

    public CacheControlConfig(bool? autoProvision, CachePolicy userSpecified, CachePolicy syntheticUserSpecified, CachePolicy noUserSpecified)
    {
        AutoProvision = autoProvision;
        UserSpecified = userSpecified;
        SyntheticUserSpecified = syntheticUserSpecified;
        NoUserSpecified = noUserSpecified;
    }

    /// <summary>CDN policy sync switch of the original; kept for tooling, no effect on serving.</summary>
    public bool? AutoProvision { get; }

    public CachePolicy UserSpecified { get; }

    public CachePolicy SyntheticUserSpecified { get; }

    public CachePolicy NoUserSpecified { get; }

    public CachePolicy For(UserClass userClass) => userClass switch
    {
        UserClass.UserSpecified => UserSpecified,
        UserClass.SyntheticUserSpecified => SyntheticUserSpecified,
        _ => NoUserSpecified,
    };
}
