using NeuroMesh.Agents;
using NeuroMesh.Fabric;
using NeuroMesh.Tests.Agents;

namespace NeuroMesh.Tests.Fabric;

[Trait("Tier", "Unit")]
public class CortexModeTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    /// <summary>A sensor feeding three classifiers feeding an actuator, plus a ping-pong pair; payloads inline and in the arena.</summary>
    private static void Build(Cortex mesh, List<Delivery> log)
    {
        mesh.AddNeuron(1, new Sensor([1], [2, 3], [.. Enumerable.Range(0, 300).Select(i => (byte)i)]));
        mesh.AddNeuron(9, new Recorder(log));
        foreach (var id in new uint[] { 3, 4, 5 })
        {
            mesh.AddNeuron(id, new Classifier(log));
            mesh.Subscribe(1, id);
            mesh.Subscribe(id, 9);
        }

        mesh.AddNeuron(20, new PingPong(log, partner: 21, rounds: 25));
        mesh.AddNeuron(21, new PingPong(log, partner: 20, rounds: 25));
    }

    private static void Seed(Cortex mesh)
    {
        mesh.Stimulate(1);
        mesh.Stimulate(20);
    }

    [Theory]
    [InlineData(WaitStrategy.YieldThenPark)]
    [InlineData(WaitStrategy.SpinWait)]
    public void Free_running_and_ticked_modes_deliver_the_same_spikes(WaitStrategy strategy)
    {
        var ticked = new List<Delivery>();
        CortexCounters tickedCounters;
        using (var mesh = new Cortex(new CortexOptions { MaxNeurons = 8, RingCapacity = 64 }))
        {
            Build(mesh, ticked);
            Seed(mesh);
            mesh.RunUntilIdle();
            tickedCounters = mesh.Counters;
        }

        var free = new List<Delivery>();
        CortexCounters freeCounters;
        using (var mesh = new Cortex(new CortexOptions { MaxNeurons = 8, RingCapacity = 64, WaitStrategy = strategy }))
        {
            Build(mesh, free);

            // Seed while stopped so that both stimuli land in the first pass, exactly as in ticked mode.
            Seed(mesh);
            mesh.Start();
            Assert.True(mesh.WaitForIdle(Generous));
            mesh.Stop();
            freeCounters = mesh.Counters;
        }

        Assert.Equal(9 + 9 + 26, ticked.Count);
        Assert.Equal(ticked.Select(d => d.ToString()), free.Select(d => d.ToString()));
        Assert.Equal(tickedCounters, freeCounters);
        Assert.True(freeCounters.Balances);
    }

    [Fact]
    public void A_parked_free_running_mesh_wakes_for_input_and_keeps_accounting_exact()
    {
        var log = new List<Delivery>();
        using var mesh = new Cortex(new CortexOptions { MaxNeurons = 4, RingCapacity = 16 });
        mesh.AddNeuron(1, new Sensor([7]));
        mesh.AddNeuron(2, new Recorder(log));
        mesh.Subscribe(1, 2);
        mesh.Start();
        Assert.Throws<InvalidOperationException>(() => mesh.Step());
        Assert.Throws<InvalidOperationException>(() => mesh.Start());
        for (var i = 0; i < 50; i++)
        {
            mesh.Stimulate(1);
            Assert.True(mesh.WaitForIdle(Generous));
        }

        mesh.Stop();
        Assert.False(mesh.IsRunning);
        Assert.Equal(50, log.Count);
        var counters = mesh.Counters;
        Assert.True(counters.Balances);
        Assert.Equal(50, counters.Delivered);

        // After Stop the same mesh steps by hand.
        mesh.Stimulate(1);
        mesh.RunUntilIdle();
        Assert.Equal(51, log.Count);
    }

    [Fact]
    public void Input_racing_a_busy_free_running_loop_is_never_lost()
    {
        // Passes with no pending input skip the input lock; stimuli that land while the loop is busy with other
        // traffic (a ping-pong pair here) must still all be routed by a later pass.
        var log = new List<Delivery>();
        var rally = new List<Delivery>();
        using var mesh = new Cortex(new CortexOptions { MaxNeurons = 8, RingCapacity = 2048 });
        mesh.AddNeuron(1, new Sensor([7]));
        mesh.AddNeuron(2, new Recorder(log));
        mesh.Subscribe(1, 2);
        mesh.AddNeuron(20, new PingPong(rally, partner: 21, rounds: 250));
        mesh.AddNeuron(21, new PingPong(rally, partner: 20, rounds: 250));
        mesh.Start();
        mesh.Stimulate(20);
        var stimulator = new Thread(() =>
        {
            for (var i = 0; i < 1_000; i++)
            {
                mesh.Stimulate(1);
            }
        });
        stimulator.Start();
        stimulator.Join();
        Assert.True(mesh.WaitForIdle(Generous));
        mesh.Stop();

        Assert.Equal(1_000, log.Count);
        Assert.Equal(251, rally.Count);
        var counters = mesh.Counters;
        Assert.True(counters.Balances);
        Assert.Equal(0, counters.StimuliDropped);
        Assert.Equal(1_000 + 251, counters.Delivered);
    }

    [Fact]
    public void Ticking_behaviours_keep_time_in_a_free_running_mesh()
    {
        var metronome = new Metronome();
        using var mesh = new Cortex(new CortexOptions { MaxNeurons = 2, RingCapacity = 16, IdleTickInterval = TimeSpan.FromMilliseconds(1) });
        mesh.AddNeuron(1, metronome, refractoryTicks: 1);
        mesh.Start();
        SpinWait.SpinUntil(() => mesh.Counters.Fired >= 3, Generous);
        mesh.Stop();
        var counters = mesh.Counters;
        Assert.True(counters.Fired >= 3);
        Assert.True(counters.RefusedRefractory >= counters.Fired - 1);
        Assert.True(counters.Balances);
    }
}
