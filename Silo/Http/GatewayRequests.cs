using System.Text.Json;

namespace NeuroMesh.Silo.Http;

// The gateway's request bodies. Each Check returns the problem as (JSON path, message), or null when the body is valid;
// checks that need the cluster (an unknown neuron, a tick past the run's end) are the grains' and come back as 4xx too.

/// <summary>POST /api/runs/{id}/step.</summary>
internal sealed record StepRequest(long Ticks)
{
    public (string, string)? Check() => Ticks is < 1 or > 100_000_000 ? ("$.ticks", $"must be between 1 and 100000000 (got {Ticks})") : null;
}

/// <summary>One input of POST /api/runs/{id}/inject.</summary>
internal sealed record InjectInput(long Tick, int Neuron, double Weight, string Channel = "excitatory");

/// <summary>The WebSocket's <c>{"type":"inject","inputs":[...]}</c> command: an <see cref="InjectRequest"/> with its type.</summary>
internal sealed record InjectCommand(string Type, IReadOnlyList<InjectInput> Inputs)
{
    public InjectRequest ToRequest() => new(Inputs);
}

/// <summary>POST /api/runs/{id}/inject.</summary>
internal sealed record InjectRequest(IReadOnlyList<InjectInput> Inputs)
{
    public const int MaxInputs = 100_000;

    public (string, string)? Check()
    {
        if (Inputs.Count is 0 or > MaxInputs)
        {
            return ("$.inputs", $"must hold 1 to {MaxInputs} inputs (got {Inputs.Count})");
        }

        for (var i = 0; i < Inputs.Count; i++)
        {
            var input = Inputs[i];
            if (input is null)
            {
                return ($"$.inputs[{i}]", "must be an object, not null");
            }

            if (input.Tick < 0)
            {
                return ($"$.inputs[{i}].tick", $"must be 0 or more (got {input.Tick})");
            }

            if (input.Neuron < 0)
            {
                return ($"$.inputs[{i}].neuron", $"must be 0 or more (got {input.Neuron})");
            }

            if (!double.IsFinite(input.Weight))
            {
                return ($"$.inputs[{i}].weight", "must be finite");
            }

            if (input.Channel is not ("excitatory" or "inhibitory" or "modulatory"))
            {
                return ($"$.inputs[{i}].channel", $"must be 'excitatory', 'inhibitory' or 'modulatory' (got '{input.Channel}')");
            }
        }

        return null;
    }
}

/// <summary>
/// POST /api/runs/{id}/reward: a reward of <see cref="Amount"/> to every
/// neuron of <see cref="Population"/> (null: every neuron that receives R-STDP synapses) at <see cref="Tick"/> (null: now).
/// </summary>
internal sealed record RewardRequest(double Amount, string? Population = null, long? Tick = null)
{
    public (string, string)? Check()
    {
        if (!double.IsFinite(Amount) || Amount == 0)
        {
            return ("$.amount", $"must be a finite number other than 0 (got {Amount})");
        }

        if (Population is { Length: 0 })
        {
            return ("$.population", "must name a population, or be left out for every neuron that receives R-STDP synapses");
        }

        return Tick < 0 ? ("$.tick", $"must be 0 or more, or left out for the run's current tick (got {Tick})") : null;
    }
}

/// <summary>The WebSocket's <c>{"type":"reward",...}</c> command: a <see cref="RewardRequest"/> with its type.</summary>
internal sealed record RewardCommand(string Type, double Amount, string? Population = null, long? Tick = null)
{
    public RewardRequest ToRequest() => new(Amount, Population, Tick);
}

/// <summary>POST /api/runs/{id}/replay.</summary>
internal sealed record ReplayRequest(long ToTick = -1, int Silos = 0, bool FromSnapshot = true)
{
    public (string, string)? Check() => Silos < 0 ? ("$.silos", $"must be 0 (as deployed) or more (got {Silos})") : null;
}

/// <summary>POST /api/runs/{id}/rescale.</summary>
internal sealed record RescaleRequest(int Silos)
{
    public (string, string)? Check() => Silos < 1 ? ("$.silos", $"must be 1 or more (got {Silos})") : null;
}

/// <summary>POST /api/runs/{id}/fork: the source run, its snapshot's tick, and the changes to the spec.</summary>
internal sealed record ForkRequest(string From, long Tick, IReadOnlyList<string>? Set = null, JsonElement? SpecPatch = null, int Silos = 0)
{
    public (string, string)? Check() => string.IsNullOrEmpty(From) ? ("$.from", "names the run to fork (required)")
        : Tick < 1 ? ("$.tick", $"must be the tick of one of the source's snapshots, 1 or more (got {Tick})")
        : Silos < 0 ? ("$.silos", $"must be 0 (every active silo) or more (got {Silos})")
        : Set?.Any(s => s is null || !s.Contains('=', StringComparison.Ordinal)) == true ? ("$.set", "each change is a PATH=VALUE string")
        : null;
}

/// <summary>POST /api/regions/members and DELETE of one.</summary>
internal sealed record RegionMemberRequest(string Region, long Neuron);

/// <summary>POST /api/regions/slice: a slice of a NetworkSpec for a region.</summary>
internal sealed record RegionSliceRequest(string Region, JsonElement Spec, IReadOnlyList<string> Populations);

/// <summary>PUT /api/neurons/{id}: the neuron's region and parameters.</summary>
internal sealed record NeuronConfigRequest(string Region, int RefractoryTicks = 0, IReadOnlyDictionary<string, double>? Params = null);

/// <summary>PUT /api/neurons/{id}/synapses: an outgoing synapse.</summary>
internal sealed record SynapseRequest(long Target, double Weight, double DelayMs = 0);

/// <summary>POST /api/neurons/{id}/behaviour.</summary>
internal sealed record BehaviourRequest(string Behaviour);

/// <summary>POST /api/agents: a card owned by <see cref="Region"/>.</summary>
internal sealed record AgentRegisterRequest(
    string Region,
    string Name,
    long NeuronId,
    IReadOnlyList<string>? Capabilities = null,
    IReadOnlyList<string>? Regions = null,
    IReadOnlyDictionary<string, string>? Metadata = null);

/// <summary>POST /api/regions/wasm-swap: the module to swap onto the region's members, optionally only those running <c>From</c>.</summary>
internal sealed record RegionWasmSwapRequest(string Region, string Module, string? From = null);

/// <summary>POST /api/neurons/{id}/wasm-swap: the module the neuron switches to.</summary>
internal sealed record NeuronWasmSwapRequest(string Module);
