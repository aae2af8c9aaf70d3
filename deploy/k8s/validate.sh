#!/usr/bin/env bash
# Renders every overlay under deploy/k8s/overlays and validates the result offline:
# schema, unknown fields and cross-references (validate.mjs), then checks that the validator still
# rejects known-bad renderings, lints the sources with yamllint when it is installed, and checks the
# Dockerfile's restore layer (../check-dockerfile.sh). Needs kubectl (for `kubectl kustomize`), node and npm.
#   deploy/k8s/validate.sh
# K8S_VALIDATE_CACHE overrides where the npm packages are installed (default ~/.cache/personalization-k8s-validate).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${K8S_VALIDATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/personalization-k8s-validate}"
modules="$cache/node_modules"

installed_version() {
  node -e 'try { console.log(require(process.argv[1]).version) } catch { console.log("none") }' "$modules/$1/package.json"
}

if [[ "$(installed_version kubernetes-models)" != "5.1.0" || "$(installed_version yaml)" != 2.* ]]; then
  echo "installing kubernetes-models@5.1.0 and yaml@2 into $cache"
  mkdir -p "$cache"
  [[ -f "$cache/package.json" ]] || echo '{ "name": "personalization-k8s-validate", "private": true }' > "$cache/package.json"
  # kubernetes-models declares node >= 22 but runs on node 20; the engine warning is expected.
  npm install --prefix "$cache" --no-audit --no-fund --loglevel=error kubernetes-models@5.1.0 yaml@2
fi

rendered="$(mktemp -d)"
trap 'rm -rf "$rendered"' EXIT

# The base is deployable on its own too, so it is validated like an overlay.
kubectl kustomize "$here/base" > "$rendered/base.yaml"
echo "rendered base"
for overlay in "$here"/overlays/*/; do
  name="$(basename "$overlay")"
  kubectl kustomize "$overlay" > "$rendered/$name.yaml"
  echo "rendered overlays/$name"
done

node "$here/validate.mjs" "$modules" "$rendered"/*.yaml

# The JSON documents the manifests and the README point at must parse.
for json in "$here/base/config.json" "$here/../iam-policy.json"; do
  node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$json"
  echo "ok   $(basename "$json") is valid JSON"
done

# The README shows the IAM policy; it must say the same as the file that gets attached.
# shellcheck disable=SC2016  # JavaScript source, not shell
node -e '
  const fs = require("fs");
  const readme = fs.readFileSync(process.argv[1], "utf8");
  const shown = /## AWS identity and the IAM policy[\s\S]*?```json\n([\s\S]*?)```/.exec(readme);
  const file = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  if (!shown || JSON.stringify(JSON.parse(shown[1])) !== JSON.stringify(file)) {
    console.error("deploy/k8s/README.md shows a different IAM policy than deploy/iam-policy.json");
    process.exit(1);
  }' "$here/README.md" "$here/../iam-policy.json"
echo "ok   README.md shows the policy in iam-policy.json"

# A validator that accepts everything proves nothing: each mutation below must be rejected.
production="$rendered/eks-production.yaml"
# shellcheck disable=SC2016  # sed expressions: $(...) is literal on purpose
mutations=(
  's/unhealthyPodEvictionPolicy: AlwaysAllow/unhealthyPodEvictionPolicies: AlwaysAllow/'
  's/containerPort: 8080/containerPort: "8080"/'
  's/readOnlyRootFilesystem: true/readOnlyRootFileSystem: true/'
  's/name: Cluster__Redis__ConnectionString/name: Cluster__Redis__Connection/'
  's/containerPort: 11111/containerPort: 11112/'
  's/terminationGracePeriodSeconds: 120/terminationGracePeriodSeconds: 100/'
  's/name: Cluster__ServiceId/name: Cluster__Membership/'
  's/path: \/health/path: \/ready/'
  's/ port: 11111$/ port: 11112/'
  's/port: http$/port: web/'
  's/actions\.metrics-not-public/actions.metrics-hidden/'
)
for mutation in "${mutations[@]}"; do
  sed "$mutation" "$production" > "$rendered/mutated.yaml"
  if cmp -s "$production" "$rendered/mutated.yaml"; then
    echo "self-test: mutation '$mutation' changed nothing" >&2
    exit 1
  fi
  if node "$here/validate.mjs" "$modules" "$rendered/mutated.yaml" > /dev/null 2>&1; then
    echo "self-test: validator accepted a rendering mutated by '$mutation'" >&2
    exit 1
  fi
done
echo "ok   validator rejected all ${#mutations[@]} mutated renderings"

if command -v yamllint > /dev/null; then
  yamllint --strict -c "$here/.yamllint.yaml" "$here"
  echo "ok   yamllint"
else
  echo "skip yamllint (not installed: apt-get install -y yamllint)"
fi

"$here/../check-dockerfile.sh"
