using NeuroMesh.Agents;
using NeuroMesh.Agents.Wasm;
using NeuroMesh.Spikes;

namespace NeuroMesh.Benchmarks.Suites.Agents;

/// <summary>
/// A WASM agent that traps now and then, restarted at once in place (a fresh instance of the same module) as a
/// supervisor would restart it, so that it keeps faulting for the whole run. Every trap still reaches the mesh as a fault.
/// </summary>
internal sealed class RestartingWasmBehaviour(WasmRuntime runtime, WasmModule module) : INeuronBehaviour, IDisposable
{
    /// <summary>Traps (<c>unreachable</c>) on every 100th spike an instance receives.</summary>
    public const string Wat = """
        (module
          (memory (export "memory") 1)
          (global $seen (mut i32) (i32.const 0))
          (func (export "abi_version") (result i32) (i32.const 1))
          (func (export "on_spike") (param i32 i32 i32 i32 i32)
            (global.set $seen (i32.add (global.get $seen) (i32.const 1)))
            (if (i32.eqz (i32.rem_u (global.get $seen) (i32.const 100))) (then unreachable))))
        """;

    private WasmBehaviour _instance = runtime.CreateBehaviour(module);

    public long Restarts { get; private set; }

    public IReadOnlyCollection<string> Capabilities => [];

    public void OnSpike(in Spike spike, NeuronHandle neuron)
    {
        try
        {
            _instance.OnSpike(in spike, neuron);
        }
        finally
        {
            if (_instance.Trap is not null)
            {
                _instance.Dispose();
                _instance = runtime.CreateBehaviour(module);
                Restarts++;
            }
        }
    }

    public void OnFire(NeuronHandle neuron) => _instance.OnFire(neuron);

    public void Dispose() => _instance.Dispose();
}
