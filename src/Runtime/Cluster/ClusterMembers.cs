namespace Personalization.Runtime.Cluster;

internal static class ClusterMembers
{
    public static IReadOnlyList<string> Normalize(IEnumerable<string> members)
    {
        var list = new List<string>();
        foreach (var member in members)
        {
            if (string.IsNullOrWhiteSpace(member))
            {
                throw new ArgumentException("Cluster member names must not be empty.", nameof(members));
            }

            list.Add(member.Trim());
        }

        return list.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }

    public static bool SameAs(IReadOnlyList<string> left, IReadOnlyList<string> right) =>
        left.Count == right.Count && left.SequenceEqual(right, StringComparer.Ordinal);
}
