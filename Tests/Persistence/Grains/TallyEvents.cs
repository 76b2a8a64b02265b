namespace NeuroMesh.Tests.Persistence.Grains;

/// <summary>Events of the test grain.</summary>
[GenerateSerializer]
public abstract record TallyEvent;

/// <summary>An amount was added.</summary>
[GenerateSerializer, Immutable]
public sealed record TallyAdded([property: Id(0)] int Amount) : TallyEvent;

/// <summary>The tally was reset to zero.</summary>
[GenerateSerializer, Immutable]
public sealed record TallyReset : TallyEvent;
