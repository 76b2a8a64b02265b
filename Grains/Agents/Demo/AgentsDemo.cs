using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Fabric;
using NeuroMesh.Regions;

namespace NeuroMesh.Agents.Demo;

/// <summary>
/// Runs the agents demo: sensors → classifiers → actuator in two regions, a useful and a noisy classifier route, and
/// critics whose Modulatory spikes drive R-STDP on the classifier → actuator synapses. Agents find each other by
/// capability in the mesh's <see cref="AgentDirectory"/>. The run is ticked (not free-running) and every random choice is
/// seeded, so the same file gives the same numbers.
/// </summary>
public static class AgentsDemo
{
    /// <summary>Runs the demo file at <paramref name="path"/>.</summary>
    public static AgentsDemoResult Run(string path) => Run(AgentsDemoSpec.Load(path));

    /// <summary>Runs a parsed demo.</summary>
    /// <exception cref="ArgumentException">An agent names an unknown behaviour, or the wiring finds no actuator.</exception>
    public static AgentsDemoResult Run(AgentsDemoSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        using var engine = new CpuEngine(spec.Network, new EngineOptions { Threads = 1, AdaptiveParallelism = false });
        using var cortex = new Cortex(engine);
        var behaviours = new Dictionary<uint, (AgentSpec Agent, INeuronBehaviour Behaviour)>();
        var seed = spec.Seed;
        foreach (var agent in spec.Agents)
        {
            var behaviour = Create(agent, seed++);
            var id = spec.NeuronOf(agent);
            cortex.AddAgent(new AgentCard(agent.Name, id, agent.Capabilities, [RegionPath.Parse(agent.Region)]), behaviour);
            behaviours.Add(id, (agent, behaviour));
        }

        foreach (var (_, behaviour) in behaviours.Values)
        {
            (behaviour as IDiscoveringBehaviour)?.Wire(cortex.Directory);
        }

        var sensor = behaviours.Single(b => b.Value.Behaviour is SensorBehaviour);
        var actuator = cortex.Directory.FindByCapability("act").FirstOrDefault()
            ?? throw new ArgumentException("The demo has no agent with capability 'act'.");
        var classifiers = behaviours.Where(b => b.Value.Behaviour is ClassifierBehaviour).OrderBy(b => b.Key).ToArray();
        var initial = classifiers.Select(c => Weight(engine, c.Key, actuator.NeuronId)).ToArray();

        for (var trial = 0; trial < spec.Trials; trial++)
        {
            cortex.Stimulate(sensor.Key);
            for (var tick = 0; tick < spec.TrialTicks; tick++)
            {
                cortex.Step();
            }
        }

        var sent = ((SensorBehaviour)sensor.Value.Behaviour).Sent;
        var routes = classifiers.Select((c, i) => new RouteResult(
            c.Value.Agent.Name, c.Key, ((ClassifierBehaviour)c.Value.Behaviour).Useful, sent.GetValueOrDefault(c.Key), initial[i], Weight(engine, c.Key, actuator.NeuronId))).ToArray();
        var critics = behaviours.Values.Select(b => b.Behaviour).OfType<CriticBehaviour>().ToArray();
        var actions = behaviours.Values.Select(b => b.Behaviour).OfType<ActuatorBehaviour>().Sum(a => a.Actions);
        return new AgentsDemoResult(
            routes,
            spec.Trials,
            actions,
            Rewards: behaviours.Values.Where(b => b.Agent.Behaviour == "critic.reward").Sum(b => ((CriticBehaviour)b.Behaviour).Signals),
            Penalties: behaviours.Values.Where(b => b.Agent.Behaviour == "critic.penalty").Sum(b => ((CriticBehaviour)b.Behaviour).Signals),
            Faults: cortex.Counters.Faults);
    }

    private static INeuronBehaviour Create(AgentSpec agent, int seed) => agent.Behaviour switch
    {
        "sensor" => new SensorBehaviour(seed),
        "classifier.useful" => new ClassifierBehaviour(useful: true, seed),
        "classifier.noisy" => new ClassifierBehaviour(useful: false, seed),
        "actuator" => new ActuatorBehaviour(),
        "critic.reward" => new CriticBehaviour(rewardsCorrect: true),
        "critic.penalty" => new CriticBehaviour(rewardsCorrect: false),
        _ => throw new ArgumentException($"Agent '{agent.Name}': unknown demo behaviour '{agent.Behaviour}' (sensor, classifier.useful, classifier.noisy, actuator, critic.reward, critic.penalty)."),
    };

    private static double Weight(CpuEngine engine, uint source, uint target)
        => engine.TryGetWeight((int)source, (int)target, out var weight)
            ? weight
            : throw new ArgumentException($"The network has no synapse from neuron {source} to the actuator {target}; the classifier → actuator projection is missing.");
}
