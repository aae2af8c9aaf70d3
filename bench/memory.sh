#!/usr/bin/env bash
# Memory shape of bench/run.sh alone (issue 12): RSS added per cached user, same method, in 1-3 minutes.
#
#   bench/memory.sh [--no-build] [--users N] [--configuration Release|Debug] [--gcdump] [--hit-seconds S]
#
# A fresh silo on the 3,600 s copy of the sample config (bench/.out/hit/config.json, as bench/run.sh writes it);
# after one warm-up request VmRSS is read, then N distinct users (default 20000) ask once each (recommend-items,
# 25 decorated items, bench/wrk/distinct.lua on one connection-thread so ranks are consecutive), and
# (RSS after - RSS before) / N is printed. With --gcdump (needs dotnet-gcdump on PATH) a heap snapshot is taken
# before and after, into bench/.out/memory/, for `dotnet-gcdump report`. With --hit-seconds S the same silo then
# serves S seconds of uniformly random hits over those users (users.lua, 2 threads, 64 connections) after 3 s of
# warm-up, and req/s is printed: the throughput side of a GC setting, measured in the same run.
# Extra environment for the silo (GC settings, say) passes through: DOTNET_GCgen0size=... bench/memory.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/bench/.out
logs=$out/logs
wrk_dir=$root/bench/wrk
build=1 users=20000 configuration=Release gcdump=0 hit_seconds=0
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --users) users=${2:?}; shift ;;
    --configuration) configuration=${2:?}; shift ;;
    --gcdump) gcdump=1 ;;
    --hit-seconds) hit_seconds=${2:?}; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ $users =~ ^[1-9][0-9]*$ ]] || { echo "--users needs a positive whole number" >&2; exit 2; }
bin=$out/$configuration
mkdir -p "$logs" "$out/memory" "$out/hit"
log() { printf '[memory %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
fail() { log "FAILED: $*"; exit 1; }

silo_pid=""
cleanup() { if [ -n "$silo_pid" ]; then kill "$silo_pid" 2>/dev/null || true; wait "$silo_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v wrk >/dev/null 2>&1 || fail "wrk is required (apt-get install wrk)"
if [ "$build" -eq 1 ]; then
  log "building $configuration silo"
  dotnet build -c "$configuration" src/Silo -o "$bin/silo" >"$logs/build-silo.log" 2>&1 || fail "build failed (see $logs/build-silo.log)"
fi

free_port() {
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  fail "no free port found"
}
# start NAME [silo args...]: a silo on free ports, waits for /ready; sets silo_pid and silo_url.
start() {
  local name=$1 deadline=$((SECONDS + 60))
  shift
  silo_url="http://127.0.0.1:$(free_port)"
  env Logging__LogLevel__Default=Warning "Cluster__SiloPort=$(free_port)" "Cluster__GatewayPort=$(free_port)" \
    "$bin/silo/Personalization.Silo" --urls "$silo_url" "$@" >"$logs/$name.log" 2>&1 &
  silo_pid=$!
  until curl -sf -o /dev/null "$silo_url/ready"; do
    kill -0 "$silo_pid" 2>/dev/null || fail "$name exited during start-up (see $logs/$name.log)"
    [ "$SECONDS" -lt "$deadline" ] || fail "$name not ready within 60 s"
    sleep 0.05
  done
}
stop() { kill "$silo_pid" 2>/dev/null || true; wait "$silo_pid" 2>/dev/null || true; silo_pid=""; }

# The default silo writes the sample data on start-up; the 3,600 s config points at it.
if [ ! -d "$root/samples/generated" ]; then
  log "writing the sample data (default silo start-up)"
  start silo-default
  stop
fi
hit_config=$out/hit/config.json
sed -E 's/("userSpecified": *\{ *"maxAge": *)10,/\13600,/; s/"version": *"[^"]*"/"version": "bench-hit"/' \
  "$root/samples/config.json" >"$hit_config"
grep -Eq '"userSpecified": *\{ *"maxAge": *3600,' "$hit_config" || fail "could not raise the userSpecified maxAge"
ln -sfn "$root/samples/generated" "$out/hit/generated"

start silo-memory --config "$hit_config"
curl -sf -o /dev/null "$silo_url/recommend-items/sample-store/recommended-for-you/u01576?numResults=25" || fail "warm-up request failed"
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
sleep 1
[ "$gcdump" -eq 1 ] && dotnet-gcdump collect -p "$silo_pid" -o "$out/memory/before.gcdump" >"$logs/gcdump-before.log" 2>&1
rss_before=$(rss_kb "$silo_pid")
seen=0 errors=0 started=$SECONDS empty=0
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $result"; }
while [ "$seen" -lt "$users" ]; do
  [ $((SECONDS - started)) -lt 900 ] || fail "only $seen of $users users after 900 s"
  BENCH_WRK_DIR=$wrk_dir BENCH_THREADS=1 BENCH_USERS=$users BENCH_START=$seen timeout 65 \
    wrk -t1 -c64 -d5s --timeout 5s -s "$wrk_dir/distinct.lua" "$silo_url" >"$logs/wrk-memory.log" 2>&1 || fail "wrk failed"
  result=$(grep '^BENCH_RESULT' "$logs/wrk-memory.log") || fail "wrk printed no result"
  kill -0 "$silo_pid" 2>/dev/null || fail "the silo died (see $logs/silo-memory.log)"
  if [ "$(field requests)" -eq 0 ]; then
    empty=$((empty + 1)); [ "$empty" -lt 10 ] || fail "10 chunks in a row completed no request"; continue
  fi
  empty=0
  seen=$((seen + $(field requests)))
  errors=$((errors + $(field errors_connect) + $(field errors_read) + $(field errors_write) + $(field errors_timeout) + $(field errors_status)))
done
sleep 2
rss_after=$(rss_kb "$silo_pid")
[ "$gcdump" -eq 1 ] && dotnet-gcdump collect -p "$silo_pid" -o "$out/memory/after.gcdump" >"$logs/gcdump-after.log" 2>&1
per_user=$(awk -v a="$rss_after" -v b="$rss_before" -v n="$users" 'BEGIN { printf "%.0f", (a - b) * 1024 / n }')
echo "memory: $users users ($seen requests, $errors errors, $((SECONDS - started)) s): RSS $((rss_before / 1024)) MB -> $((rss_after / 1024)) MB = $per_user bytes per cached user"
[ "$errors" -eq 0 ] || exit 1
if [ "$hit_seconds" -gt 0 ]; then
  hits() {
    BENCH_WRK_DIR=$wrk_dir BENCH_THREADS=2 BENCH_MODE=random BENCH_USERS=$users timeout $(($1 + 60)) \
      wrk -t2 -c64 -d"$1s" --timeout 5s -s "$wrk_dir/users.lua" "$silo_url" >"$logs/wrk-memory-hits.log" 2>&1 || fail "wrk hits failed"
    result=$(grep '^BENCH_RESULT' "$logs/wrk-memory-hits.log") || fail "wrk printed no result"
  }
  hits 3
  hits "$hit_seconds"
  echo "hits: $(field rps) req/s over $users warmed users (${hit_seconds} s; p99 $(field p99_us) us; load average $(cut -d' ' -f1 /proc/loadavg)); RSS then $(($(rss_kb "$silo_pid") / 1024)) MB"
fi
