#!/usr/bin/env bash
# The docker-compose topology as plain processes on loopback: 3 silo nodes, PostgreSQL (delta logs, and clustering with
# --clustering postgres) and Prometheus scraping every silo's /metrics. No container engine needed.
#
#   deploy/local-cluster.sh up [--dir DIR] [--clustering localhost|postgres]
#   deploy/local-cluster.sh down [--dir DIR]
#
# `up` prints the gateways, HTTP endpoints and Prometheus URL and writes them to DIR/cluster.env (sourceable):
#   CLUSTER_ID, GATEWAYS (comma-separated ip:port), HTTP (comma-separated base URLs), PROMETHEUS_URL, POSTGRES.
# Clustering: `localhost` (default) makes silo 1 the primary and silos 2 and 3 its secondaries; `postgres` uses Orleans
# ADO.NET clustering on the same PostgreSQL (NeuroMesh__Clustering__Provider=Postgres).
# Environment:
#   NEUROMESH_SILO_DLL        the node to run (default: Silo/bin/Release/net10.0/NeuroMesh.Silo.dll, built if missing)
#   NEUROMESH_LOCAL_POSTGRES  an Npgsql connection string to use instead of starting a throwaway PostgreSQL
#   PROMETHEUS                the prometheus binary (default: prometheus on PATH; skipped with a note when missing)
set -euo pipefail
cd "$(dirname "$0")/.."

verb=${1:-}
shift || true
dir=${TMPDIR:-/tmp}/neuromesh-local
clustering=localhost
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    --clustering) clustering=$2; shift 2 ;;
    *) echo "local-cluster.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
case "$clustering" in localhost|postgres) ;; *) echo "local-cluster.sh: --clustering must be localhost or postgres (got '$clustering')" >&2; exit 2 ;; esac

# shellcheck source=deploy/lib/pg.sh
. deploy/lib/pg.sh
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 40000))
    if ! (: </dev/tcp/127.0.0.1/$port) 2>/dev/null && ! grep -qx "$port" "$dir/ports" 2>/dev/null; then
      echo "$port" >> "$dir/ports"
      echo "$port"
      return
    fi
  done
  echo "local-cluster.sh: no free port found" >&2
  exit 1
}

