namespace NeuroMesh.Benchmarks.Suites.Agents;

/// <summary>The message the actor peers (Akka.NET, Proto.Actor) pass: an immutable message number.</summary>
internal sealed record Ball(int Seq);
