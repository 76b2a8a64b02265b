# shellcheck shell=bash
# A throwaway PostgreSQL on loopback, shared by test.sh and deploy/local-cluster.sh (sourced; defines functions only).
#   pg_bin_dir                          the newest /usr/lib/postgresql/*/bin, or nothing when PostgreSQL is not installed
#   pg_start BIN DIR PORT LOG           initdb DIR/data (trust auth, user postgres) and start it on 127.0.0.1:PORT with its
#                                       socket in DIR; returns non-zero, after printing the initdb log or the server
#                                       log, when either step fails
#   pg_stop BIN DIR                     fast shutdown; never fails
# Run as root, the server runs as the postgres user (DIR is handed to it).

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

pg_start() {
  local bin=$1 dir=$2 port=$3 log=$4
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir"; fi
  if ! as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-sync > "$log" 2>&1; then
    cat "$log" >&2
    return 1
  fi
  if ! as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200" start > /dev/null; then
    cat "$dir/server.log" >&2
    return 1
  fi
}

pg_stop() { as_pg "$1/pg_ctl" -D "$2/data" -m fast -w stop >/dev/null 2>&1 || true; }
