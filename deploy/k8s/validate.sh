#!/usr/bin/env bash
# Renders every overlay under deploy/k8s/overlays and validates the result offline:
# schema, unknown fields and cross-references (validate.mjs), then checks that the validator still
# rejects known-bad renderings, checks the DynamoDB tables (../aws/tables.yaml) against the providers' code, the
# eks-production settings and ../iam-policy.json (../aws/validate-tables.mjs), lints the sources with yamllint when
# it is installed, and checks the Dockerfile's restore layer (../check-dockerfile.sh). Needs kubectl (for `kubectl kustomize`), node and npm.
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

# The DynamoDB tables: key schemas and TTL as the providers' code has them, the table names eks-production uses,
# and the IAM policy's DynamoDB grants (exactly the providers' item calls, on exactly those two tables).
tables=("$here/../aws/tables.yaml" "$here/../iam-policy.json")
check_tables() {
  node "$here/../aws/validate-tables.mjs" "$modules" "$here/../.." "$1" "$2" "$3"
}
check_tables "${tables[@]}" "$rendered/eks-production.yaml"

# A validator that accepts everything proves nothing: each mutation below must be rejected.
production="$rendered/eks-production.yaml"
# shellcheck disable=SC2016  # sed expressions: $(...) is literal on purpose
mutations=(
  's/unhealthyPodEvictionPolicy: AlwaysAllow/unhealthyPodEvictionPolicies: AlwaysAllow/'
  's/containerPort: 8080/containerPort: "8080"/'
  's/readOnlyRootFilesystem: true/readOnlyRootFileSystem: true/'
  's/value: dynamodb/value: redis/'
  's/name: Cluster__DynamoDB__TableName/name: Cluster__DynamoDB__Table/'
  '/name: Storage__DynamoDB__CreateIfNotExists/{n;s/"false"/"true"/}'
  's/containerPort: 11111/containerPort: 11112/'
  's/terminationGracePeriodSeconds: 150/terminationGracePeriodSeconds: 120/'
  's/seconds: 10$/seconds: 30/'
  '/name: DOTNET_shutdownTimeoutSeconds/{n;s/"120"/"30"/}'
  's/name: Cluster__ServiceId/name: Cluster__Membership/'
  's/value: $(ORLEANS_CLUSTER_ID)/value: personalization-silo-2/'
  '/name: ORLEANS_SERVICE_ID/,+3d'
  '/^        orleans\/serviceId: /d'
  's/^          orleans\/clusterId: personalization-silo$/          orleans\/clusterId: other/'
  's/fieldPath: metadata.name$/fieldPath: metadata.uid/'
  's/^  - patch$/  - update/'
  's/^  - watch$/  - delete/'
  's/automountServiceAccountToken: true/automountServiceAccountToken: false/'
  's/path: \/health/path: \/ready/'
  's/timeoutSeconds: 5$/timeoutSeconds: 1/'
  '/startupProbe:/,/path:/s/path: \/ready/path: \/health/'
  's/ port: 11111$/ port: 11112/'
  '/ port: 30000$/d'
  's/port: http$/port: web/'
  's/maxUnavailable: 0/maxUnavailable: 1/'
  '/limits:/{n;s/memory: 1536Mi/cpu: "2"/}'
  '/kind: PodDisruptionBudget/,/^---/d'
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

# The same for the tables check: template, policy and settings that disagree must be rejected.
table_mutations=(
  "template|s/AttributeName: GrainType/AttributeName: StateName/"
  "template|s/AttributeName: ClusterId/AttributeName: Cluster/"
  "template|s/AttributeName: expires_at/AttributeName: ttl/"
  "template|s/PointInTimeRecoveryEnabled: true/PointInTimeRecoveryEnabled: false/"
  "template|s/BillingMode: PAY_PER_REQUEST/BillingMode: PROVISIONED/"
  "policy|s/dynamodb:DeleteItem/dynamodb:DeleteTable/"
  "policy|s/\"dynamodb:UpdateItem\",/\"dynamodb:UpdateItem\", \"dynamodb:Scan\",/"
  "policy|s/table\/PersonalizationGrainState/table\/*/"
  "policy|s/\"Action\": \"dynamodb:BatchGetItem\"/\"Action\": [\"dynamodb:BatchGetItem\", \"dynamodb:PutItem\"]/"
  "rendering|s/value: PersonalizationSilos/value: Silos/"
)
for entry in "${table_mutations[@]}"; do
  target="${entry%%|*}" mutation="${entry#*|}"
  files=("${tables[@]}" "$production")
  case "$target" in template) index=0 ;; policy) index=1 ;; *) index=2 ;; esac
  sed "$mutation" "${files[$index]}" > "$rendered/mutated-table-input"
  if cmp -s "${files[$index]}" "$rendered/mutated-table-input"; then
    echo "self-test: table mutation '$mutation' changed nothing in $target" >&2
    exit 1
  fi
  files[index]="$rendered/mutated-table-input"
  if check_tables "${files[@]}" > /dev/null 2>&1; then
    echo "self-test: tables check accepted a $target mutated by '$mutation'" >&2
    exit 1
  fi
done
echo "ok   tables check rejected all ${#table_mutations[@]} mutated inputs"

if command -v yamllint > /dev/null; then
  yamllint --strict -c "$here/.yamllint.yaml" "$here"
  echo "ok   yamllint"
else
  echo "skip yamllint (not installed: apt-get install -y yamllint)"
fi

"$here/../check-dockerfile.sh"
