#!/usr/bin/env bash
# Benchmark harness (issue 9): builds Release, starts the silo on the sample store on loopback, drives it with wrk
# and prints one table. Everything it starts is stopped on exit.
#
#   bench/run.sh            full run (~10 minutes; each shape 15 s, plus warming 10,000 users (twice) and
#                           filling 100,000 users for the memory shape)
#   bench/run.sh --smoke    1-2 minutes on a quiet machine: same code paths, tiny durations and user counts,
#                           fails on any error (CI).
#                           Builds Debug, which the test run before it has already compiled, so the build is
#                           incremental. The two-silo shape runs (tiny) only when redis-server is installed.
#   options: --no-build  --skip-miss  --skip-two-silo  --duration SECONDS  --connections N  --threads N
#            --hit-users N (warmed users of the hit and two-silo shapes, default 10000)
#            --memory-users N (default 100000)  --starts N (start-ups timed for the median, default 5)
#
# Every silo gets its own free loopback ports (HTTP, Cluster__SiloPort, Cluster__GatewayPort), so the run never
# clashes with a silo already on 11111/30000, and two silos of the same run never clash with each other.
# Results: stdout, plus bench/.out/results.md (markdown table) and bench/.out/logs/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/bench/.out
logs=$out/logs
wrk_dir=$root/bench/wrk

smoke=0 build=1 miss=1 two_silo=1 configuration=Release
duration=15 connections=64 threads=2 users=100000 warmup=3 hit_users=10000 memory_users=100000 starts=5
# positive OPTION VALUE: the value of a numeric option, or a clear error.
positive() {
  [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || { echo "$1 needs a positive whole number, got '${2:-}'" >&2; exit 2; }
  echo "$2"
}
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=1 ;;
    --no-build) build=0 ;;
    --skip-miss) miss=0 ;;
    --skip-two-silo) two_silo=0 ;;
    --hit-users) hit_users=$(positive "$1" "${2:-}"); shift ;;
    --memory-users) memory_users=$(positive "$1" "${2:-}"); shift ;;
    --starts) starts=$(positive "$1" "${2:-}"); shift ;;
    --duration) duration=$(positive "$1" "${2:-}"); shift ;;
    --connections) connections=$(positive "$1" "${2:-}"); shift ;;
    --threads) threads=$(positive "$1" "${2:-}"); shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$smoke" -eq 1 ]; then
  duration=2 connections=16 users=2000 warmup=1 miss=0 configuration=Debug hit_users=400 memory_users=1000 starts=1
fi
bin=$out/$configuration
[ "$connections" -ge "$threads" ] || { echo "--connections ($connections) must be at least --threads ($threads)" >&2; exit 2; }

