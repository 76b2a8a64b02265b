using NeuroMesh.Spikes;

namespace NeuroMesh.Agents.Demo;

/// <summary>A demo behaviour that is wired to its peers by discovery, once every agent's card is registered.</summary>
public interface IDiscoveringBehaviour : INeuronBehaviour
{
    /// <summary>Finds its peers in <paramref name="directory"/>.</summary>
    void Wire(AgentDirectory directory);
}

/// <summary>
/// Observes a class (0 or 1) each time it fires, sends the observation to one classifier found by capability
/// <c>classify</c> (chosen at random: exploration), and tells every <c>judge</c> the truth.
/// </summary>
public sealed class SensorBehaviour(int seed) : IDiscoveringBehaviour
{
    private readonly Random _random = new(seed);
    private uint[] _classifiers = [];
    private uint[] _judges = [];

    /// <inheritdoc />
    public IReadOnlyCollection<string> Capabilities => ["sense"];

    /// <summary>Observations sent, per classifier neuron.</summary>
    public Dictionary<uint, int> Sent { get; } = [];

    /// <inheritdoc />
    public void Wire(AgentDirectory directory)
    {
        _classifiers = [.. directory.FindByCapability("classify").Select(c => c.NeuronId)];
        _judges = [.. directory.FindByCapability("judge").Select(c => c.NeuronId)];
    }

    /// <inheritdoc />
    public void OnSpike(in Spike spike, NeuronHandle neuron)
    {
    }

    /// <inheritdoc />
    public void OnFire(NeuronHandle neuron)
    {
        if (_classifiers.Length == 0)
        {
            return;
        }

        byte truth = (byte)_random.Next(2);
        var classifier = _classifiers[_random.Next(_classifiers.Length)];
        Sent[classifier] = Sent.GetValueOrDefault(classifier) + 1;
        neuron.FireTo(classifier, [truth]);
        foreach (var judge in _judges)
        {
            neuron.FireTo(judge, [truth]);
        }
    }
}

/// <summary>Classifies an observation and broadcasts its prediction; the useful one is right, the noisy one guesses.</summary>
public sealed class ClassifierBehaviour(bool useful, int seed) : INeuronBehaviour
{
    private readonly Random _random = new(seed);

    /// <inheritdoc />
    public IReadOnlyCollection<string> Capabilities => ["classify"];

    /// <summary>True for the classifier that is always right.</summary>
    public bool Useful => useful;

    /// <inheritdoc />
    public void OnSpike(in Spike spike, NeuronHandle neuron)
    {
        var truth = neuron.ReadPayload(spike)[0];
        byte prediction = useful ? truth : (byte)_random.Next(2);
        neuron.Broadcast([prediction]);
    }

    /// <inheritdoc />
    public void OnFire(NeuronHandle neuron)
    {
    }
}

/// <summary>Acts on the first prediction from a <c>classify</c> agent in a pass: broadcasts the predicted class as its action.</summary>
public sealed class ActuatorBehaviour : IDiscoveringBehaviour
{
    private uint _lastTick = uint.MaxValue;
    private HashSet<uint> _classifiers = [];

    /// <inheritdoc />
    public IReadOnlyCollection<string> Capabilities => ["act"];

    /// <summary>Actions taken.</summary>
    public int Actions { get; private set; }

    /// <inheritdoc />
    public void Wire(AgentDirectory directory) => _classifiers = [.. directory.FindByCapability("classify").Select(c => c.NeuronId)];

    /// <inheritdoc />
    public void OnSpike(in Spike spike, NeuronHandle neuron)
    {
        if (!_classifiers.Contains(spike.Source) || neuron.Tick == _lastTick)
        {
            return;
        }

        _lastTick = neuron.Tick;
        Actions++;
        neuron.Broadcast(neuron.ReadPayload(spike));
    }

    /// <inheritdoc />
    public void OnFire(NeuronHandle neuron)
    {
    }
}

/// <summary>
/// Judges each action against the truth the sensor told it, and fires a Modulatory spike when the action deserves its
/// signal: the reward critic when it was right, the penalty critic when it was wrong. The spec's modulatory projections
/// (positive for reward, negative for penalty) turn that spike into R-STDP's third factor at the actuator.
/// </summary>
public sealed class CriticBehaviour(bool rewardsCorrect) : IDiscoveringBehaviour
{
    private int _truth = -1;
    private HashSet<uint> _actuators = [];

    /// <inheritdoc />
    public IReadOnlyCollection<string> Capabilities => ["judge"];

    /// <summary>Modulatory spikes sent.</summary>
    public int Signals { get; private set; }

    /// <inheritdoc />
    public void Wire(AgentDirectory directory) => _actuators = [.. directory.FindByCapability("act").Select(c => c.NeuronId)];

    /// <inheritdoc />
    public void OnSpike(in Spike spike, NeuronHandle neuron)
    {
        var value = neuron.ReadPayload(spike)[0];
        if (!_actuators.Contains(spike.Source))
        {
            _truth = value;
            return;
        }

        if (_truth >= 0 && (value == _truth) == rewardsCorrect)
        {
            Signals++;
            neuron.Broadcast([value], SpikeType.Modulatory);
        }

        _truth = -1;
    }

    /// <inheritdoc />
    public void OnFire(NeuronHandle neuron)
    {
    }
}
