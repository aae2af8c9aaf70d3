#!/usr/bin/env bash
# The Dockerfile restores from the project files alone; a ProjectReference added to the silo's
# dependency closure without a matching COPY line breaks `docker build` at restore. This script
# walks the closure from src/Silo and fails when a project file is missing from the Dockerfile.
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

if ((missing)); then
  exit 1
fi
echo "ok   Dockerfile copies all ${#seen[@]} projects of the silo's closure before restore"