mkdir -p "$logs"
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
rm -f "$logs"/*.log "$out/results.md"

pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
fail() { log "FAILED: $*"; exit 1; }

# ---------------------------------------------------------------- tools and build
if ! command -v wrk >/dev/null 2>&1; then
  log "wrk not found; installing it from Debian"
  if [ "$(id -u)" -eq 0 ]; then
    { apt-get update && apt-get install -y wrk; } >"$logs/apt.log" 2>&1 || true
  else
    { sudo -n apt-get update && sudo -n apt-get install -y wrk; } >"$logs/apt.log" 2>&1 || true
  fi
  command -v wrk >/dev/null 2>&1 || fail "wrk is not installed and apt-get install wrk failed (see $logs/apt.log)"
fi
for tool in curl awk; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is required"
done

if [ "$build" -eq 1 ]; then
  log "building $configuration (silo, ceiling$([ "$miss" -eq 1 ] && echo ", LocalAws"))"
  build_pids=()
  if [ "$configuration" = Release ]; then
    # As the Dockerfile ships it: published ReadyToRun (precompiled), so start-up is measured as a pod starts.
    dotnet publish -c Release src/Silo -r "linux-$(uname -m | sed 's/x86_64/x64/;s/aarch64/arm64/')" --self-contained false \
      -p:PublishReadyToRun=true -o "$bin/silo" >"$logs/build-silo.log" 2>&1 & build_pids+=("$!")
  else
    dotnet build -c "$configuration" src/Silo -o "$bin/silo" >"$logs/build-silo.log" 2>&1 & build_pids+=("$!")
  fi
  dotnet build -c "$configuration" bench/Ceiling -o "$bin/ceiling" >"$logs/build-ceiling.log" 2>&1 & build_pids+=("$!")
  for pid in "${build_pids[@]}"; do
    wait "$pid" || fail "build failed (see $logs/build-*.log)"
  done
  if [ "$miss" -eq 1 ]; then
    dotnet build -c "$configuration" src/LocalAws -o "$bin/localaws" >"$logs/build-localaws.log" 2>&1 \
      || fail "LocalAws build failed (see $logs/build-localaws.log)"
  fi
fi

# ---------------------------------------------------------------- processes
# free_port VAR: a loopback port nothing listens on and this run has not handed out yet (below the ephemeral range,
# so outgoing connections do not take it meanwhile). Sets VAR rather than printing: the list must survive the call.
used_ports=" "
free_port() {
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 12000))
    [[ $used_ports == *" $port "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      used_ports+="$port "
      printf -v "$1" '%s' "$port"
      return 0
    fi
  done
  fail "no free port found"
}

# wait_for URL PID NAME: until URL answers 200 or the process dies (60 s at most).
wait_for() {
  local deadline=$((SECONDS + 60))
  while [ "$SECONDS" -lt "$deadline" ]; do
    curl -sf -o /dev/null "$1" && return 0
    kill -0 "$2" 2>/dev/null || fail "$3 exited during startup (see $logs/$3.log)"
    sleep 0.05
  done
  fail "$3 did not become ready at $1 within 60 s (see $logs/$3.log)"
}

# stop PID...: asks each to stop (SIGTERM: graceful), then waits for all, so several shut down in parallel.
stop() {
  local pid
  for pid in "$@"; do kill "$pid" 2>/dev/null || true; done
  for pid in "$@"; do wait "$pid" 2>/dev/null || true; done
}

silo_pid="" silo_url="" silo_port=""
# launch_silo NAME [env assignments...] -- [silo args...]: starts a silo on free HTTP, silo and gateway ports (the
# assignments may override them) without waiting; sets silo_pid, silo_url and silo_port (the HTTP port).
launch_silo() {
  local name=$1 orleans_port gateway_port
  shift
  local envs=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  free_port silo_port
  free_port orleans_port
  free_port gateway_port
  silo_url="http://127.0.0.1:$silo_port"
  env Logging__LogLevel__Default=Warning "Cluster__SiloPort=$orleans_port" "Cluster__GatewayPort=$gateway_port" "${envs[@]}" \
    "$bin/silo/Personalization.Silo" --urls "$silo_url" "$@" >"$logs/$name.log" 2>&1 &
  silo_pid=$!
  pids+=("$silo_pid")
}

# start_silo NAME [env assignments...] -- [silo args...]: launch_silo, then wait for GET /ready.
start_silo() {
  launch_silo "$@"
  wait_for "$silo_url/ready" "$silo_pid" "$1"
}

# ---------------------------------------------------------------- measuring
results_header="| shape | req/s | p50 ms | p99 ms | p99.9 ms | hit ratio | backend calls | events/s | errors | notes |"
printf '%s\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n' "$results_header" >"$out/results.md"
failures=0

# run_wrk NAME SCRIPT URL SECONDS [extra wrk args]: runs wrk and leaves its BENCH_RESULT line in $result.
result=""
run_wrk() {
  local name=$1 script=$2 url=$3 seconds=$4
  shift 4
  BENCH_WRK_DIR=$wrk_dir BENCH_THREADS=$threads timeout $((seconds + 60)) \
    wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 5s -s "$wrk_dir/$script" "$@" "$url" \
    >"$logs/wrk-$name.log" 2>&1 || fail "wrk $name failed (see $logs/wrk-$name.log)"
  result=$(grep '^BENCH_RESULT' "$logs/wrk-$name.log") || fail "wrk $name printed no result (see $logs/wrk-$name.log)"
  check_alive "$silo_pid" silo "$name"
}

# check_alive PID NAME SHAPE: a server that died mid-run fails the run with its exit status (137: SIGKILL).
check_alive() {
  local status=0
  [ -z "$1" ] && return 0
  kill -0 "$1" 2>/dev/null && return 0
  wait "$1" || status=$?
  fail "$2 (pid $1) exited with status $status during '$3' (see $logs/)"
}

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $result"; }

errors_of_result() {
  echo $(($(field errors_connect) + $(field errors_read) + $(field errors_write) + $(field errors_timeout) + $(field errors_status)))
}

ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }

# scrape FILE: GET /metrics (retried: one transient failure should not lose a whole run).
scrape() {
  local status=""
  for _ in 1 2 3; do
    status=$(curl -sS --max-time 15 -o "$1" -w '%{http_code}' "$silo_url/metrics" 2>>"$logs/scrape.log") || true
    [ "$status" = 200 ] && return 0
    log "GET /metrics answered '$status' ($(head -c 300 "$1" 2>/dev/null | tr '\n' ' ')); retrying"
    sleep 1
  done
  fail "GET /metrics failed: $status (see $logs/scrape.log)"
}

# metric FILE NAME [LABEL-FILTER]: sum of the samples of NAME (exact name) whose labels contain the filter.
metric() {
  awk -v n="$2" -v f="${3:-}" '
    /^#/ { next }
    { name = $1; sub(/\{.*/, "", name) }
    name == n && index($0, f) { s += $NF }
    END { printf "%.0f", s + 0 }' "$1"
}

backend_calls() { metric "$1" recommendations_backend_calls_total; }

