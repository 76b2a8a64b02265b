using System.Collections.Immutable;
using System.Net;
using NeuroMesh.Cluster;
using NeuroMesh.Placement;

namespace NeuroMesh.Tests.Cluster;

/// <summary>Which silos count as departed for <see cref="SiloIngressPlacement"/>: only those that can never come back.</summary>
[Trait("Tier", "Unit")]
public sealed class SiloDepartureTests
{
    private static readonly SiloAddress Silo = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), 100);

    [Theory]
    [InlineData(SiloStatus.Created, false)]
    [InlineData(SiloStatus.Joining, false)]
    [InlineData(SiloStatus.Active, false)]
    [InlineData(SiloStatus.ShuttingDown, true)]
    [InlineData(SiloStatus.Stopping, true)]
    [InlineData(SiloStatus.Dead, true)]
    public void A_member_has_left_once_it_is_terminating(SiloStatus status, bool left)
    {
        Assert.Equal(left, SiloDeparture.HasLeft(Snapshot((Silo, status)), Silo));
    }

    [Fact]
    public void A_silo_the_membership_does_not_know_has_not_left()
    {
        var other = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 22222), 100);
        Assert.False(SiloDeparture.HasLeft(Snapshot((other, SiloStatus.Active)), Silo));
    }

    [Fact]
    public void An_older_generation_on_the_endpoint_of_a_member_has_left_but_a_newer_one_has_not()
    {
        var restarted = SiloAddress.New(Silo.Endpoint, Silo.Generation + 1);
        Assert.True(SiloDeparture.HasLeft(Snapshot((restarted, SiloStatus.Active)), Silo));
        var older = SiloAddress.New(Silo.Endpoint, Silo.Generation - 1);
        Assert.False(SiloDeparture.HasLeft(Snapshot((older, SiloStatus.Dead), (Silo, SiloStatus.Active)), Silo));
    }

    private static ClusterMembershipSnapshot Snapshot(params (SiloAddress Silo, SiloStatus Status)[] members) => new(
        members.ToImmutableDictionary(m => m.Silo, m => new ClusterMember(m.Silo, m.Status, m.Silo.ToString())),
        new MembershipVersion(1));
}