down() {
  [ -d "$dir" ] || { echo "local-cluster.sh: nothing at $dir"; return; }
  for pidfile in "$dir"/*.pid; do
    [ -f "$pidfile" ] || continue
    kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  if [ -f "$dir/pg_bin" ]; then
    pg_stop "$(cat "$dir/pg_bin")" "$dir/pg"
  fi
  rm -rf "$dir"
  echo "local-cluster.sh: stopped and removed $dir"
}

wait_http() { # wait_http URL SECONDS LOG
  for _ in $(seq 1 $(($2 * 2))); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "local-cluster.sh: $1 did not answer within $2 s; log: $3" >&2
  tail -30 "$3" >&2 || true
  return 1
}

up() {
  if [ -d "$dir" ]; then
    echo "local-cluster.sh: $dir exists; run 'deploy/local-cluster.sh down --dir $dir' first" >&2
    exit 1
  fi
  mkdir -p "$dir"
  local dll=${NEUROMESH_SILO_DLL:-Silo/bin/Release/net10.0/NeuroMesh.Silo.dll}
  if [ ! -f "$dll" ]; then
    echo "local-cluster.sh: building the silo (Release)"
    dotnet build Silo -c Release -v q -nologo > "$dir/build.log" 2>&1 || { tail -30 "$dir/build.log" >&2; exit 1; }
  fi
  dll=$(cd "$(dirname "$dll")" && pwd)/$(basename "$dll")

  # PostgreSQL: the given one, or a throwaway server in $dir/pg on a free loopback port.
  local postgres=${NEUROMESH_LOCAL_POSTGRES:-}
  if [ -z "$postgres" ]; then
    local pg_bin
    pg_bin=$(pg_bin_dir)
    [ -n "$pg_bin" ] || { echo "local-cluster.sh: PostgreSQL is missing (apt-get install -y postgresql) or set NEUROMESH_LOCAL_POSTGRES" >&2; exit 1; }
    echo "$pg_bin" > "$dir/pg_bin"
    if [ "$(id -u)" -eq 0 ]; then chmod o+x "$dir"; fi
    local pg_port
    pg_port=$(free_port)
    pg_start "$pg_bin" "$dir/pg" "$pg_port" "$dir/pg-initdb.log" || { echo "local-cluster.sh: PostgreSQL did not start on 127.0.0.1:$pg_port" >&2; exit 1; }
    postgres="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
  fi

  local cluster="local-$$-$RANDOM" gateways="" https="" primary="" i
  for i in 1 2 3; do
    local silo_port gateway_port http_port
    silo_port=$(free_port); gateway_port=$(free_port); http_port=$(free_port)
    (
      export Urls="http://127.0.0.1:$http_port" DOTNET_ENVIRONMENT=Production Logging__LogLevel__Default=Warning
      export NeuroMesh__Clustering__ClusterId=$cluster NeuroMesh__Clustering__ServiceId=$cluster
      export NeuroMesh__Clustering__SiloPort=$silo_port NeuroMesh__Clustering__GatewayPort=$gateway_port
      export NeuroMesh__DeltaLog__Backend=postgres NeuroMesh__DeltaLog__ConnectionString="$postgres"
      if [ "$clustering" = postgres ]; then
        export NeuroMesh__Clustering__Provider=Postgres NeuroMesh__Clustering__ConnectionString="$postgres"
      elif [ -n "$primary" ]; then
        export NeuroMesh__Clustering__PrimarySiloEndpoint=$primary
      fi
      cd "$(dirname "$dll")"
      exec dotnet "$dll" > "$dir/silo$i.log" 2>&1
    ) &
    echo $! > "$dir/silo$i.pid"
    # The primary must be up before the secondaries join it; every silo must be ready before the next starts.
    wait_http "http://127.0.0.1:$http_port/health/ready" 120 "$dir/silo$i.log" || { down; exit 1; }
    [ -n "$primary" ] || primary="127.0.0.1:$silo_port"
    gateways="${gateways:+$gateways,}127.0.0.1:$gateway_port"
    https="${https:+$https,}http://127.0.0.1:$http_port"
    echo "local-cluster.sh: silo $i ready (silo 127.0.0.1:$silo_port, gateway 127.0.0.1:$gateway_port, http 127.0.0.1:$http_port)"
  done

  local prometheus=${PROMETHEUS:-$(command -v prometheus || true)} prometheus_url=""
  if [ -n "$prometheus" ]; then
    local prom_port targets
    prom_port=$(free_port)
    targets=$(echo "$https" | sed 's|http://||g; s|,|", "|g')
    cat > "$dir/prometheus.yml" <<YAML
global:
  scrape_interval: 2s
scrape_configs:
  - job_name: neuromesh
    static_configs:
      - targets: ["$targets"]
YAML
    "$prometheus" --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/prometheus-data" \
      --web.listen-address="127.0.0.1:$prom_port" > "$dir/prometheus.log" 2>&1 &
    echo $! > "$dir/prometheus.pid"
    prometheus_url="http://127.0.0.1:$prom_port"
    wait_http "$prometheus_url/-/ready" 60 "$dir/prometheus.log" || { down; exit 1; }
    echo "local-cluster.sh: Prometheus on $prometheus_url"
  else
    echo "local-cluster.sh: prometheus not found (apt-get install -y prometheus); running without it"
  fi

  cat > "$dir/cluster.env" <<ENV
CLUSTER_ID=$cluster
GATEWAYS=$gateways
HTTP=$https
PROMETHEUS_URL=$prometheus_url
POSTGRES='$postgres'
CLUSTERING=$clustering
ENV
  echo "local-cluster.sh: cluster $cluster up ($clustering clustering); gateways $gateways; settings in $dir/cluster.env"
}

case "$verb" in
  up) up ;;
  down) down ;;
  *) echo "usage: deploy/local-cluster.sh up|down [--dir DIR] [--clustering localhost|postgres]" >&2; exit 2 ;;
esac