# server_latency BEFORE AFTER: p50/p99/p99.9 (ms) of http.server.request.duration between two scrapes, by linear
# interpolation inside the histogram's buckets (coarse: 0.1, 0.25, 0.5, 1, 2.5 ms ...).
server_latency() {
  awk '
    /^http_server_request_duration_seconds_bucket/ {
      match($0, /le="[^"]*"/); le = substr($0, RSTART + 4, RLENGTH - 5)
      if (FILENAME == ARGV[1]) before[le] += $NF; else after[le] += $NF
      les[le] = 1
    }
    END {
      n = 0
      for (le in les) { if (le != "+Inf") { n++; bound[n] = le + 0 } }
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (bound[j] < bound[i]) { t = bound[i]; bound[i] = bound[j]; bound[j] = t }
      total = after["+Inf"] - before["+Inf"]
      if (total <= 0) { print "n/a"; exit }
      split("50 99 99.9", qs, " ")
      line = ""
      for (q = 1; q <= 3; q++) {
        target = total * qs[q] / 100; prev_count = 0; prev_bound = 0; value = ">" bound[n] * 1000
        for (i = 1; i <= n; i++) {
          key = bound[i] ""
          for (le in les) if (le + 0 == bound[i]) key = le
          c = after[key] - before[key]
          if (c >= target) {
            value = sprintf("%.2f", (prev_bound + (bound[i] - prev_bound) * (c > prev_count ? (target - prev_count) / (c - prev_count) : 1)) * 1000)
            break
          }
          prev_count = c; prev_bound = bound[i]
        }
        line = line (q > 1 ? "/" : "") value
      }
      print line
    }' "$1" "$2"
}

# record NAME HIT_RATIO BACKEND_CALLS EVENTS_PER_S NOTES: appends the current $result as a table row, checks errors.
record() {
  local name=$1 hit=$2 backend=$3 events=$4 notes=$5 errors
  errors=$(errors_of_result)
  printf '| %s | %.0f | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$(field rps)" \
    "$(ms "$(field p50_us)")" "$(ms "$(field p99_us)")" "$(ms "$(field p999_us)")" \
    "$hit" "$backend" "$events" "$errors" "$notes" >>"$out/results.md"
  log "$name: $(field rps) req/s, p99 $(ms "$(field p99_us)") ms, errors $errors"
  if [ "$(field requests)" -eq 0 ]; then
    log "$name: no request completed"
    failures=$((failures + 1))
  fi
  if [ "$errors" -ne 0 ]; then
    log "$name: $errors errors (non-2xx/304 or socket errors; see $logs/wrk-$name.log)"
    failures=$((failures + 1))
  fi
}

notes=()
note() { notes+=("$*"); log "note: $*"; }

# ---------------------------------------------------------------- 1. cache hit vs. the bare Kestrel ceiling
log "starting the silo on the sample store"
start_silo silo
hit_path="/recommend-items/sample-store/recommended-for-you/u01576?numResults=25"
curl -sf -D "$out/hit-headers.txt" -o "$out/hit-body.json" "$silo_url$hit_path" || fail "warm-up request failed: GET $hit_path"
curl -sf -D "$out/hit-headers.txt" -o "$out/hit-body.json" "$silo_url$hit_path" || fail "second request failed: GET $hit_path"
header() { sed -n "s/^$1: *//Ip" "$out/hit-headers.txt" | tr -d '\r' | head -1; }
body_bytes=$(wc -c <"$out/hit-body.json")
[ "$body_bytes" -gt 1000 ] || fail "the captured response has only $body_bytes bytes"

ceiling_port=""
free_port ceiling_port
"$bin/ceiling/Personalization.Bench.Ceiling" --urls "http://127.0.0.1:$ceiling_port" --body "$out/hit-body.json" \
  --cache-control "$(header Cache-Control)" --etag "$(header ETag)" >"$logs/ceiling.log" 2>&1 &
ceiling_pid=$!
pids+=("$ceiling_pid")
wait_for "http://127.0.0.1:$ceiling_port/" "$ceiling_pid" ceiling

# Warm both (JIT, connection pools), then measure. OpenTelemetry's meter provider listens from start-up, so the
# metrics cost is in both silo runs; the second one brackets the run with two scrapes for the server-side latency.
export BENCH_PATH=$hit_path
run_wrk warm-silo hit.lua "$silo_url" "$warmup"
run_wrk warm-ceiling hit.lua "http://127.0.0.1:$ceiling_port" "$warmup"
run_wrk ceiling hit.lua "http://127.0.0.1:$ceiling_port" "$duration"
ceiling_rps=$(field rps)
record "ceiling (bare Kestrel, same $body_bytes bytes)" "-" "-" "-" ""
run_wrk cache-hit hit.lua "$silo_url" "$duration"
hit_rps=$(field rps)
hit_ratio_to_ceiling=$(awk -v a="$hit_rps" -v b="$ceiling_rps" 'BEGIN { printf "%.0f%%", 100 * a / b }')
record "cache hit, 25 decorated items" "100% (one URL)" "0" "-" "$hit_ratio_to_ceiling of ceiling"
stop "$ceiling_pid"

# The same between two scrapes of /metrics (as in production with a scraper).
scrape "$out/m0.txt"
run_wrk cache-hit-metrics hit.lua "$silo_url" "$duration"
hit_metrics_rps=$(field rps)
scrape "$out/m1.txt"
record "cache hit, metrics listener on" "100% (one URL)" "$(($(backend_calls "$out/m1.txt") - $(backend_calls "$out/m0.txt")))" "-" \
  "$(awk -v a="$hit_metrics_rps" -v b="$ceiling_rps" 'BEGIN { printf "%.0f%%", 100 * a / b }') of ceiling; server p50/p99/p99.9 $(server_latency "$out/m0.txt" "$out/m1.txt") ms"

