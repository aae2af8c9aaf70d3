namespace Personalization.Orleans.Clustering.DynamoDB;

/// <summary>One suspicion vote of a <see cref="MembershipEntryDocument"/>: who suspected the silo, and when (UTC).</summary>
internal sealed class SuspectVoteDocument
{
    public required string Silo { get; init; }

    public DateTime Time { get; init; }
}
