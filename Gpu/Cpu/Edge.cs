namespace NeuroMesh.Engine.Cpu;

/// <summary>One synapse during construction (global ids, weight in model units, delay in ticks).</summary>
internal struct Edge
{
    public int Source;
    public int Target;
    public float Weight;
    public int Fixed;
    public ushort Delay;
    public byte Channel;
    public short Plastic;
    public ushort Filter;
}