# half_load NAME SCRIPT MAX_RPS LABEL HIT: half of max load against $silo_url, server-side latency from /metrics.
# wrk2 is not in Debian: pace each connection with wrk's delay() instead (closed loop, so this is a fixed-rate
# approximation; the achieved rate is reported).
half_load() {
  local name=$1 script=$2 max_rps=$3 label=$4 hit=$5 target_rps delay_ms
  target_rps=$(awk -v r="$max_rps" 'BEGIN { printf "%.0f", r / 2 }')
  # Calibrate: pace at connections/target, see how much the response time itself slows the loop, correct for it.
  delay_ms=$(awk -v c="$connections" -v r="$target_rps" 'BEGIN { printf "%.3f", c * 1000 / r }')
  BENCH_DELAY_MS=$delay_ms run_wrk "$name-calibrate" "$script" "$silo_url" "$warmup"
  delay_ms=$(awk -v c="$connections" -v r="$target_rps" -v d="$delay_ms" -v got="$(field rps)" \
    'BEGIN { loop = c * 1000 / got - d; d = c * 1000 / r - loop; if (d < 0) d = 0; printf "%.3f", d }')
  scrape "$out/m0.txt"
  BENCH_DELAY_MS=$delay_ms run_wrk "$name" "$script" "$silo_url" "$duration"
  scrape "$out/m1.txt"
  local backend=$(($(backend_calls "$out/m1.txt") - $(backend_calls "$out/m0.txt")))
  [ "$hit" != auto ] || hit=$(awk -v b="$backend" -v r="$(field requests)" 'BEGIN { if (r > 0) printf "%.1f%%", 100 * (1 - b / r); else print "n/a" }')
  record "$label" "$hit" "$backend" "-" \
    "target $target_rps req/s, delay ${delay_ms} ms/conn; server p50/p99/p99.9 $(server_latency "$out/m0.txt" "$out/m1.txt") ms"
}

half_load half-load hit.lua "$hit_metrics_rps" "cache hit at ~half load (paced)" "100% (one URL)"
unset BENCH_PATH

# ---------------------------------------------------------------- 2. Zipf users
export BENCH_USERS=$users BENCH_ZIPF_S=1.1
run_wrk zipf-warmup zipf.lua "$silo_url" "$warmup"
scrape "$out/m0.txt"
run_wrk zipf zipf.lua "$silo_url" "$duration"
scrape "$out/m1.txt"
misses=$(($(backend_calls "$out/m1.txt") - $(backend_calls "$out/m0.txt")))
zipf_hit=$(awk -v m="$misses" -v r="$(field requests)" 'BEGIN { printf "%.1f%%", 100 * (1 - m / r) }')
# What a perfect cache could do at this request rate: one fetch per distinct user per 10 s max-age window.
zipf_ideal=$(awk -v n="$users" -v s=1.1 -v r="$(field rps)" -v age=10 'BEGIN {
  for (k = 1; k <= n; k++) { p[k] = k ^ -s; t += p[k] }
  w = r * age; for (k = 1; k <= n; k++) d += 1 - exp(w * log(1 - p[k] / t))
  printf "%.1f%%", 100 * (1 - d / w) }')
record "Zipf s=1.1 over $users users, recommend 25 decorated" "$zipf_hit" "$misses" "-" \
  "after ${warmup} s warm-up; ideal at this rate $zipf_ideal; server p50/p99/p99.9 $(server_latency "$out/m0.txt" "$out/m1.txt") ms"

# ---------------------------------------------------------------- 2b. concurrent misses on one key
# Each wrk thread moves to a new (unknown) user every connections/threads requests, so its connections miss on
# the same key together; backend fetches should equal the distinct keys (requests / per_key, within one per thread).
per_key=$((connections / threads))
scrape "$out/m0.txt"
BENCH_SAME_KEY=$per_key run_wrk coalesce coalesce.lua "$silo_url" "$duration"
scrape "$out/m1.txt"
fetches=$(($(backend_calls "$out/m1.txt") - $(backend_calls "$out/m0.txt")))
keys=$(awk -v r="$(field requests)" -v k="$per_key" 'BEGIN { printf "%.0f", r / k }')
record "concurrent misses: $per_key requests per new key" \
  "$(awk -v f="$fetches" -v r="$(field requests)" 'BEGIN { printf "%.1f%%", 100 * (1 - f / r) }')" "$fetches" "-" \
  "~$keys distinct keys: $(awk -v f="$fetches" -v k="$keys" 'BEGIN { printf "%.2f", f / k }') backend calls per key"

# ---------------------------------------------------------------- 3. mix, and events on their own
event_probe='{"sessionId":"bench-probe","userId":"u00001","eventList":[{"eventType":"view","itemId":"i00001","sentAt":'"$(date +%s)"'}]}'
event_status=$(curl -s -o "$out/event-probe.txt" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
  --data "$event_probe" "$silo_url/events/sample-store") || true
case "$event_status" in
  2??) events_available=1 ;;
  404) events_available=0; note "events endpoint unavailable (POST /events/sample-store answered 404): events left out of the mix, events/s not measured" ;;
  *) fail "POST /events/sample-store answered $event_status: $(head -c 300 "$out/event-probe.txt")" ;;
