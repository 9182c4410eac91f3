#!/usr/bin/env bash
# demo-org.sh DATA_DIR PORT [SERVE_FLAG...]: create a demo organization and
# serve it on 127.0.0.1:PORT in the background (prints the server's pid
# last); SERVE_FLAGs go to `parley-server serve` (test-windows.sh turns on
# the built-in TURN server with them).
# Users alice and bob (password "parley-demo"), admin "admin"; the Global
# policy lets users turn on E2EE, as an admin would with:
#   parleyctl policy set Global --e2ee UserCanEnable
# Used by demo.sh and screenshot.sh; needs bin/parley-server and bin/parleyctl.
# Fails (non-zero, with the server's log) unless its own server is up.
set -euo pipefail
script=demo-org.sh
source "$(dirname "$0")/lib.sh"
data=$1 port=$2
shift 2
base="http://127.0.0.1:$port"
export PARLEY_DEMO_PASSWORD=${PARLEY_DEMO_PASSWORD:-parley-demo}

PARLEY_ADMIN_PASSWORD=$PARLEY_DEMO_PASSWORD bin/parley-server init -data "$data" -org Demo -admin admin >/dev/null
bin/parley-server serve -data "$data" -addr "127.0.0.1:$port" "$@" >"$data/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' ERR

# Ready when our server says it listens on our port: an answer on the port
# alone could come from another process that holds it.
listening() {
	alive "$server" "parley-server" "$data/server.log"
	grep -qx "listening $base" "$data/server.log"
}
wait_until 30 "parley-server to listen on $base" listening
curl -fsS --max-time 10 "$base/healthz" >/dev/null || die "parley-server on $base does not answer /healthz"

# parleyctl keeps its session under XDG_CONFIG_HOME: keep it in the demo's data.
export XDG_CONFIG_HOME="$data/ctl"
PARLEY_PASSWORD=$PARLEY_DEMO_PASSWORD bin/parleyctl login --server "$base" --user admin >/dev/null
for u in alice:Alice bob:Bob; do
	PARLEY_NEW_PASSWORD=$PARLEY_DEMO_PASSWORD bin/parleyctl user add "${u%%:*}" --name "${u#*:}" >/dev/null
done
bin/parleyctl policy set Global --e2ee UserCanEnable >/dev/null
alive "$server" "parley-server" "$data/server.log"
echo "$server"
