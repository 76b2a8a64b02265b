using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using NeuroMesh.Network;
using NeuroMesh.Simulation;

namespace NeuroMesh.Silo.Http;

/// <summary>
/// One <c>/spikes/ws</c> connection: sends <c>{"type":"spikes", ...}</c> messages (a <see cref="TapEvent"/>) and takes
/// commands, each answered with a message: <c>{"type":"inject","inputs":[...]}</c> and
/// <c>{"type":"reward","amount":...,"population":...,"tick":...}</c> (need a client that may mutate; answered
/// <c>injected</c> or <c>rewarded</c> with the run's status) and <c>{"type":"filter","population":...,"from":...,"to":...,"maxRate":...}</c>
/// (answered <c>filtered</c>). A bad command is answered <c>{"type":"error","status":...,"field":...,"message":...}</c> and
/// changes nothing; a failed cluster call is answered the same way (statuses as the REST endpoints give them) and the socket
/// stays open. Each inject draws on the client's one mutation budget (<see cref="MutationLimiter"/>, shared with its REST
/// mutations and its other sockets). Commands are read as strictly as REST bodies (duplicate keys refused), and replies
/// are written as REST writes them (enums by name).
/// </summary>
internal sealed class SpikeSocket(
    WebSocket socket, SpikeTapSession session, IGrainFactory grains, string run, bool mayMutate, GatewayOptions options, MutationLimiter limiter, string client)
    : IDisposable
{
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false, MaxDepth = 64 };
    private readonly SemaphoreSlim _send = new(1, 1);

    public void Dispose() => _send.Dispose();

    public async Task RunAsync(CancellationToken cancel)
    {
        using var closing = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var sending = SendLoopAsync(closing.Token);
        try
        {
            await ReceiveLoopAsync(closing.Token);
        }
        finally
        {
            await closing.CancelAsync();
            await sending;
        }
    }

    private async Task SendLoopAsync(CancellationToken cancel)
    {
        try
        {
            while (!cancel.IsCancellationRequested && socket.State == WebSocketState.Open)
            {
                if (await session.NextAsync(SpikeEndpoints.KeepAlive, cancel) is { } next)
                {
                    await SendAsync(next, cancel);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Closing.
        }
        catch (WebSocketException)
        {
            // The peer went away.
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken cancel)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (socket.State == WebSocketState.Open && !cancel.IsCancellationRequested)
        {
            WebSocketReceiveResult received;
            try
            {
                received = await socket.ReceiveAsync(buffer, cancel);
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException)
            {
                return;
            }

            if (received.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                return;
            }

            message.Write(buffer, 0, received.Count);
            if (message.Length > options.MaxBodyBytes)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, $"a message is larger than {options.MaxBodyBytes} bytes", CancellationToken.None);
                return;
            }

            if (received.EndOfMessage)
            {
                var reply = await HandleAsync(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
                message.SetLength(0);
                await SendAsync(reply, cancel);
            }
        }
    }

    private async Task<object> HandleAsync(string text)
    {
        JsonElement command;
        try
        {
            using var document = JsonDocument.Parse(text, Strict);
            command = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return Error(e.Path ?? "$", JsonErrors.Describe(e));
        }

        if (command.ValueKind != JsonValueKind.Object || !command.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            return Error("$.type", "a command is an object with a string 'type': 'inject', 'reward' or 'filter'");
        }

        switch (type.GetString())
        {
            case "inject":
                return await MutateAsync<InjectCommand>(command, "injecting", "injected", c => c.ToRequest().Check(), (g, c) => g.Inject(RunEndpoints.ToInputs(c.Inputs)));

            case "reward":
                return await MutateAsync<RewardCommand>(command, "rewarding", "rewarded", c => c.ToRequest().Check(), (g, c) => g.Reward(c.Amount, c.Population, c.Tick ?? -1));

            case "filter":
                var (filter, invalid) = SpikeFilter.Parse(Text(command, "population"), Text(command, "from"), Text(command, "to"), Text(command, "maxRate"), session.Populations, options.MaxSpikesPerSecond);
                if (invalid is { } p)
                {
                    return Error("$." + p.Field, p.Message);
                }

                session.Filter = filter!;
                return new { type = "filtered", filter!.From, filter.To, populations = Text(command, "population"), maxRate = filter.MaxPerSecond };

            default:
                return Error("$.type", $"unknown command '{type.GetString()}'; the commands are 'inject', 'reward' and 'filter'");
        }
    }

    /// <summary>A command that changes the run: it needs a client that may mutate, draws on its budget, and is answered
    /// <paramref name="answer"/> with the run's status or with the grain's refusal.</summary>
    private async Task<object> MutateAsync<T>(JsonElement command, string doing, string answer, Func<T, (string, string)?> check, Func<ISimulationGrain, T, Task<RunStatus>> call)
        where T : class
    {
        if (!mayMutate)
        {
            return Error("$", $"{doing} needs a configured API key (X-Api-Key, Bearer or ?apiKey= on the WebSocket request), or, on a gateway without keys, a loopback client that names an allowed host (NeuroMesh:Gateway:AllowedHosts) from the gateway's own origin", StatusCodes.Status401Unauthorized);
        }

        T? parsed;
        try
        {
            parsed = command.Deserialize<T>(JsonBody.Options);
        }
        catch (JsonException e)
        {
            return Error(e.Path ?? "$", JsonErrors.Describe(e));
        }

        if (parsed is null)
        {
            return Error("$", "the command is null");
        }

        if (check(parsed) is { } problem)
        {
            return Error(problem.Item1, problem.Item2);
        }

        if (!limiter.TryAcquire(client))
        {
            return Error("$", MutationLimiter.TooManyDetail, StatusCodes.Status429TooManyRequests);
        }

        try
        {
            var status = await call(grains.GetGrain<ISimulationGrain>(run), parsed);
            return new { type = answer, status };
        }
        catch (Exception e) when (GatewayProblems.Classify(e) is { } failed)
        {
            return Error(failed.Field, failed.Message, failed.Status);
        }
    }

    private async Task SendAsync(object message, CancellationToken cancel)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, SpikeEndpoints.Json);
        await _send.WaitAsync(cancel);
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancel);
        }
        finally
        {
            _send.Release();
        }
    }

    private static object Error(string field, string message, int status = StatusCodes.Status400BadRequest) => new { type = "error", status, field, message };

    private static string? Text(JsonElement command, string name)
        => command.TryGetProperty(name, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText() : null;
}