esac

scrape "$out/m0.txt"
BENCH_EVENTS=$events_available run_wrk mix mix.lua "$silo_url" "$duration"
scrape "$out/m1.txt"
mix_events="-"
if [ "$events_available" -eq 1 ]; then
  mix_events=$(awk -v r="$(field rps)" 'BEGIN { printf "%.0f", r * 0.15 }')
fi
mix_label="mix: recommend 50 / related 20 / rerank 15 / events 15"
[ "$events_available" -eq 1 ] || mix_label="mix: recommend 65 / related 20 / rerank 15 (no events)"
record "$mix_label" "n/a" "n/a" "$mix_events" \
  "server p50/p99/p99.9 $(server_latency "$out/m0.txt" "$out/m1.txt") ms"

if [ "$events_available" -eq 1 ]; then
  run_wrk events events.lua "$silo_url" "$duration"
  record "events (1 per PutEvents request)" "-" "-" "$(printf '%.0f' "$(field rps)")" ""
  # Apps batch events as PutEvents does (up to 10 per call); throughput in events is what the target counts.
  BENCH_EVENTS_PER_REQUEST=10 run_wrk events-batched events.lua "$silo_url" "$duration"
  record "events (10 per PutEvents request)" "-" "-" "$(awk -v r="$(field rps)" 'BEGIN { printf "%.0f", r * 10 }')" "$(printf '%.0f' "$(field rps)") requests/s"
fi
unset BENCH_USERS BENCH_ZIPF_S

# ---------------------------------------------------------------- 3b. cache hit over warmed users
# The sample config keeps a user's response 10 s (+20 s stale): too short to warm 10,000 users and measure hits.
# The bench copy keeps it an hour, over the same generated data (written by the default silo's first start above).
stop "$silo_pid"
hit_config=$out/hit/config.json
mkdir -p "$out/hit"
[ -d "$root/samples/generated" ] || fail "no sample data at $root/samples/generated (the default silo writes it on start-up)"
sed -E 's/("userSpecified": *\{ *"maxAge": *)10,/\13600,/; s/"version": *"[^"]*"/"version": "bench-hit"/' \
  "$root/samples/config.json" >"$hit_config"
grep -Eq '"userSpecified": *\{ *"maxAge": *3600,' "$hit_config" \
  || fail "could not raise the userSpecified maxAge in $hit_config (samples/config.json changed shape?)"
ln -sfn "$root/samples/generated" "$out/hit/generated"

# warm_users NAME URL USERS [ADDRS]: users 1..USERS each ask once (short chunks until every one was seen, see
# users.lua); sets warm_seconds.
warm_seconds=0
warm_users() {
  local name=$1 url=$2 n=$3 addrs=${4:-} start=0 next started=$SECONDS chunk=5 empty=0
  [ "$smoke" -eq 1 ] && chunk=2
  while [ "$start" -lt "$n" ]; do
    [ $((SECONDS - started)) -lt 900 ] || fail "$name: only $start of $n users warmed after 900 s"
    BENCH_MODE=warm BENCH_USERS=$n BENCH_START=$start BENCH_ADDRS=$addrs run_wrk "$name" users.lua "$url" "$chunk"
    # A cold silo (or cluster) on a busy machine may answer nothing within one short chunk: try again, a few times.
    if [ "$(field requests)" -eq 0 ]; then
      empty=$((empty + 1))
      [ "$empty" -lt 10 ] || fail "$name: 10 chunks in a row completed no request (see $logs/wrk-$name.log)"
      continue
    fi
    empty=0
    [ "$(errors_of_result)" -eq 0 ] || fail "$name: $(errors_of_result) errors while warming (see $logs/wrk-$name.log)"
    next=$(sed -n 's/^BENCH_WARM next=//p' "$logs/wrk-$name.log")
    [[ $next =~ ^[0-9]+$ ]] || fail "$name: users.lua printed no BENCH_WARM line (see $logs/wrk-$name.log)"
    [ "$next" -gt "$start" ] || next=$((start + $(field requests)))
    start=$next
  done
  # A thread stops once it has as many answers as ranks, but past its last rank it asks for the last user again,
  # and such a hit can come back before a slow miss still in flight on another connection. So ask for the last
  # ranks once more on one connection, where answers come strictly in order (hits, except for such a user).
  local saved_connections=$connections saved_threads=$threads tail_start
  tail_start=$((n > 2 * connections ? n - 2 * connections : 0))
  connections=1 threads=1
  while [ "$tail_start" -lt "$n" ]; do
    [ $((SECONDS - started)) -lt 900 ] || fail "$name: the last users were not warmed after 900 s"
    BENCH_MODE=warm BENCH_USERS=$n BENCH_START=$tail_start BENCH_ADDRS=${addrs%%,*} run_wrk "$name-tail" users.lua "$url" "$chunk"
    [ "$(errors_of_result)" -eq 0 ] || fail "$name: $(errors_of_result) errors while warming (see $logs/wrk-$name-tail.log)"
    next=$(sed -n 's/^BENCH_WARM next=//p' "$logs/wrk-$name-tail.log")
    [[ $next =~ ^[0-9]+$ ]] || fail "$name: users.lua printed no BENCH_WARM line (see $logs/wrk-$name-tail.log)"
    tail_start=$next
  done
  connections=$saved_connections threads=$saved_threads
  warm_seconds=$((SECONDS - started))
}

