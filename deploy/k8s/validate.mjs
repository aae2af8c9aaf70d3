// Offline validation of rendered Kubernetes manifests (the output of `kubectl kustomize`).
//
//   node deploy/k8s/validate.mjs <node_modules dir> <rendered.yaml>...
//
// The node_modules dir holds kubernetes-models@5.1.0 and yaml@2 (validate.sh installs them into a cache
// folder outside the repository). Each document is checked three ways:
//   1. schema: the matching kubernetes-models class's validate() (types, required fields, enums);
//   2. unknown fields: every key must be a field of the API type, since the schema check accepts
//      typos such as `publishNotReadyAdresses` that the API server would silently drop;
//   3. references between documents: selectors, Service and ConfigMap names, ports, env expansion, and the
//      Orleans silo container: provider settings start-up accepts, no removed settings, Orleans ids (pod labels,
//      ORLEANS_* and Cluster__* agree), downward-API POD_*, RBAC for Orleans' Kubernetes hosting, http/silo/gateway
//      ports declared and admitted by the NetworkPolicy, probes, shutdown budget, rolling update, PDB, no CPU
//      limit; a deployment with an AWS identity (IRSA) keeps membership and grain state in DynamoDB.
// Exits 1 and prints every problem when any document fails.
import { createRequire } from "node:module";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [modulesArg, ...renderedFiles] = process.argv.slice(2);
if (!modulesArg || renderedFiles.length === 0) {
  console.error("usage: node validate.mjs <node_modules dir> <rendered.yaml>...");
  process.exit(2);
}
const modulesDir = resolve(modulesArg);
const modelsDir = join(modulesDir, "kubernetes-models");
if (!existsSync(join(modelsDir, "package.json"))) {
  console.error(`kubernetes-models is not installed in ${modulesDir}`);
  process.exit(2);
}
const YAML = createRequire(join(modulesDir, "resolver.js"))("yaml");

// "apps/v1" -> kubernetes-models/apps/v1, "v1" -> kubernetes-models/v1
function modelFolder(apiVersion) {
  return join(modelsDir, ...apiVersion.split("/"));
}

async function loadModelClass(apiVersion, kind) {
  const file = join(modelFolder(apiVersion), `${kind}.js`);
  if (!existsSync(file)) return undefined;
  const module = await import(pathToFileURL(file).href);
  return module[kind];
}

// ---- unknown-field check, driven by the models' TypeScript declarations ----

const interfaceCache = new Map();

function declarationPath(specifier, fromFile) {
  if (specifier.startsWith(".")) return resolve(dirname(fromFile), specifier.replace(/\.js$/, ".d.ts"));
  return join(modulesDir, specifier.replace(/\.js$/, "") + ".d.ts");
}

// Reads `export interface IName { "field"?: Type; ... }` from a .d.ts file. Returns undefined for
// files that only declare a type alias (Quantity, Time, IntOrString): those values are leaves.
function readInterface(file) {
  if (interfaceCache.has(file)) return interfaceCache.get(file);
  const lines = readFileSync(file, "utf8").split("\n");
  const imports = new Map();
  for (const line of lines) {
    const match = /^import \{ ([^}]+) \} from "([^"]+)";/.exec(line);
    if (!match) continue;
    for (const name of match[1].split(",").map((n) => n.trim())) imports.set(name, declarationPath(match[2], file));
  }
  const start = lines.findIndex((l) => /^export interface I\w+( extends [\w, ]+)? \{$/.test(l));
  let result;
  if (start >= 0) {
    const fields = new Map();
    for (let i = start + 1; i < lines.length && lines[i] !== "}"; i++) {
      const field = /^ {4}"([^"]+)"\??: (.*)$/.exec(lines[i]);
      if (!field) continue;
      let type = field[2];
      if (type === "{") {
        // A map: `{ [key: string]: ValueType; }` spread over three lines.
        const value = /^\s+\[key: string\]: (.*);$/.exec(lines[i + 1]);
        type = { map: value ? value[1] : "any" };
      } else {
        type = type.replace(/;$/, "");
      }
      fields.set(field[1], type);
    }
    result = { fields, imports };
  }
  interfaceCache.set(file, result);
  return result;
}

