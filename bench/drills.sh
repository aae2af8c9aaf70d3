#!/usr/bin/env bash
# Failure drills (issue 13), one command: three silo processes on loopback with DynamoDB (dynalite) membership and
# grain storage under steady load (recommend-items + events), three drills in turn:
#   kill -9 one silo (then restart it: it rejoins), a graceful rolling restart of all three, dynalite frozen for 30 s;
# plus the same kill with Redis clustering and storage. Needs node/npm (dynalite is installed on first use) and
# redis-server. Takes 4-6 minutes. The figures are printed at the end and kept in bench/.out/drills/; each drill's
# silo logs stay in /tmp/personalization-failover/. They run in CI too, as part of `dotnet test Personalization.sln`.
#
#   bench/drills.sh            all four drills
#   bench/drills.sh frozen     only the drills whose test name contains the word (Killing, rolling, frozen, Redis)
set -euo pipefail
cd "$(dirname "$0")/.."
results=$PWD/bench/.out/drills
rm -rf "$results"
mkdir -p "$results"

filter="FullyQualifiedName~Personalization.Api.Tests.Failover"
if [ $# -gt 0 ]; then
  [[ $1 =~ ^[A-Za-z_]+$ ]] || { echo "drills.sh: the filter must be one word, got '$1'" >&2; exit 2; }
  filter="$filter&FullyQualifiedName~$1"
fi

status=0
PERSONALIZATION_DRILL_RESULTS=$results dotnet test tests/Api.Tests --filter "$filter" || status=$?

echo
echo "==== drill figures ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores)"
shopt -s nullglob
files=("$results"/*.txt)
[ ${#files[@]} -gt 0 ] || { echo "no drill reported figures" >&2; exit 1; }
for file in "${files[@]}"; do
  echo "---- $(basename "$file" .txt)"
  cat "$file"
done
exit "$status"
