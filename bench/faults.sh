#!/usr/bin/env bash
# Failure drill under load (issue 15 §5): one silo whose recommender is a Personalize campaign on src/LocalAws, with a
# built-in trending fallback and a quota guard, driven by wrk (every request a new user: all misses) through phases of
# injected faults: healthy, 100% 5xx, 100% throttling, 10 s latency, a missing campaign, each followed by recovery.
# Per phase: share answered 200, share answered by the primary, p50/p99, Personalize calls per second.
#
#   bench/faults.sh [--no-build] [--duration SECONDS (10)] [--connections N (8)] [--threads N (2)] [--quota N (300)]
#
# Results: stdout and bench/.out/faults/results.md; logs in bench/.out/faults/logs/. Stops what it started on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/bench/.out/faults
logs=$out/logs
bin=$root/bench/.out/Release
wrk_dir=$root/bench/wrk
build=1 duration=10 connections=8 threads=2 quota=300
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --duration) duration=$2; shift ;;
    --connections) connections=$2; shift ;;
    --threads) threads=$2; shift ;;
    --quota) quota=$2; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$logs"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
log() { printf '[faults %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
fail() { log "FAILED: $*"; exit 1; }
free_port() { local p; for _ in $(seq 1 100); do p=$((20000 + RANDOM % 12000)); if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi; done; fail "no free port"; }
wait_for() {
  local deadline=$((SECONDS + 60))
  while [ "$SECONDS" -lt "$deadline" ]; do curl -sf -o /dev/null "$1" && return 0; kill -0 "$2" 2>/dev/null || fail "$3 exited (see $logs/$3.log)"; sleep 0.05; done
  fail "$3 not ready at $1"
}

if [ "$build" -eq 1 ]; then
  log "building Release (silo, LocalAws)"
  dotnet build -c Release src/Silo -o "$bin/silo" >"$logs/build-silo.log" 2>&1 || fail "silo build failed"
  dotnet build -c Release src/LocalAws -o "$bin/localaws" >"$logs/build-localaws.log" 2>&1 || fail "LocalAws build failed"
fi

aws_port=$(free_port)
aws="http://127.0.0.1:$aws_port"
"$bin/localaws/Personalization.LocalAws" --urls "$aws" >"$logs/localaws.log" 2>&1 &
pids+=("$!")
wait_for "$aws/_local/recorded" "$!" localaws

awk 'BEGIN { for (i = 0; i < 1000; i++) printf "{\"id\":\"i%05d\",\"name\":\"Item %d\",\"category\":\"c%d\"}\n", i, i, i % 7 }' >"$out/items.jsonl"
cat >"$out/config.json" <<JSON
{ "version": "bench-faults",
  "cacheControl": { "staleIfError": 60, "userSpecified": { "maxAge": 10, "directives": "private" } },
  "namespaces": { "bench": {
    "inferenceItemMetadata": { "type": "localdb", "path": "items.jsonl" },
    "recommenders": { "recommend-items": { "campaign": { "variations": { "campaign": {
      "type": "personalize-campaign", "arn": "arn:aws:personalize:us-east-1:000000000000:campaign/bench",
      "maxRequestsPerSecond": $quota,
      "fallbacks": [ { "type": "builtin", "algorithm": "trending" } ] } } } } } } } }
JSON

silo_port=$(free_port)
silo="http://127.0.0.1:$silo_port"
env Logging__LogLevel__Default=Warning "Cluster__SiloPort=$(free_port)" "Cluster__GatewayPort=$(free_port)" \
  AWS_ACCESS_KEY_ID=AKIDLOCALTEST AWS_SECRET_ACCESS_KEY=local-test-secret-key Aws__Region=us-east-1 \
  "Aws__ServiceUrls__personalize-runtime=$aws" \
  "$bin/silo/Personalization.Silo" --urls "$silo" --config "$out/config.json" >"$logs/silo.log" 2>&1 &
silo_pid=$!
pids+=("$silo_pid")
wait_for "$silo/ready" "$silo_pid" silo
[ "$(curl -s -o /dev/null -w '%{http_code}' "$silo/recommend-items/bench/campaign/probe")" = 200 ] || fail "probe request failed"

metric() { curl -sf "$silo/metrics" | awk -v m="$1" 'index($0, m) == 1 { s += $NF } END { printf "%d", s }'; }
post() { curl -sf -X POST -H 'Content-Type: application/json' --data "$2" "$aws/_local/$1" >/dev/null || fail "POST /_local/$1"; }
clear_faults() { curl -sf -X DELETE "$aws/_local/faults" >/dev/null || fail "DELETE /_local/faults"; }

printf '| phase | requests | answered 200 | by the primary | p50 ms | p99 ms | Personalize calls/s |\n|---|---:|---:|---:|---:|---:|---:|\n' >"$out/results.md"
start=0
phase() {
  local name=$1 served0 other0 served1 other1 calls line
  curl -sf -X DELETE "$aws/_local/recorded" >/dev/null || true
  served0=$(metric recommendations_served)
  other0=$(( $(metric recommendations_answers_fallback) + $(metric recommendations_answers_stale) ))
  line=$(BENCH_WRK_DIR=$wrk_dir BENCH_THREADS=$threads BENCH_USERS=100000000 BENCH_START=$start \
    BENCH_PREFIX=/recommend-items/bench/campaign/ BENCH_SUFFIX='?numResults=10' \
    wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 15s -s "$wrk_dir/distinct.lua" "$silo" 2>&1 | tee -a "$logs/wrk.log" | grep BENCH_RESULT) \
    || fail "wrk failed in phase $name"
  start=$((start + 10000000))
  served1=$(metric recommendations_served)
  other1=$(( $(metric recommendations_answers_fallback) + $(metric recommendations_answers_stale) ))
  calls=$(curl -sf "$aws/_local/recorded?operation=GetRecommendations" | grep -o '"operation"' | wc -l)
  echo "$line" | awk -v name="$name" -v served=$((served1 - served0)) -v other=$((other1 - other0)) -v calls="$calls" -v d="$duration" '
    { for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] } }
    END {
      bad = f["errors_status"] + f["errors_connect"] + f["errors_read"] + f["errors_write"] + f["errors_timeout"]
      printf "| %s | %d | %.2f%% | %.1f%% | %.1f | %.1f | %.0f |\n", name, f["requests"], 100 * (f["requests"] - bad) / f["requests"],
        served ? 100 * (served - other) / served : 0, f["p50_us"] / 1000, f["p99_us"] / 1000, calls / d
    }' | tee -a "$out/results.md"
}

log "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
phase "healthy"
post faults '{"operation":"GetRecommendations","percent":100,"errorCode":"ServiceUnavailableException","statusCode":503}'
phase "100% 5xx"
clear_faults; phase "recovery after 5xx"
post faults '{"operation":"GetRecommendations","percent":100,"errorCode":"ThrottlingException","statusCode":400}'
phase "100% throttling"
clear_faults; phase "recovery after throttling"
post latency '{"operation":"GetRecommendations","milliseconds":10000}'
phase "10 s latency"
clear_faults; phase "recovery after latency"
post faults '{"operation":"GetRecommendations","percent":100,"errorCode":"ResourceNotFoundException","statusCode":404}'
phase "campaign missing"
clear_faults; phase "recovery after missing campaign"
log "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$out/results.md"
