// Offline validation of rendered Kubernetes manifests (the output of `kubectl kustomize`).
//
//   node deploy/k8s/validate.mjs <node_modules dir> <rendered.yaml>...
//
// The node_modules dir holds kubernetes-models@5.1.0 and yaml@2 (validate.sh installs them into a cache
// folder outside the repository). Each document is checked three ways:
//   1. schema: the matching kubernetes-models class's validate() (types, required fields, enums);
//   2. unknown fields: every key must be a field of the API type, since the schema check accepts
//      typos such as `publishNotReadyAdresses` that the API server would silently drop;
//   3. references between documents: selectors, Service and ConfigMap names, ports, env expansion.
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

// ---- references between the documents of one rendering ----

function podTemplateOf(doc) {
  return ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"].includes(doc.kind) ? doc.spec?.template : undefined;
}

function matches(selector, labels) {
  return Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
}

function checkReferences(docs, problems) {
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
        if (env.name === "Cluster__DnsName") {
          // Membership: the silos' DNS name must be a headless Service that lists ready pods only.
          const members = named("Service", (env.value ?? "").split(".")[0]);
          if (members?.spec?.clusterIP !== "None" || members.spec.publishNotReadyAddresses === true) {
            problems.push(`${at}: Cluster__DnsName ${env.value} is not a headless Service of ready pods in the rendering`);
          }
        }
        if (defined.has(env.name)) problems.push(`${at}: env ${env.name} is defined twice`);
        defined.add(env.name);
      }
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