function checkFields(value, type, declaringFile, path, problems) {
  if (value === null || typeof value !== "object") return;
  if (typeof type === "object") {
    for (const [key, item] of Object.entries(value)) checkFields(item, type.map, declaringFile, `${path}.${key}`, problems);
    return;
  }
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value)) value.forEach((item, i) => checkFields(item, array[1], declaringFile, `${path}[${i}]`, problems));
    return;
  }
  if (!/^I\w+$/.test(type)) return;
  const owner = readInterface(declaringFile);
  const file = owner?.imports.get(type);
  if (!file || !existsSync(file)) return;
  checkObject(value, file, path, problems);
}

function checkObject(value, file, path, problems) {
  const declaration = readInterface(file);
  if (!declaration || Array.isArray(value)) return;
  for (const [key, item] of Object.entries(value)) {
    const type = declaration.fields.get(key);
    if (type === undefined) {
      problems.push(`${path}.${key}: unknown field`);
      continue;
    }
    checkFields(item, type, file, `${path}.${key}`, problems);
  }
}

// ---- the Orleans silo container (the one that sets Cluster__Provider) ----

// Settings of the home-made runtime; the Orleans silo ignores them, so a leftover hides a wrong setup.
const REMOVED_SETTINGS = new Set([
  "Cluster__Membership", "Cluster__DnsName", "Cluster__Port", "Cluster__Members", "Cluster__Self",
  "Runtime__Storage__DynamoDB__TableName", "Runtime__MaxActivationsPerType", "Runtime__CollectionAge",
]);
// What start-up accepts (ClusterSettings; Cluster__Provider=dynamodb comes with the DynamoDB membership table).
const PROVIDERS = {
  Cluster__Provider: { accepted: ["localhost", "redis", "dynamodb"], section: "Cluster" },
  Storage__Provider: { accepted: ["memory", "redis", "dynamodb"], section: "Storage" },
};
// The Kubernetes API calls of Orleans' Kubernetes hosting (KubernetesClusterAgent): get and patch its own pod, list
// and watch the cluster's pods. delete only serves DeleteDefunctSiloPods, which stays off.
const KUBERNETES_HOSTING_VERBS = ["get", "list", "watch", "patch"];

let allDocs = [];

