using System.Collections.Immutable;

namespace NeuroMesh.Supervision;

/// <summary>
/// How a supervisor treats its children: the strategy, the decider (failure kind → directive), the restart intensity
/// (at most <see cref="MaxRestarts"/> restarts within <see cref="WithinSeconds"/>; one more stops every child and
/// escalates), the exponential backoff with jitter before each restart, and the health checks.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Supervision.SupervisorConfig")]
public sealed record SupervisorConfig
{
    /// <summary>The decider used for a kind the configuration does not name: restart on every failure.</summary>
    public static readonly ImmutableSortedDictionary<FailureKind, SupervisorDirective> DefaultDecider = ImmutableSortedDictionary.CreateRange(
        Enum.GetValues<FailureKind>().Select(k => KeyValuePair.Create(k, SupervisorDirective.Restart)));

    /// <summary>Which children restart with a failed one.</summary>
    [Id(0)] public SupervisionStrategy Strategy { get; init; } = SupervisionStrategy.OneForOne;

    /// <summary>Restarts allowed within <see cref="WithinSeconds"/>, at least 0: each failure handled by a restart counts once, however many children the strategy restarts with it.</summary>
    [Id(1)] public int MaxRestarts { get; init; } = 3;

    /// <summary>The sliding window of the restart intensity, in seconds (&gt; 0).</summary>
    [Id(2)] public double WithinSeconds { get; init; } = 5;

    /// <summary>The directive for each failure kind; kinds not named here restart.</summary>
    [Id(3)] public ImmutableSortedDictionary<FailureKind, SupervisorDirective> Decider { get; init; } = DefaultDecider;

    /// <summary>The delay before a child's first restart in the window, in ms; each further restart doubles it.</summary>
    [Id(4)] public double BackoffBaseMs { get; init; } = 50;

    /// <summary>The largest backoff delay, in ms.</summary>
    [Id(5)] public double BackoffMaxMs { get; init; } = 5000;

    /// <summary>The jitter: each delay is stretched by a factor in [1, 1 + Jitter) (0 to 1).</summary>
    [Id(6)] public double Jitter { get; init; } = 0.2;

    /// <summary>The seed of the jitter: the same seed, child and attempt give the same delay.</summary>
    [Id(7)] public ulong JitterSeed { get; init; } = 1;

    /// <summary>How often the supervisor checks its children, in ms (0: no health checks).</summary>
    [Id(8)] public int HealthCheckPeriodMs { get; init; } = 1000;

    /// <summary>How long one health check of one child may take, in ms.</summary>
    [Id(9)] public int HealthCheckTimeoutMs { get; init; } = 2000;

    /// <summary>Consecutive unanswered health checks a child may miss before it counts as failed (at least 1).</summary>
    [Id(10)] public int MissedChecksAllowed { get; init; } = 3;

    /// <summary>What a restarted child is rebuilt to: everything its log holds, or its configuration with its behaviour's state started over.</summary>
    [Id(11)] public RestartFrom RestartFrom { get; init; } = RestartFrom.LastCheckpoint;

    /// <summary>The directive for <paramref name="kind"/>.</summary>
    public SupervisorDirective Decide(FailureKind kind) => Decider.TryGetValue(kind, out var directive) ? directive : SupervisorDirective.Restart;

    /// <summary>What is wrong with this configuration (naming the setting), or null.</summary>
    public string? Problem() => this switch
    {
        _ when !Enum.IsDefined(Strategy) => $"Strategy {(int)Strategy} is not OneForOne, OneForAll or RestForOne",
        { MaxRestarts: < 0 } => $"MaxRestarts must be 0 or more (got {MaxRestarts})",
        _ when !double.IsFinite(WithinSeconds) || WithinSeconds <= 0 => $"WithinSeconds must be a finite number > 0 (got {WithinSeconds})",
        _ when Decider is null => "Decider must not be null",
        _ when Decider.Any(d => !Enum.IsDefined(d.Key) || !Enum.IsDefined(d.Value))
            => $"Decider maps an undefined failure kind or directive (kinds: {string.Join(", ", Enum.GetNames<FailureKind>())}; directives: {string.Join(", ", Enum.GetNames<SupervisorDirective>())})",
        _ when !double.IsFinite(BackoffBaseMs) || BackoffBaseMs < 0 => $"BackoffBaseMs must be a finite number >= 0 (got {BackoffBaseMs})",
        _ when !double.IsFinite(BackoffMaxMs) || BackoffMaxMs < BackoffBaseMs => $"BackoffMaxMs must be finite and >= BackoffBaseMs (got {BackoffMaxMs}, base {BackoffBaseMs})",
        _ when !double.IsFinite(Jitter) || Jitter is < 0 or > 1 => $"Jitter must be 0 to 1 (got {Jitter})",
        { HealthCheckPeriodMs: < 0 } => $"HealthCheckPeriodMs must be 0 (off) or more (got {HealthCheckPeriodMs})",
        { HealthCheckTimeoutMs: < 1 } => $"HealthCheckTimeoutMs must be positive (got {HealthCheckTimeoutMs})",
        { MissedChecksAllowed: < 1 } => $"MissedChecksAllowed must be at least 1 (got {MissedChecksAllowed})",
        _ when !Enum.IsDefined(RestartFrom) => $"RestartFrom {(int)RestartFrom} is not {string.Join(" or ", Enum.GetNames<RestartFrom>())}",
        _ => null,
    };
}
