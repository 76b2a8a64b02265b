using Microsoft.Extensions.Hosting;
using NeuroMesh.Hosting;

// A long-running silo node on the embedded default (localhost clustering). Everything else is wired
// by AddNeuroMesh, so this file stays hosting-only.
var builder = Host.CreateApplicationBuilder(args);
builder.UseOrleans(silo => silo
    .UseLocalhostClustering()
    .AddNeuroMesh(builder.Configuration));
await builder.Build().RunAsync();