function checkSilo(owner, spec, container, at, problems) {
  const env = new Map((container.env ?? []).map((e) => [e.name, e]));
  const labels = owner.spec.template.metadata?.labels ?? {};
  const fieldPath = (name) => env.get(name)?.valueFrom?.fieldRef?.fieldPath;
  // The value the container sees: literals with $(VAR) expanded, and downward-API pod labels resolved.
  const resolve = (name, depth = 0) => {
    const e = env.get(name);
    if (!e || depth > 5) return undefined;
    if (e.value !== undefined) return e.value.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (_, ref) => resolve(ref, depth + 1) ?? "");
    const label = /^metadata\.labels\['([^']+)'\]$/.exec(fieldPath(name) ?? "");
    return label ? labels[label[1]] : undefined;
  };
  const literal = (name, fallback) => resolve(name) ?? fallback;
  const isSet = (name) => env.has(name) && (env.get(name).value !== undefined || env.get(name).valueFrom !== undefined);

  const providers = {};
  for (const [name, { accepted, section }] of Object.entries(PROVIDERS)) {
    const value = (literal(name, accepted[0]) ?? "").trim().toLowerCase();
    providers[section] = value;
    if (!accepted.includes(value)) problems.push(`${at}: ${name}=${value} is refused at start-up (accepted: ${accepted.join(", ")})`);
    if (value === "redis" && !isSet(`${section}__Redis__ConnectionString`)) problems.push(`${at}: ${name}=redis needs ${section}__Redis__ConnectionString`);
    if (value === "dynamodb") {
      // Tables come from IaC (deploy/aws/tables.yaml): named explicitly, never created by the silos.
      if (!literal(`${section}__DynamoDB__TableName`)) problems.push(`${at}: ${name}=dynamodb must name its table (${section}__DynamoDB__TableName)`);
      if ((literal(`${section}__DynamoDB__CreateIfNotExists`) ?? "").toLowerCase() !== "false") {
        problems.push(`${at}: ${name}=dynamodb must set ${section}__DynamoDB__CreateIfNotExists=false (tables come from deploy/aws/tables.yaml)`);
      }
    }
    for (const other of ["Redis__ConnectionString", "DynamoDB__TableName"]) {
      if (isSet(`${section}__${other}`) && !other.toLowerCase().startsWith(value)) problems.push(`${at}: ${section}__${other} is set but ${name}=${value}`);
    }
  }
  const serviceAccount = allDocs.find((d) => d.kind === "ServiceAccount" && d.metadata?.name === spec.serviceAccountName);
  if (serviceAccount?.metadata?.annotations?.["eks.amazonaws.com/role-arn"] && !(providers.Cluster === "dynamodb" && providers.Storage === "dynamodb")) {
    problems.push(`${at}: with an AWS identity (IRSA) membership and grain state belong in DynamoDB (Cluster__Provider and Storage__Provider = dynamodb)`);
  }
  const clustered = providers.Cluster !== "localhost";
  if (clustered) {
    for (const name of ["Cluster__ServiceId", "Cluster__ClusterId"]) {
      if (!literal(name)) problems.push(`${at}: a multi-silo cluster must set ${name}`);
    }
    if (!isSet("Cluster__AdvertisedIP") && fieldPath("POD_IP") !== "status.podIP") {
      problems.push(`${at}: a multi-silo cluster needs POD_IP from status.podIP (or Cluster__AdvertisedIP), else silos advertise loopback`);
    }
  }

  // Orleans' Kubernetes hosting: POD_NAME and POD_NAMESPACE switch it on; it overrides the ids with ORLEANS_*
  // and finds the cluster's pods by the orleans/* labels, so labels, ORLEANS_* and Cluster__* must agree.
  if (fieldPath("POD_NAME") !== "metadata.name") problems.push(`${at}: POD_NAME must come from metadata.name (Kubernetes hosting)`);
  if (fieldPath("POD_NAMESPACE") !== "metadata.namespace") problems.push(`${at}: POD_NAMESPACE must come from metadata.namespace (Kubernetes hosting)`);
  if (fieldPath("POD_IP") !== "status.podIP") problems.push(`${at}: POD_IP must come from status.podIP`);
  for (const [id, variable, label] of [["ServiceId", "ORLEANS_SERVICE_ID", "orleans/serviceId"], ["ClusterId", "ORLEANS_CLUSTER_ID", "orleans/clusterId"]]) {
    const ours = literal(`Cluster__${id}`);
    if (!labels[label]) problems.push(`${at}: the pod template needs the label ${label}`);
    else if (labels[label] !== ours) problems.push(`${at}: pod label ${label}=${labels[label]} differs from Cluster__${id}=${ours}`);
    if (!isSet(variable)) problems.push(`${at}: ${variable} must be set (Orleans' Kubernetes hosting reads it)`);
    else if (resolve(variable) !== ours) problems.push(`${at}: ${variable}=${resolve(variable)} differs from Cluster__${id}=${ours}; the silo refuses to start`);
  }
  if (spec.automountServiceAccountToken === false || (spec.automountServiceAccountToken === undefined && serviceAccount?.automountServiceAccountToken === false)) {
    problems.push(`${at}: Kubernetes hosting needs the service account token mounted (automountServiceAccountToken)`);
  }
  const roles = allDocs
    .filter((d) => d.kind === "RoleBinding" && (d.subjects ?? []).some((s) => s.kind === "ServiceAccount" && s.name === spec.serviceAccountName))
    .map((b) => allDocs.find((d) => d.kind === b.roleRef?.kind && d.metadata?.name === b.roleRef?.name))
    .filter(Boolean);
  const podVerbs = new Set(roles.flatMap((r) => (r.rules ?? [])
    .filter((rule) => (rule.apiGroups ?? []).includes("") && (rule.resources ?? []).includes("pods"))
    .flatMap((rule) => rule.verbs ?? [])));
  for (const verb of KUBERNETES_HOSTING_VERBS) {
    if (!podVerbs.has(verb)) problems.push(`${at}: ServiceAccount ${spec.serviceAccountName} may not ${verb} pods (a RoleBinding to a Role with it is needed by Kubernetes hosting)`);
  }
  for (const verb of podVerbs) {
    if (!KUBERNETES_HOSTING_VERBS.includes(verb)) problems.push(`${at}: ServiceAccount ${spec.serviceAccountName} may ${verb} pods, which Kubernetes hosting does not need`);
  }

  // The Orleans ports must be declared beside http and open to the other silos.
  const containerPorts = (container.ports ?? []).map((p) => p.containerPort);
  const siloPort = Number(literal("Cluster__SiloPort", "11111"));
  const gatewayPort = Number(literal("Cluster__GatewayPort", "30000"));
  for (const [name, port] of [["http", 8080], ["silo", siloPort], ["gateway", gatewayPort]]) {
    if (!(container.ports ?? []).some((p) => p.name === name && p.containerPort === port)) problems.push(`${at}: needs container port ${name} ${port}`);
  }
  // Silo to silo only between pods of the same Orleans cluster (same orleans/* labels).
  const sameCluster = (peer) => peer.podSelector && !peer.namespaceSelector && !peer.ipBlock && matches(peer.podSelector.matchLabels, labels)
    && ["orleans/serviceId", "orleans/clusterId"].every((k) => peer.podSelector.matchLabels?.[k] !== undefined);
  for (const policy of allDocs.filter((d) => d.kind === "NetworkPolicy" && matches(d.spec?.podSelector?.matchLabels, labels))) {
    if (!(policy.spec?.policyTypes ?? ["Ingress"]).includes("Ingress")) continue;
    const fromSilos = (policy.spec?.ingress ?? []).filter((rule) => (rule.from ?? []).some(sameCluster));
    for (const port of [siloPort, gatewayPort]) {
      if (!fromSilos.some((rule) => (rule.ports ?? []).some((p) => p.port === port))) {
        problems.push(`NetworkPolicy/${policy.metadata?.name}: does not admit port ${port} from the silos of the same cluster (podSelector with the orleans/* labels)`);
      }
    }
    if (!(policy.spec?.ingress ?? []).some((rule) => (rule.ports ?? []).some((p) => p.port === 8080 || p.port === "http"))) {
      problems.push(`NetworkPolicy/${policy.metadata?.name}: admits no ingress on the http port 8080`);
    }
    for (const rule of policy.spec?.ingress ?? []) {
      const opensGateway = (rule.ports ?? []).some((p) => p.port === gatewayPort || p.port === "gateway") || !rule.ports;
      const onlySilos = rule.from && rule.from.every((peer) => peer.podSelector && !peer.namespaceSelector && matches(peer.podSelector.matchLabels, labels));
      if (opensGateway && !onlySilos) problems.push(`NetworkPolicy/${policy.metadata?.name}: opens the gateway port ${gatewayPort} beyond the silos' own pods`);
    }
  }

  // Liveness stays local and survives a long GC pause; readiness (and the end of start-up) follows Orleans membership.
  const liveness = container.livenessProbe;
  if (liveness?.httpGet?.path !== "/health") problems.push(`${at}: livenessProbe must be GET /health (local liveness only)`);
  if ((liveness?.timeoutSeconds ?? 1) < 5) problems.push(`${at}: livenessProbe timeoutSeconds must be at least 5 (a GC pause must not restart a silo)`);
  if ((liveness?.periodSeconds ?? 10) * (liveness?.failureThreshold ?? 3) < 60) problems.push(`${at}: livenessProbe must tolerate at least 60 s of failures (periodSeconds x failureThreshold)`);
  if (container.readinessProbe?.httpGet?.path !== "/ready") problems.push(`${at}: readinessProbe must be GET /ready`);
  if (container.startupProbe?.httpGet?.path !== "/ready") problems.push(`${at}: needs a startupProbe on GET /ready (joining the cluster takes a while)`);

  // Shutdown: preStop sleep, then the host's shutdown timeout (Orleans deactivation + event drain), before SIGKILL.
  const grace = spec.terminationGracePeriodSeconds ?? 30;
  const preStop = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
  const shutdown = Number(literal("DOTNET_shutdownTimeoutSeconds", "30"));
  if (preStop < 5 || preStop > 10) problems.push(`${at}: preStop sleep must be 5 to 10 s, not ${preStop}`);
  if (shutdown < 90 || shutdown > 120) problems.push(`${at}: DOTNET_shutdownTimeoutSeconds must be 90 to 120, not ${shutdown} (Orleans deactivation + event drain)`);
  if (!(grace > preStop + shutdown)) {
    problems.push(`${at}: terminationGracePeriodSeconds ${grace} must exceed preStop sleep ${preStop} + DOTNET_shutdownTimeoutSeconds ${shutdown}`);
  }

  // Never below the serving count during a rollout; no CPU limit (throttling stalls membership probes).
  const rolling = owner.spec.strategy?.rollingUpdate;
  if (owner.kind === "Deployment" && !(owner.spec.strategy?.type === "RollingUpdate" && String(rolling?.maxUnavailable) === "0" && String(rolling?.maxSurge) === "1")) {
    problems.push(`${at}: the Deployment must roll with maxUnavailable 0 and maxSurge 1`);
  }
  if (container.resources?.limits?.cpu !== undefined) problems.push(`${at}: no CPU limit on a silo (throttling stalls Orleans membership probes)`);
  if (!container.resources?.limits?.memory) problems.push(`${at}: needs a memory limit`);
  const autoscaled = allDocs.some((d) => d.kind === "HorizontalPodAutoscaler" && d.spec?.scaleTargetRef?.name === owner.metadata?.name);
  if ((autoscaled || (owner.spec.replicas ?? 1) > 2)
      && !allDocs.some((d) => d.kind === "PodDisruptionBudget" && matches(d.spec?.selector?.matchLabels, labels))) {
    problems.push(`${at}: more than two silos need a PodDisruptionBudget`);
  }
}

