using Proto;

namespace NeuroMesh.Benchmarks.Suites.Agents;

/// <summary>Tells a Proto.Actor ping-pong actor whom to send to; answered with true once set.</summary>
internal sealed record Partner(PID Pid);

/// <summary>Ping-pong, both sides: a <see cref="Ball"/> is sent to the partner with Send; the server counts returns and stops after the last.</summary>
internal sealed class ProtoPlayer(int roundTrips, Tally tally, ManualResetEventSlim? done) : IActor
{
    private PID? _partner;

    public Task ReceiveAsync(IContext context)
    {
        switch (context.Message)
        {
            case Partner partner:
                _partner = partner.Pid;
                context.Respond(true);
                break;
            case string:
                context.Send(_partner!, new Ball(0));
                break;
            case Ball ball when done is null:
                // Returning side.
                tally.Count++;
                tally.Checksum += ball.Seq;
                context.Send(_partner!, ball);
                break;
            case Ball ball:
                tally.Checksum += ball.Seq;
                if (++tally.Count < roundTrips)
                {
                    context.Send(_partner!, new Ball(ball.Seq + 1));
                }
                else
                {
                    done.Set();
                }

                break;
        }

        return Task.CompletedTask;
    }
}

/// <summary>Fan-out, sending side: on an int n, sends balls 0..n-1 to every subscriber.</summary>
internal sealed class ProtoPublisher(PID[] subscribers) : IActor
{
    public Task ReceiveAsync(IContext context)
    {
        if (context.Message is int messages)
        {
            for (var seq = 0; seq < messages; seq++)
            {
                var ball = new Ball(seq);
                foreach (var subscriber in subscribers)
                {
                    context.Send(subscriber, ball);
                }
            }
        }

        return Task.CompletedTask;
    }
}

/// <summary>Fan-out, receiving side: counts and checksums, signals once it has them all.</summary>
internal sealed class ProtoSubscriber(int expected, Tally tally, CountdownEvent done) : IActor
{
    public Task ReceiveAsync(IContext context)
    {
        if (context.Message is Ball ball)
        {
            tally.Checksum += ball.Seq;
            if (++tally.Count == expected)
            {
                done.Signal();
            }
        }

        return Task.CompletedTask;
    }
}
