using ILGPU;
using ILGPU.Runtime;
using NeuroMesh.Engine.Kernels;

namespace NeuroMesh.Engine.Ilgpu;

/// <summary>One state monitor for one run: samples are gathered on the device and copied to the host once, at the end.</summary>
internal sealed class MonitorTrace : IDisposable
{
    private readonly string _name;
    private readonly string _variable;
    private readonly int[] _neurons;
    private readonly long _start;
    private readonly int _interval;
    private readonly int _rows;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _ids;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _values;

    public MonitorTrace(Accelerator a, AcceleratorStream stream, string name, string variable, int[] neurons, long start, int interval, long ticks)
    {
        _name = name;
        _variable = variable;
        _neurons = neurons;
        _start = start;
        _interval = interval;
        _rows = neurons.Length == 0 ? 0 : (int)Math.Min((int.MaxValue / 4) / neurons.Length, (ticks + interval - 1) / interval);
        _ids = a.Allocate1D<int>(Math.Max(1, neurons.Length));
        _values = a.Allocate1D<float>(Math.Max(1, (long)_rows * neurons.Length));
        if (neurons.Length > 0)
        {
            _ids.View.SubView(0, neurons.Length).CopyFromCPU(stream, neurons.AsSpan());
        }
    }

    public void Sample(KernelSet k, AcceleratorStream stream, int tick, NeuronViews n)
    {
        var offset = tick - _start;
        if (offset % _interval != 0 || offset / _interval >= _rows || _neurons.Length == 0)
        {
            return;
        }

        var source = _variable switch { "v" => n.V, "ge" => n.Ge, _ => n.Gi };
        k.Gather(stream, k.For(_neurons.Length), _ids.View.SubView(0, _neurons.Length), source, _values.View, (int)(offset / _interval) * _neurons.Length);
    }

    public StateTrace ToTrace(AcceleratorStream stream)
    {
        var values = new float[_rows * _neurons.Length];
        if (values.Length > 0)
        {
            _values.View.SubView(0, values.Length).CopyToCPU(stream, values.AsSpan());
        }

        stream.Synchronize();
        return new StateTrace(_name, _variable, _neurons, _start, _interval, values);
    }

    public void Dispose()
    {
        _ids.Dispose();
        _values.Dispose();
    }
}