// ---- references between the documents of one rendering ----

function podTemplateOf(doc) {
  return ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"].includes(doc.kind) ? doc.spec?.template : undefined;
}

function matches(selector, labels) {
  return Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
}

function checkReferences(docs, problems) {
  allDocs = docs;
  const named = (kind, name) => docs.find((d) => d.kind === kind && d.metadata?.name === name);
  const templates = docs.filter(podTemplateOf).map((d) => ({ owner: d, template: podTemplateOf(d) }));
  const where = (d) => `${d.kind}/${d.metadata?.name}`;

  for (const { owner, template } of templates) {
    if (!matches(owner.spec.selector?.matchLabels, template.metadata?.labels)) {
      problems.push(`${where(owner)}: selector does not match the pod template labels`);
    }
    const spec = template.spec ?? {};
    if (spec.serviceAccountName && !named("ServiceAccount", spec.serviceAccountName)) {
      problems.push(`${where(owner)}: ServiceAccount ${spec.serviceAccountName} is not in the rendering`);
    }
    const volumes = new Set((spec.volumes ?? []).map((v) => v.name));
    for (const volume of spec.volumes ?? []) {
      const configMap = volume.configMap?.name;
      if (configMap && !named("ConfigMap", configMap)) problems.push(`${where(owner)}: volume ${volume.name} uses missing ConfigMap ${configMap}`);
    }
    for (const container of spec.containers ?? []) {
      const at = `${where(owner)} container ${container.name}`;
      const portNames = new Set((container.ports ?? []).map((p) => p.name));
      for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
        const port = container[probe]?.httpGet?.port;
        if (typeof port === "string" && !portNames.has(port)) problems.push(`${at}: ${probe} uses unknown port name ${port}`);
      }
      for (const mount of container.volumeMounts ?? []) {
        if (!volumes.has(mount.name)) problems.push(`${at}: volumeMount ${mount.mountPath} uses missing volume ${mount.name}`);
      }
      const defined = new Set();
      for (const env of container.env ?? []) {
        for (const [, ref] of (env.value ?? "").matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) {
          if (!defined.has(ref)) problems.push(`${at}: env ${env.name} expands $(${ref}), which is not defined before it`);
        }
        if (REMOVED_SETTINGS.has(env.name)) problems.push(`${at}: env ${env.name} is no longer read by the silo (Orleans replaced it)`);
        if (defined.has(env.name)) problems.push(`${at}: env ${env.name} is defined twice`);
        defined.add(env.name);
      }
      if (defined.has("Cluster__Provider")) checkSilo(owner, spec, container, at, problems);
    }
  }

  const podsSelectedBy = (selector) => templates.filter(({ template }) => matches(selector, template.metadata?.labels));
  for (const service of docs.filter((d) => d.kind === "Service")) {
    const targets = podsSelectedBy(service.spec?.selector);
    if (targets.length === 0) {
      problems.push(`${where(service)}: selector matches no pod template`);
      continue;
    }
    for (const port of service.spec?.ports ?? []) {
      if (typeof port.targetPort !== "string") continue;
      const named = targets.some(({ template }) =>
        (template.spec.containers ?? []).some((c) => (c.ports ?? []).some((p) => p.name === port.targetPort)));
      if (!named) problems.push(`${where(service)}: targetPort ${port.targetPort} is no container port name`);
    }
  }
  for (const budget of docs.filter((d) => d.kind === "PodDisruptionBudget")) {
    if (podsSelectedBy(budget.spec?.selector?.matchLabels).length === 0) problems.push(`${where(budget)}: selector matches no pod template`);
  }
  for (const policy of docs.filter((d) => d.kind === "NetworkPolicy")) {
    if (podsSelectedBy(policy.spec?.podSelector?.matchLabels).length === 0) problems.push(`${where(policy)}: podSelector matches no pod template`);
  }
  for (const autoscaler of docs.filter((d) => d.kind === "HorizontalPodAutoscaler")) {
    const target = autoscaler.spec?.scaleTargetRef;
    if (!named(target?.kind, target?.name)) problems.push(`${where(autoscaler)}: scale target ${target?.kind}/${target?.name} is not in the rendering`);
  }
  for (const ingress of docs.filter((d) => d.kind === "Ingress")) {
    for (const rule of ingress.spec?.rules ?? []) {
      for (const path of rule.http?.paths ?? []) {
        const backend = path.backend?.service;
        if (!backend) continue;
        if (backend.port?.name === "use-annotation") {
          if (!ingress.metadata?.annotations?.[`alb.ingress.kubernetes.io/actions.${backend.name}`]) {
            problems.push(`${where(ingress)}: path ${path.path} uses action ${backend.name}, which no annotation defines`);
          }
          continue;
        }
        const service = named("Service", backend.name);
        if (!service) {
          problems.push(`${where(ingress)}: path ${path.path} routes to missing Service ${backend.name}`);
        } else if (!(service.spec?.ports ?? []).some((p) => p.name === backend.port?.name || p.port === backend.port?.number)) {
          problems.push(`${where(ingress)}: path ${path.path} routes to a port Service ${backend.name} does not have`);
        }
      }
    }
  }
}

