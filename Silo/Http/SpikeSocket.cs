using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using NeuroMesh.Simulation;

namespace NeuroMesh.Silo.Http;

/// <summary>
/// One <c>/spikes/ws</c> connection: sends <c>{"type":"spikes", ...}</c> messages (a <see cref="TapEvent"/>) and takes
/// commands, each answered with a message: <c>{"type":"inject","inputs":[...]}</c> (needs a client that may mutate; answered
/// <c>injected</c> with the run's status) and <c>{"type":"filter","population":...,"from":...,"to":...,"maxRate":...}</c>
/// (answered <c>filtered</c>). A bad command is answered <c>{"type":"error","field":...,"message":...}</c> and changes nothing.
/// </summary>
internal sealed class SpikeSocket(WebSocket socket, SpikeTapSession session, IGrainFactory grains, string run, bool mayMutate, GatewayOptions options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SemaphoreSlim _send = new(1, 1);

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
                if (await session.NextAsync(TimeSpan.FromSeconds(10), cancel) is { } next)
                {
                    await SendAsync(new { type = "spikes", next.Run, next.FromTick, next.ToTick, next.Dt, next.Ticks, next.Neurons, next.Fired, next.Filtered, next.SampledAway, next.MissedTicks, next.DroppedSpikes, next.PopulationFired }, cancel);
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
            command = JsonSerializer.Deserialize<JsonElement>(text);
        }
        catch (JsonException e)
        {
            return Error(e.Path ?? "$", e.Message);
        }

        if (command.ValueKind != JsonValueKind.Object || !command.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            return Error("$.type", "a command is an object with a string 'type': 'inject' or 'filter'");
        }

        switch (type.GetString())
        {
            case "inject":
                if (!mayMutate)
                {
                    return Error("$", "injecting needs a configured API key (X-Api-Key, Bearer or ?apiKey= on the WebSocket request)");
                }

                InjectRequest? request;
                try
                {
                    request = JsonSerializer.Deserialize<InjectRequest>(Without(command, "type"), JsonBody.Options);
                }
                catch (JsonException e)
                {
                    return Error(e.Path ?? "$", e.Message);
                }

                if (request is null)
                {
                    return Error("$", "the command is null");
                }

                if (request.Check() is { } problem)
                {
                    return Error(problem.Item1, problem.Item2);
                }

                try
                {
                    var status = await grains.GetGrain<ISimulationGrain>(run).Inject(RunEndpoints.ToInputs(request.Inputs));
                    return new { type = "injected", status };
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException)
                {
                    return Error(e is ArgumentException a ? a.ParamName ?? "$.inputs" : "$", e.Message);
                }

            case "filter":
                var populations = await SpikeTapSession.PopulationsAsync(grains, run) ?? [];
                var (filter, invalid) = SpikeFilter.Parse(Text(command, "population"), Text(command, "from"), Text(command, "to"), Text(command, "maxRate"), populations, options.MaxSpikesPerSecond);
                if (invalid is { } p)
                {
                    return Error("$." + p.Field, p.Message);
                }

                session.Filter = filter!;
                return new { type = "filtered", filter!.From, filter.To, populations = Text(command, "population"), maxRate = filter.MaxPerSecond };

            default:
                return Error("$.type", $"unknown command '{type.GetString()}'; the commands are 'inject' and 'filter'");
        }
    }

    private async Task SendAsync(object message, CancellationToken cancel)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, Json);
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

    private static object Error(string field, string message) => new { type = "error", field, message };

    private static string? Text(JsonElement command, string name)
        => command.TryGetProperty(name, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText() : null;

    private static string Without(JsonElement command, string name)
    {
        var copy = new Dictionary<string, JsonElement>();
        foreach (var property in command.EnumerateObject())
        {
            if (property.Name != name)
            {
                copy[property.Name] = property.Value;
            }
        }

        return JsonSerializer.Serialize(copy);
    }
}
