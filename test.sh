#!/usr/bin/env bash
# The test command: installs what the tests need when it is missing, starts those services on
# loopback, runs the whole xunit suite in Release, and stops the services again.
#   ./test.sh                 every test
#   ./test.sh --filter X      passes the filter to dotnet test (e.g. --filter "FullyQualifiedName~Axon")
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export NUGET_XMLDOC_MODE=skip

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET 10 SDK is required (https://dotnet.microsoft.com/download); 'dotnet' is not on PATH" >&2
  exit 1
fi

# Services the tests need are started here, on loopback, and stopped on exit (later issues add
# PostgreSQL, Chromium and Prometheus). Nothing is needed yet.
cleanup() { :; }
trap cleanup EXIT

dotnet build NeuroMesh.slnx -c Release -warnaserror 2>&1 | tail -n 3
dotnet test NeuroMesh.slnx -c Release --no-build --logger "console;verbosity=normal" "$@"
