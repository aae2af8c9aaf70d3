using System.Text.RegularExpressions;

namespace Personalization.Grains.Configuration;

/// <summary>ARN shapes the configuration accepts, and the parts a short filter name borrows from a variation ARN.</summary>
public static partial class Arns
{
    [GeneratedRegex(@"^arn:aws[a-z-]*:personalize:[a-z0-9-]+:\d{12}:(campaign|recommender)/[A-Za-z0-9_.\-]+$")]
    public static partial Regex PersonalizeRecommender();

    [GeneratedRegex(@"^arn:aws[a-z-]*:personalize:[a-z0-9-]+:\d{12}:filter/[A-Za-z0-9_.\-]+$")]
    public static partial Regex PersonalizeFilter();

    [GeneratedRegex(@"^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function[:/][A-Za-z0-9_\-]+(:[A-Za-z0-9_$\-]+)?$")]
    public static partial Regex LambdaFunction();

    /// <summary>What Lambda's Invoke accepts besides a full ARN: a name or partial ARN, optionally with :version or :alias.</summary>
    [GeneratedRegex(@"^(\d{12}:function:)?[A-Za-z0-9_\-]{1,64}(:[A-Za-z0-9_$\-]{1,128})?$")]
    public static partial Regex LambdaFunctionName();

    [GeneratedRegex(@"^arn:aws[a-z-]*:kinesis:[a-z0-9-]+:\d{12}:stream/[A-Za-z0-9_.\-]+$")]
    public static partial Regex KinesisStream();

    /// <summary>Shipped samples carry placeholders such as "arn:aws:personalize:[REGION]:[ACCOUNT]:campaign/[CAMPAIGN_NAME]".</summary>
    public static bool IsPlaceholder(string arn) => arn.StartsWith("arn:", StringComparison.Ordinal) && (arn.Contains('[') || arn.Contains(']'));

    /// <summary>The filter ARN for a short name in the same partition, region and account as a Personalize ARN.</summary>
    public static string? FilterArnFor(string? personalizeArn, string filterName)
    {
        if (personalizeArn is null)
        {
            return null;
        }

        var parts = personalizeArn.Split(':', 6);
        return parts.Length == 6 && parts[0] == "arn"
            ? $"arn:{parts[1]}:personalize:{parts[3]}:{parts[4]}:filter/{filterName}"
            : null;
    }

    /// <summary>The name after "filter/" (or after the last '/' of any ARN).</summary>
    public static string LastSegment(string arn)
    {
        var slash = arn.LastIndexOf('/');
        return slash >= 0 ? arn[(slash + 1)..] : arn;
    }
}
