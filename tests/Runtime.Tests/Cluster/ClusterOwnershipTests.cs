using System.Net;
using FsCheck;
using FsCheck.Fluent;
using Personalization.Runtime.Cluster;
using Personalization.TestSupport;

namespace Personalization.Runtime.Tests.Cluster;

public sealed class ClusterOwnershipTests
{
    private static readonly string[] Three = ["10.0.0.1:8080", "10.0.0.2:8080", "10.0.0.3:8080"];

    [Fact]
    public void Owner_is_stable_and_keys_spread_over_members()
    {
        var ownership = new ClusterOwnership(new StaticClusterMembership(Three), Three[0]);
        var again = new ClusterOwnership(new StaticClusterMembership(Three.Reverse()), Three[1]);

        var owners = Enumerable.Range(0, 3000).Select(i => ownership.OwnerOf("user-" + i)).ToList();

        Assert.Equal(owners, Enumerable.Range(0, 3000).Select(i => again.OwnerOf("user-" + i)));
        Assert.All(Three, member => Assert.InRange(owners.Count(o => o == member), 800, 1200));
        Assert.Equal(ownership.IsLocal("user-1"), ownership.OwnerOf("user-1") == Three[0]);
    }

    [Fact]
    public void Removing_a_member_moves_only_its_keys_and_adding_one_moves_keys_only_to_it()
    {
        Check.QuickThrowOnFailure(Prop.ForAll<NonEmptyString, PositiveInt>((key, memberCount) =>
        {
            var members = Enumerable.Range(0, memberCount.Get % 7 + 2).Select(i => $"10.1.0.{i}:8080").ToArray();
            var before = new ClusterOwnership(new StaticClusterMembership(members), members[0]).OwnerOf(key.Get);
            var removed = members.First(m => m != before);
            var afterRemoval = new ClusterOwnership(new StaticClusterMembership(members.Where(m => m != removed)), members[0]).OwnerOf(key.Get);
            var added = new ClusterOwnership(new StaticClusterMembership(members.Append("10.2.0.1:8080")), members[0]).OwnerOf(key.Get);
            return afterRemoval == before && (added == before || added == "10.2.0.1:8080");
        }));
    }

    [Fact]
    public async Task Dns_membership_follows_the_headless_service_and_keeps_members_when_lookup_fails()
    {
        var clock = new ManualTimeProvider();
        var answers = new Queue<Func<IPAddress[]>>();
        answers.Enqueue(() => [IPAddress.Parse("10.0.0.2"), IPAddress.Parse("10.0.0.1")]);
        answers.Enqueue(() => [IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.3"), IPAddress.IPv6Loopback]);
        answers.Enqueue(() => throw new System.Net.Sockets.SocketException());
        var membership = new DnsClusterMembership(
            new DnsClusterMembershipOptions { ServiceName = "silo.default.svc.cluster.local", Port = 8080, RefreshInterval = TimeSpan.FromSeconds(10) },
            clock,
            resolve: (name, _) => Task.FromResult(answers.Dequeue()()));
        var changes = new List<IReadOnlyList<string>>();
        membership.Changed += changes.Add;
        var ownership = new ClusterOwnership(membership, "10.0.0.1:8080");

        await membership.StartAsync(default);
        Assert.Equal(["10.0.0.1:8080", "10.0.0.2:8080"], membership.Members);

        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(["10.0.0.1:8080", "10.0.0.3:8080"], membership.Members);
        Assert.Contains(ownership.OwnerOf("user-7"), membership.Members);

        clock.Advance(TimeSpan.FromSeconds(10)); // lookup fails: members kept
        Assert.Equal(["10.0.0.1:8080", "10.0.0.3:8080"], membership.Members);
        Assert.Equal(2, changes.Count);
        await membership.StopAsync(default);
        membership.Dispose();
    }

    [Fact]
    public void Invalid_input_gets_clear_errors()
    {
        Assert.Throws<ArgumentException>(() => new StaticClusterMembership([]));
        Assert.Throws<ArgumentException>(() => new StaticClusterMembership(["a", " "]));
        Assert.Throws<ArgumentException>(() => new DnsClusterMembership(new DnsClusterMembershipOptions(), TimeProvider.System));
    }
}
