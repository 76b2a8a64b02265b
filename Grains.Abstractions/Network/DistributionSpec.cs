using System.Text.Json.Serialization;

namespace NeuroMesh.Network;

/// <summary>
/// A constant or a random distribution. In JSON a bare number is a constant; otherwise
/// <c>{"kind": "uniform", "low": a, "high": b}</c> or <c>{"kind": "normal", "mean": m, "sd": s}</c>.
/// </summary>
[JsonConverter(typeof(DistributionSpecConverter))]
public sealed record class DistributionSpec
{
    /// <summary>"constant", "uniform" (in [low, high)) or "normal".</summary>
    public string Kind { get; init; } = DistributionKinds.Constant;

    /// <summary>The value of a constant.</summary>
    public double Value { get; init; }

    /// <summary>The lower bound of a uniform draw.</summary>
    public double Low { get; init; }

    /// <summary>The upper bound (exclusive) of a uniform draw.</summary>
    public double High { get; init; }

    /// <summary>The mean of a normal draw.</summary>
    public double Mean { get; init; }

    /// <summary>The standard deviation of a normal draw.</summary>
    public double Sd { get; init; }

    /// <summary>A constant.</summary>
    public static DistributionSpec Constant(double value) => new() { Kind = DistributionKinds.Constant, Value = value };

    /// <summary>A uniform draw in [low, high).</summary>
    public static DistributionSpec Uniform(double low, double high) => new() { Kind = DistributionKinds.Uniform, Low = low, High = high };

    /// <summary>The smallest value a draw can take (normal: mean − 6 sd).</summary>
    public double Min => Kind switch { DistributionKinds.Uniform => Low, DistributionKinds.Normal => Mean - (6 * Sd), _ => Value };

    /// <summary>The largest value a draw can take (normal: mean + 6 sd).</summary>
    public double Max => Kind switch { DistributionKinds.Uniform => High, DistributionKinds.Normal => Mean + (6 * Sd), _ => Value };
}
