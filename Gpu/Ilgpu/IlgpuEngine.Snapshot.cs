using NeuroMesh.Engine.Snapshots;

namespace NeuroMesh.Engine.Ilgpu;

/// <summary>Engine snapshots on the device: not written yet (see docs/snapshots.md); a run placed here recovers by replay.</summary>
public sealed partial class IlgpuEngine
{
    /// <inheritdoc />
    public EngineState ExportState()
        => throw new NotSupportedException("IlgpuEngine does not write engine snapshots yet; runs on the device recover by replay from their last snapshot taken on CpuEngine, or from tick 0");

    /// <inheritdoc />
    public void ImportState(EngineState state)
        => throw new NotSupportedException("IlgpuEngine does not restore engine snapshots yet; place the run on CpuEngine (NeuroMesh:Gpu:Offload=cpu) to restore one");
}
