#!/usr/bin/env bash
# Proves the image of build.sh where containers cannot start (e.g. crun failing on setrlimit): runs the image's own
# file system under chroot, as the image's user, with the image's environment, working directory and entrypoint,
# and checks that tp serve comes up on 127.0.0.1, that /health answers 200 (also through the image's own HEALTHCHECK
# command), that /v1/embeddings answers with the bundled model and requires the TP_API_KEY given in the
# environment, and that SIGTERM stops the server gracefully. Needs root and podman.
#
#   deploy/image/prove-chroot.sh [IMAGE]     IMAGE defaults to localhost/tp-serve:latest
set -euo pipefail

image=${1:-localhost/tp-serve:latest}
port=${PORT:-18080}
key=chroot-proof-key
fail() { echo "prove-chroot: FAILED: $*" >&2; exit 1; }
config() { podman image inspect --format "$1" "$image"; }

container=$(podman create "$image")
root=$(podman mount "$container")
log=$(mktemp)
pid=
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
    umount "$root/proc" "$root/dev" 2>/dev/null || true
    podman umount "$container" >/dev/null
    podman rm "$container" >/dev/null 2>&1 # (without systemd podman complains about health-check timers)
    rm -f "$log"
}
trap cleanup EXIT
mount --bind /proc "$root/proc"
mount --bind /dev "$root/dev"

user=$(config '{{.Config.User}}')
workdir=$(config '{{.Config.WorkingDir}}')
mapfile -t env < <(config '{{range .Config.Env}}{{println .}}{{end}}' | sed '/^$/d')
mapfile -t entrypoint < <(config '{{range .Config.Entrypoint}}{{println .}}{{end}}' | sed '/^$/d')
healthcheck=$(config '{{range .Config.Healthcheck.Test}}{{println .}}{{end}}' | sed -n 2p)
echo "image $image: user $user, workdir $workdir, entrypoint ${entrypoint[*]}, health check: $healthcheck"

in_image() { # execs a command in the image's file system, as its user, with its environment (and the test's)
    exec chroot --userspec="$user" "$root" /usr/bin/env -i "${env[@]}" TP_PORT="$port" TP_API_KEY="$key" \
        /bin/sh -c 'cd "$0" && exec "$@"' "$workdir" "$@"
}

in_image "${entrypoint[@]}" >"$log" 2>&1 &
pid=$! # java's: chroot, env, sh, the entrypoint and bin/tp each exec the next
for _ in $(seq 1 180); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/health" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { cat "$log"; fail "tp serve exited before /health answered"; }
    sleep 1
done
status=$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health")
[ "$status" = 200 ] || { cat "$log"; fail "/health answered $status"; }
echo "ok: /health 200"
[ "$(stat -c %u "/proc/$pid")" = "${user%%:*}" ] || fail "the server does not run as uid ${user%%:*}"
echo "ok: the server runs as uid ${user%%:*}"
(in_image /bin/sh -c "$healthcheck") >/dev/null || fail "the image's HEALTHCHECK command failed"
echo "ok: the image's HEALTHCHECK command succeeds"

request='{"input": ["A man is playing a guitar.", "Someone plays music."]}'
status=$(curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "$request" \
    "http://127.0.0.1:$port/v1/embeddings")
[ "$status" = 401 ] || fail "/v1/embeddings without the key answered $status, not 401"
echo "ok: /v1/embeddings without TP_API_KEY's key: 401"
response=$(curl -fsS -H 'Content-Type: application/json' -H "Authorization: Bearer $key" -d "$request" \
    "http://127.0.0.1:$port/v1/embeddings")
vectors=$(printf '%s' "$response" | python3 -c 'import json, sys
data = json.load(sys.stdin)["data"]
print(len(data), len(data[0]["embedding"]))')
[ "${vectors%% *}" = 2 ] || fail "/v1/embeddings returned ${vectors%% *} embeddings for 2 inputs: $response"
echo "ok: /v1/embeddings: 2 embeddings of dimension ${vectors#* }"

kill -TERM "$pid"
for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
if kill -0 "$pid" 2>/dev/null; then fail "tp serve still runs 30 s after SIGTERM"; fi
wait "$pid" || true
grep -q "shutting down" "$log" || { cat "$log"; fail "no graceful shutdown in the server's log"; }
pid=
echo "ok: SIGTERM stopped the server gracefully"
echo "--- the server's log"
cat "$log"
