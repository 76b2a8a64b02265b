using System.Diagnostics.CodeAnalysis;

namespace NeuroMesh.Network;

/// <summary>Collects <see cref="SpecError"/>s and offers the checks the validator is built from.</summary>
internal sealed class SpecChecker(double dt)
{
    public List<SpecError> Errors { get; } = [];

    public double Dt { get; } = dt;

    public void Error(string path, string message) => Errors.Add(new SpecError(path, message));

    public bool NotNull(string path, [NotNullWhen(true)] object? value)
    {
        if (value is null)
        {
            Error(path, "must not be null");
        }

        return value is not null;
    }

    public bool Finite(string path, double value)
    {
        if (!double.IsFinite(value))
        {
            Error(path, $"must be a finite number (got {value})");
            return false;
        }

        return true;
    }

    public void Positive(string path, double value, string what)
    {
        if (Finite(path, value) && value <= 0)
        {
            Error(path, $"{what} must be > 0 (got {value})");
        }
    }

    public void NonNegative(string path, double value, string what)
    {
        if (Finite(path, value) && value < 0)
        {
            Error(path, $"{what} must be >= 0 (got {value})");
        }
    }

    public void MultipleOfDt(string path, double value)
    {
        if (!double.IsFinite(Dt) || Dt <= 0 || !double.IsFinite(value))
        {
            return;
        }

        var ratio = value / Dt;
        if (Math.Abs(ratio - Math.Round(ratio)) > 1e-6 * Math.Max(1, Math.Abs(ratio)))
        {
            Error(path, $"{value} ms is not a multiple of dt = {Dt} ms");
        }
    }

    public void OneOf(string path, string? value, IReadOnlyList<string> allowed, string what)
    {
        if (value is null || !allowed.Contains(value))
        {
            Error(path, $"unknown {what} '{value}'; expected one of: {string.Join(", ", allowed)}");
        }
    }

    public void UniqueNames(string path, IEnumerable<string?> names)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var name in names)
        {
            if (name is not null)
            {
                if (name.Length == 0)
                {
                    Error($"{path}[{i}].name", "a name is required");
                }
                else if (!seen.Add(name))
                {
                    Error($"{path}[{i}].name", $"duplicate name '{name}'");
                }
            }

            i++;
        }
    }

    public void Indices(string path, int[]? indices, int size)
    {
        if (indices is null)
        {
            return;
        }

        for (var i = 0; i < indices.Length; i++)
        {
            if ((uint)indices[i] >= (uint)size)
            {
                Error($"{path}[{i}]", $"neuron index {indices[i]} is outside the population (size {size})");
            }
        }
    }

    public void Distribution(string path, DistributionSpec? d, bool nonNegative, bool onDtGrid)
    {
        if (!NotNull(path, d))
        {
            return;
        }

        switch (d.Kind)
        {
            case DistributionKinds.Constant:
                if (Finite(path, d.Value))
                {
                    Check(path, d.Value, nonNegative, onDtGrid);
                }

                break;
            case DistributionKinds.Uniform:
                if (Finite($"{path}.low", d.Low) & Finite($"{path}.high", d.High))
                {
                    if (d.Low > d.High)
                    {
                        Error(path, $"low ({d.Low}) must not exceed high ({d.High})");
                    }

                    Check($"{path}.low", d.Low, nonNegative, onDtGrid);
                    Check($"{path}.high", d.High, nonNegative, onDtGrid);
                }

                break;
            case DistributionKinds.Normal:
                if (Finite($"{path}.mean", d.Mean) & Finite($"{path}.sd", d.Sd))
                {
                    NonNegative($"{path}.sd", d.Sd, "sd");
                    if (nonNegative && d.Mean < 0)
                    {
                        Error($"{path}.mean", $"must be >= 0 (got {d.Mean})");
                    }
                }

                break;
            default:
                OneOf($"{path}.kind", d.Kind, [DistributionKinds.Constant, DistributionKinds.Uniform, DistributionKinds.Normal], "distribution");
                break;
        }
    }

    private void Check(string path, double value, bool nonNegative, bool onDtGrid)
    {
        if (nonNegative && value < 0)
        {
            Error(path, $"must be >= 0 (got {value})");
        }
        else if (onDtGrid)
        {
            MultipleOfDt(path, value);
        }
    }
}
