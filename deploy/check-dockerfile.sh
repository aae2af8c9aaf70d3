#!/usr/bin/env bash
# The Dockerfile restores from the project files alone; a ProjectReference added to the silo's
# dependency closure without a matching COPY line breaks `docker build` at restore. This script
# walks the closure from src/Silo and fails when a project file is missing from the Dockerfile, or when
# the Dockerfile copies a project file outside that closure (a deleted or renamed project breaks the COPY).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dockerfile="$root/Dockerfile"
pending=("src/Silo/Personalization.Silo.csproj")
seen=()
missing=0

while ((${#pending[@]} > 0)); do
  project="${pending[0]}"
  pending=("${pending[@]:1}")
  [[ " ${seen[*]} " == *" $project "* ]] && continue
  seen+=("$project")
  if ! grep -Eq "^COPY ${project//./\\.} " "$dockerfile"; then
    echo "Dockerfile does not copy $project before restore" >&2
    missing=1
  fi
  dir="$(dirname "$project")"
  while IFS= read -r reference; do
    reference="${reference//\\//}"
    pending+=("$(realpath -m --relative-to="$root" "$root/$dir/$reference")")
  done < <(grep -oP '<ProjectReference Include="\K[^"]+' "$root/$project" || true)
done

# The other direction: every project file the Dockerfile copies must exist and belong to the closure.
while IFS= read -r copied; do
  if [[ ! -f "$root/$copied" ]]; then
    echo "Dockerfile copies $copied, which does not exist" >&2
    missing=1
  elif [[ " ${seen[*]} " != *" $copied "* ]]; then
    echo "Dockerfile copies $copied, which src/Silo does not reference" >&2
    missing=1
  fi
done < <(grep -oP '^COPY \K\S+\.csproj(?= )' "$dockerfile" || true)

if ((missing)); then
  exit 1
fi
echo "ok   Dockerfile copies all ${#seen[@]} projects of the silo's closure before restore"
