using Akka.Actor;

namespace NeuroMesh.Benchmarks.Suites.Agents;

/// <summary>Shared tallies an actor writes and the driver reads after the completion signal (which orders the reads after the writes).</summary>
internal sealed class Tally
{
    public long Count;
    public long Checksum;
}

/// <summary>Ping-pong, serving side: on <see cref="Ball"/> 0's return, sends the next until done.</summary>
internal sealed class AkkaPinger(IActorRef partner, int roundTrips, Tally tally, ManualResetEventSlim done) : UntypedActor
{
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case string:
                partner.Tell(new Ball(0), Self);
                break;
            case Ball ball:
                tally.Checksum += ball.Seq;
                if (++tally.Count < roundTrips)
                {
                    partner.Tell(new Ball(ball.Seq + 1), Self);
                }
                else
                {
                    done.Set();
                }

                break;
            default:
                Unhandled(message);
                break;
        }
    }
}

/// <summary>Ping-pong, returning side: tells every ball back to its sender.</summary>
internal sealed class AkkaPonger(Tally tally) : UntypedActor
{
    protected override void OnReceive(object message)
    {
        if (message is Ball ball)
        {
            tally.Count++;
            tally.Checksum += ball.Seq;
            Sender.Tell(ball, Self);
        }
        else
        {
            Unhandled(message);
        }
    }
}

/// <summary>Fan-out, sending side: on an int n, tells balls 0..n-1 to every subscriber.</summary>
internal sealed class AkkaPublisher(IActorRef[] subscribers) : UntypedActor
{
    protected override void OnReceive(object message)
    {
        if (message is int messages)
        {
            for (var seq = 0; seq < messages; seq++)
            {
                var ball = new Ball(seq);
                foreach (var subscriber in subscribers)
                {
                    subscriber.Tell(ball, Self);
                }
            }
        }
        else
        {
            Unhandled(message);
        }
    }
}

/// <summary>Fan-out, receiving side: counts and checksums, signals once it has them all.</summary>
internal sealed class AkkaSubscriber(int expected, Tally tally, CountdownEvent done) : UntypedActor
{
    protected override void OnReceive(object message)
    {
        if (message is Ball ball)
        {
            tally.Checksum += ball.Seq;
            if (++tally.Count == expected)
            {
                done.Signal();
            }
        }
        else
        {
            Unhandled(message);
        }
    }
}
