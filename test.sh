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

results=TestResults
rm -rf "$results"
mkdir -p "$results"

echo "test.sh: building (Release, warnings as errors)"
if ! dotnet build NeuroMesh.slnx -c Release -warnaserror > "$results/build.log" 2>&1; then
  grep -E "error|Error" "$results/build.log" | sort -u | head -50 >&2 || true
  echo "test.sh: build failed; full log in $results/build.log" >&2
  exit 1
fi

status=0
dotnet test NeuroMesh.slnx -c Release --no-build --results-directory "$results" \
  --logger "console;verbosity=normal" --logger "trx;LogFilePrefix=tests" "$@" || status=$?

# One closing line over every test assembly: "N passed, N failed, N skipped".
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
done
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
