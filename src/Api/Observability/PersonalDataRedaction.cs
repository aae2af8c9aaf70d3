using System.Diagnostics;
using OpenTelemetry;

namespace Personalization.Api.Observability;

/// <summary>
/// Takes user ids out of finished spans before any exporter sees them: grain keys (a user grain's key is
/// <c>{namespace}/{userId}</c>) in Orleans' attributes, the request path on server spans (the route template stays in
/// <c>http.route</c>) and the path of outgoing calls (an HTTP backend's URL may carry the user). Query strings are
/// already redacted by the instrumentations.
/// </summary>
internal sealed class PersonalDataRedaction : BaseProcessor<Activity>
{
    internal const string Redacted = "~";

    /// <summary>Orleans tags whose value is a grain id (<c>type/key</c>).</summary>
    private static readonly string[] GrainIdTags = ["orleans.grain.id", "orleans.rpc.target_id", "orleans.rpc.source_id"];

    public override void OnEnd(Activity activity)
    {
        foreach (var tag in GrainIdTags)
        {
            if (activity.GetTagItem(tag) is { } value)
            {
                activity.SetTag(tag, RedactGrainId(value.ToString()));
            }
        }

        if (activity.GetTagItem("url.path") is not null)
        {
            activity.SetTag("url.path", activity.GetTagItem("http.route") as string ?? Redacted);
        }

        if (activity.GetTagItem("url.full") is string full && Uri.TryCreate(full, UriKind.Absolute, out var uri))
        {
            activity.SetTag("url.full", uri.GetLeftPart(UriPartial.Authority) + "/" + Redacted);
        }
    }

    /// <summary>Keeps the grain type (<c>user/...</c>), drops the key. Silo and activation ids have no key and pass unchanged.</summary>
    internal static string? RedactGrainId(string? id)
    {
        if (id is null)
        {
            return null;
        }

        var slash = id.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? id : string.Concat(id.AsSpan(0, slash + 1), Redacted);
    }
}
