using Microsoft.Extensions.Options;
using NeuroMesh.Hosting;
using NeuroMesh.Silo.Commands;
using NeuroMesh.Silo.Hosting;
using NeuroMesh.Silo.Http;

// `run SPEC.json` runs a network and prints its summary; `replay RUN-ID` rebuilds a logged run and checks it; with no verb this is a long-running silo node on the
// embedded default (localhost clustering, NeuroMesh:Clustering) with its HTTP endpoints. Everything else is wired by AddNeuroMesh, so this file stays hosting-only.
if (args.Length > 0 && args[0] == "run")
{
    return await EmbeddedRunCommand.ExecuteAsync(args[1..], Console.Out, Console.Error);
}

if (args.Length > 0 && args[0] == "replay")
{
    return await EmbeddedReplayCommand.ExecuteAsync(args[1..], Console.Out, Console.Error);
}

if (args.Length > 0 && !args[0].StartsWith('-'))
{
    Console.Error.WriteLine($"unknown verb '{args[0]}'");
    Console.Error.WriteLine(EmbeddedRunCommand.Usage);
    Console.Error.WriteLine(EmbeddedReplayCommand.Usage);
    return 2;
}

// The node: an Orleans silo and, on the same host, its HTTP endpoints (Urls in appsettings.json, ASPNETCORE_URLS or --urls;
// https:// addresses with NeuroMesh:Gateway:Https). The content root is the program's folder (appsettings.json is copied
// there), not the working folder: `dotnet run` runs in the folder the user typed it from (RunWorkingDirectory), where
// relative data paths such as ./data resolve. An invalid setting stops the node with one line naming it and exit code 78
// (EX_CONFIG), not a stack trace.
try
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.AddNeuroMeshHttps();
    builder.UseOrleans(silo => silo
        .UseNeuroMeshClustering(builder.Configuration)
        .AddNeuroMesh(builder.Configuration));
    builder.Services.AddNeuroMeshGateway(builder.Configuration);
    builder.AddNeuroMeshTelemetry();
    var app = builder.Build();
    app.UseNeuroMeshHttps();
    app.MapHealthEndpoints();
    app.MapNeuroMeshGateway();
    app.MapPrometheusScrapingEndpoint();
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException e)
{
    Console.Error.WriteLine($"neuromesh: invalid configuration: {string.Join(" ", e.Failures)}");
    return 78;
}