hit_ratio() { awk -v b="$1" -v r="$2" 'BEGIN { if (r > 0) printf "%.1f%%", 100 * (1 - b / r); else print "n/a" }'; }
percent_of() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "n/a" }'; }

log "one silo: warming $hit_users users (maxAge 3600 s)"
start_silo silo-hit -- --config "$hit_config"
curl -sf -o /dev/null "$silo_url$hit_path" || fail "warm-up request failed: GET $hit_path"
warm_users warm-hit "$silo_url" "$hit_users"
export BENCH_MODE=random BENCH_USERS=$hit_users
run_wrk hit-users-jit users.lua "$silo_url" "$warmup"
scrape "$out/m0.txt"
run_wrk hit-users users.lua "$silo_url" "$duration"
scrape "$out/m1.txt"
one_silo_rps=$(field rps)
hit_backend=$(($(backend_calls "$out/m1.txt") - $(backend_calls "$out/m0.txt")))
record "cache hit, $hit_users warmed users, 25 decorated items" "$(hit_ratio "$hit_backend" "$(field requests)")" "$hit_backend" "-" \
  "$(percent_of "$one_silo_rps" "$ceiling_rps") of ceiling; warmed in ${warm_seconds} s; server p50/p99/p99.9 $(server_latency "$out/m0.txt" "$out/m1.txt") ms"
[ "$hit_backend" -eq 0 ] || note "cache hit over $hit_users users: $hit_backend backend calls during the measurement (expected 0: unwarmed users or evictions)"
half_load hit-users-half users.lua "$one_silo_rps" "cache hit, $hit_users warmed users, ~half load (paced)" auto
unset BENCH_MODE BENCH_USERS
stop "$silo_pid"

# ---------------------------------------------------------------- 3c. two silos (redis membership)
# Two silos in one cluster (Cluster__Provider=redis on a throwaway redis-server), each with its own HTTP, silo and
# gateway port. wrk thread t connects to silo t mod 2, so each silo takes half the requests; grains are placed on
# either silo, so about half the grain calls cross to the other silo. Same users, config and load as 3b.
if [ "$two_silo" -eq 0 ]; then
  note "two-silo shape skipped (--skip-two-silo)"
elif ! command -v redis-server >/dev/null 2>&1; then
  note "two-silo shape skipped: redis-server is not installed (apt-get install redis-server)"
else
  redis_port=""
  free_port redis_port
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >"$logs/redis.log" 2>&1 &
  redis_pid=$!
  pids+=("$redis_pid")
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null && break
    kill -0 "$redis_pid" 2>/dev/null || fail "redis-server exited during startup (see $logs/redis.log)"
    sleep 0.1
  done
  cluster_env=(Cluster__Provider=redis "Cluster__Redis__ConnectionString=127.0.0.1:$redis_port" "Cluster__ClusterId=bench-$$")
  launch_silo silo-a "${cluster_env[@]}" -- --config "$hit_config"
  a_pid=$silo_pid a_url=$silo_url a_port=$silo_port
  launch_silo silo-b "${cluster_env[@]}" -- --config "$hit_config"
  b_pid=$silo_pid b_url=$silo_url b_port=$silo_port
  wait_for "$a_url/ready" "$a_pid" silo-a
  wait_for "$b_url/ready" "$b_pid" silo-b
  # Both are Active in membership; give each a moment to see the other before grains are placed, and take the
  # first (JIT) requests outside the warming chunks.
  sleep 2
  curl -sf -o /dev/null "$a_url$hit_path" || fail "warm-up request to silo-a failed: GET $hit_path"
  curl -sf -o /dev/null "$b_url$hit_path" || fail "warm-up request to silo-b failed: GET $hit_path"
  addrs="127.0.0.1:$a_port,127.0.0.1:$b_port"
  silo_pid=$a_pid silo_url=$a_url
  log "two silos: warming $hit_users users over both"
  saved_threads=$threads
  [ $((threads % 2)) -eq 0 ] || threads=$((threads + 1))
  [ "$connections" -ge "$threads" ] || fail "--connections ($connections) must be at least $threads for two silos"
  warm_users warm-two "$a_url" "$hit_users" "$addrs"
  # Misses run inside the user grain: each silo's backend calls while warming = the users placed on it.
  silo_url=$a_url; scrape "$out/a-warm.txt"
  silo_url=$b_url; scrape "$out/b-warm.txt"
  placed_a=$(backend_calls "$out/a-warm.txt") placed_b=$(backend_calls "$out/b-warm.txt")
  export BENCH_MODE=random BENCH_USERS=$hit_users BENCH_ADDRS=$addrs
  run_wrk two-silo-jit users.lua "$a_url" "$warmup"
  check_alive "$b_pid" silo-b two-silo-jit
  run_wrk two-silo users.lua "$a_url" "$duration"
  check_alive "$b_pid" silo-b two-silo
  two_rps=$(field rps)
  silo_url=$a_url; scrape "$out/a-after.txt"
  silo_url=$b_url; scrape "$out/b-after.txt"
  two_backend=$(($(backend_calls "$out/a-after.txt") + $(backend_calls "$out/b-after.txt") - placed_a - placed_b))
  unset BENCH_MODE BENCH_USERS BENCH_ADDRS
  threads=$saved_threads
  record "two silos (redis), $hit_users warmed users, 25 decorated items" "$(hit_ratio "$two_backend" "$(field requests)")" "$two_backend" "-" \
    "$(percent_of "$two_rps" "$ceiling_rps") of ceiling, $(percent_of "$two_rps" "$one_silo_rps") of one silo; users placed $placed_a/$placed_b (silo a/b), requests split evenly, so ~half the grain calls remote"
  stop "$a_pid" "$b_pid"
  stop "$redis_pid"
  silo_pid=""