// ---- main ----

let failures = 0;
for (const renderedFile of renderedFiles) {
  const documents = YAML.parseAllDocuments(readFileSync(renderedFile, "utf8"));
  const docs = [];
  const problems = [];
  for (const document of documents) {
    if (document.errors.length > 0) {
      problems.push(...document.errors.map((e) => `YAML: ${e.message}`));
      continue;
    }
    const doc = document.toJS();
    if (doc === null) continue;
    docs.push(doc);
    const where = `${doc.kind}/${doc.metadata?.name}`;
    const Model = doc.apiVersion && doc.kind ? await loadModelClass(doc.apiVersion, doc.kind) : undefined;
    if (!Model) {
      problems.push(`${where}: no model for ${doc.apiVersion} ${doc.kind}`);
      continue;
    }
    try {
      new Model(doc).validate();
    } catch (error) {
      problems.push(`${where}: ${error.message}`);
    }
    checkObject(doc, join(modelFolder(doc.apiVersion), `${doc.kind}.d.ts`), where, problems);
  }
  checkReferences(docs, problems);
  if (problems.length > 0) {
    failures++;
    console.error(`FAIL ${renderedFile}`);
    for (const problem of problems) console.error(`  ${problem}`);
  } else {
    const kinds = docs.map((d) => d.kind).join(", ");
    console.log(`ok   ${renderedFile}: ${docs.length} documents valid (${kinds})`);
  }
}
process.exit(failures > 0 ? 1 : 0);
