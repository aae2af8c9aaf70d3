namespace Personalization.Orleans.Clustering.DynamoDB;

/// <summary>
/// A <see cref="global::Orleans.MembershipEntry"/> as stored in a row's <c>Entry</c> attribute, without
/// IAmAliveTime (a row attribute of its own, so a heartbeat rewrites only that). Plain types in a fixed order, so the
/// JSON is deterministic and readable in the console.
/// </summary>
internal sealed class MembershipEntryDocument
{
    /// <summary><c>SiloAddress.ToParsableString()</c>: "ip:port@generation".</summary>
    public required string SiloAddress { get; init; }

    public required global::Orleans.Runtime.SiloStatus Status { get; init; }

    public int ProxyPort { get; init; }

    public string? HostName { get; init; }

    public string? SiloName { get; init; }

    public string? RoleName { get; init; }

    public int UpdateZone { get; init; }

    public int FaultZone { get; init; }

    public DateTime StartTime { get; init; }

    /// <summary>Null stays null: the runtime tells "no votes yet" from an empty list nowhere, but the kit compares them.</summary>
    public List<SuspectVoteDocument>? SuspectTimes { get; init; }
}