fi

# ---------------------------------------------------------------- 4. miss-heavy against LocalAws (optional)
if [ "$miss" -eq 1 ]; then
  injected_ms=20
  aws_port=""
  free_port aws_port
  "$bin/localaws/Personalization.LocalAws" --urls "http://127.0.0.1:$aws_port" >"$logs/localaws.log" 2>&1 &
  aws_pid=$!
  pids+=("$aws_pid")
  wait_for "http://127.0.0.1:$aws_port/_local/recorded" "$aws_pid" localaws
  curl -sf -X POST -H 'Content-Type: application/json' --data "{\"operation\":\"*\",\"milliseconds\":$injected_ms}" \
    "http://127.0.0.1:$aws_port/_local/latency" || fail "could not set the LocalAws latency"
  mkdir -p "$out/miss"
  cat >"$out/miss/config.json" <<'JSON'
{
  "version": "bench-miss",
  "cacheControl": { "userSpecified": { "maxAge": 10, "directives": "private" } },
  "namespaces": {
    "bench": {
      "name": "Miss-heavy benchmark",
      "recommenders": {
        "recommend-items": {
          "campaign": {
            "variations": {
              "campaign": { "type": "personalize-campaign", "arn": "arn:aws:personalize:us-east-1:000000000000:campaign/bench" }
            }
          }
        }
      }
    }
  }
}
JSON
  stop "$silo_pid"
  start_silo silo-miss AWS_ACCESS_KEY_ID=AKIDLOCALTEST AWS_SECRET_ACCESS_KEY=local-test-secret-key AWS_REGION=us-east-1 \
    "Aws__ServiceUrls__personalize-runtime=http://127.0.0.1:$aws_port" "Aws__Region=us-east-1" -- --config "$out/miss/config.json"
  probe_status=$(curl -s -o "$out/miss/probe.txt" -w '%{http_code}' "$silo_url/recommend-items/bench/campaign/probe-user") || true
  if [ "$probe_status" != 200 ]; then
    note "miss-heavy skipped: the silo cannot serve a personalize-campaign variation on this build (GET answered $probe_status: $(head -c 200 "$out/miss/probe.txt" | tr '\n' ' '))"
  else
    export BENCH_PREFIX=/recommend-items/bench/campaign/ BENCH_SUFFIX=""
    curl -sf -X DELETE "http://127.0.0.1:$aws_port/_local/recorded" || true
    # Every request a distinct user: all misses, p99 minus the injected latency is the miss-path overhead.
    # Overhead is measured below saturation (8 connections): silo, LocalAws and wrk share 2 cores, and at 64
    # connections the queueing for CPU, not the miss path, would set the tail.
    saved_connections=$connections
    connections=8
    BENCH_USERS=100000000 run_wrk miss-unique distinct.lua "$silo_url" "$duration"
    connections=$saved_connections
    curl -sf "http://127.0.0.1:$aws_port/_local/recorded?operation=GetRecommendations" >"$out/miss/recorded-unique.json"
    calls=$(grep -o '"operation"' "$out/miss/recorded-unique.json" | wc -l)
    record "miss-heavy: distinct users, backend +${injected_ms} ms" "0%" "$calls" "-" \
      "miss-path overhead p99 = $(awk -v p="$(field p99_us)" -v i="$injected_ms" 'BEGIN { printf "%.2f", p / 1000 - i }') ms over the injected latency"
    unset BENCH_PREFIX BENCH_SUFFIX
  fi
  stop "$silo_pid"
  stop "$aws_pid"
else
  note "miss-heavy run skipped (--skip-miss or --smoke)"
fi

# ---------------------------------------------------------------- 5. memory: RSS added per cached user
# Every user asks once (recommend-items, 25 decorated items) on the hour-long cache policy, so every response is
# still held at the end; (RSS after - RSS after the first request) / users is the cost of one cached user: its
# grain activation, its response cache entry and the response's own bytes (item metadata is shared).
if [ -n "$silo_pid" ] && kill -0 "$silo_pid" 2>/dev/null; then stop "$silo_pid"; fi
start_silo silo-memory -- --config "$hit_config"
curl -sf -o /dev/null "$silo_url$hit_path" || fail "warm-up request failed"
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
sleep 1
rss_before=$(rss_kb "$silo_pid")
# wrk waits out its -d even when every thread has stopped: run short chunks, each continuing after the last.
seen=0 memory_errors=0 chunk=5 memory_started=$SECONDS memory_empty=0
[ "$smoke" -eq 1 ] && chunk=2
while [ "$seen" -lt "$memory_users" ]; do
  [ $((SECONDS - memory_started)) -lt 900 ] || fail "memory: only $seen of $memory_users users after 900 s"
  # One wrk thread: its ranks are consecutive, so the next chunk starts exactly after the last one.
  saved_threads=$threads threads=1
  BENCH_USERS=$memory_users BENCH_START=$seen run_wrk memory distinct.lua "$silo_url" "$chunk"
  threads=$saved_threads
  # A fresh silo on a busy machine may answer nothing within one short chunk: try again, a few times.
  if [ "$(field requests)" -eq 0 ]; then
    memory_empty=$((memory_empty + 1))
    [ "$memory_empty" -lt 10 ] || fail "memory: 10 chunks in a row completed no request (see $logs/wrk-memory.log)"
    continue
  fi
  memory_empty=0
  seen=$((seen + $(field requests)))
  memory_errors=$((memory_errors + $(errors_of_result)))
done
sleep 2
rss_after=$(rss_kb "$silo_pid")
scrape "$out/m1.txt"
memory_backend=$(backend_calls "$out/m1.txt")
per_user=$(awk -v a="$rss_after" -v b="$rss_before" -v n="$memory_users" 'BEGIN { printf "%.0f", (a - b) * 1024 / n }')
printf '| memory: %s distinct users once, 25 decorated items | - | - | - | - | 0%% (all new) | %s | - | %s | RSS %s MB -> %s MB: %s bytes per cached user (%s requests, %s s to fill) |\n' \
  "$memory_users" "$memory_backend" "$memory_errors" "$((rss_before / 1024))" "$((rss_after / 1024))" "$per_user" \
  "$seen" "$((SECONDS - memory_started))" >>"$out/results.md"
log "memory: RSS $((rss_before / 1024)) MB -> $((rss_after / 1024)) MB, $per_user bytes per cached user, errors $memory_errors"
if [ "$memory_errors" -ne 0 ]; then
  failures=$((failures + 1))
fi
[ "$memory_backend" -ge "$memory_users" ] || note "memory: only $memory_backend backend calls for $memory_users users (expected one per user)"
stop "$silo_pid"

# ---------------------------------------------------------------- 6. start-up to /ready, embedded default
# Process start to the first 200 from GET /ready (silo Active, configuration and data loaded), polled every 50 ms.
# The reference, started in turn with each silo: the bare Kestrel ceiling app's process start to its first 200.
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.0f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
startup_ms=() reference_ms=()
for i in $(seq 1 "$starts"); do
  started_ns=$(date +%s%N)
  launch_silo "startup-$i"
  wait_for "$silo_url/ready" "$silo_pid" "startup-$i"
  startup_ms+=($((($(date +%s%N) - started_ns) / 1000000)))
  stop "$silo_pid"
  free_port ceiling_port
  started_ns=$(date +%s%N)
  "$bin/ceiling/Personalization.Bench.Ceiling" --urls "http://127.0.0.1:$ceiling_port" --body "$out/hit-body.json" >"$logs/ceiling-startup.log" 2>&1 &
  ceiling_pid=$!
  pids+=("$ceiling_pid")
  wait_for "http://127.0.0.1:$ceiling_port/" "$ceiling_pid" ceiling-startup
  reference_ms+=($((($(date +%s%N) - started_ns) / 1000000)))
  stop "$ceiling_pid"
done
startup_sorted=$(printf '%s\n' "${startup_ms[@]}" | sort -n | tr '\n' ' ')
startup_median=$(printf '%s\n' "${startup_ms[@]}" | median)
reference_median=$(printf '%s\n' "${reference_ms[@]}" | median)
printf '| start-up to /ready (embedded default), median of %s | - | - | - | - | - | - | - | 0 | %s ms (all: %sms); bare Kestrel app to its first 200 in the same run: %s ms |\n' \
  "$starts" "$startup_median" "$startup_sorted" "$reference_median" >>"$out/results.md"
log "start-up to /ready: median $startup_median ms of $starts ($startup_sorted); bare Kestrel reference $reference_median ms"

# ---------------------------------------------------------------- report
{
  echo
  echo "$configuration build; wrk: $threads threads, $connections connections, ${duration} s per shape; silo and wrk share $(nproc) cores; load average at start: $load_at_start."
  echo "Hit ratio and backend calls come from /metrics: recommendations_backend_calls_total against requests served."
  echo "RSS of the silo: $((rss_after / 1024)) MB with $memory_users users cached (was $((rss_before / 1024)) MB after start-up): $per_user bytes per cached user."
  echo "Warmed-user shapes: $hit_users users, maxAge 3600 s (bench/.out/hit/config.json); two-silo req/s is also given as a share of the one-silo figure of the same run."
  for n in "${notes[@]}"; do echo "Note: $n"; done
} >>"$out/results.md"
echo
cat "$out/results.md"

if [ "$failures" -ne 0 ]; then
  log "$failures shape(s) had errors"
  exit 1
fi
