// Offline consistency check of the DynamoDB tables: deploy/aws/tables.yaml (CloudFormation) against the providers'
// code, the eks-production rendering and deploy/iam-policy.json.
//
//   node deploy/aws/validate-tables.mjs <node_modules dir> <repo root> <tables.yaml> <iam-policy.json> <rendered eks-production.yaml>
//
// Checks: key schemas and TTL attribute equal the code's (src/Orleans.Persistence.DynamoDB; the membership table's
// ClusterId hash key, one item per cluster); PAY_PER_REQUEST, point-in-time recovery, SSE; the table names the silos
// use are the template's; the IAM policy grants on exactly those two table ARNs exactly the item calls the providers
// make with CreateIfNotExists=false (the storage's calls are read from its source), and nothing that creates,
// resizes or deletes tables. Exits 1 and prints every problem.
import { createRequire } from "node:module";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const [modulesDir, root, templateFile, policyFile, renderedFile] = process.argv.slice(2);
if (!renderedFile) {
  console.error("usage: node validate-tables.mjs <node_modules dir> <repo root> <tables.yaml> <iam-policy.json> <eks-production.yaml>");
  process.exit(2);
}
const YAML = createRequire(join(modulesDir, "resolver.js"))("yaml");
const problems = [];

// ---- what the code says ----
const storageDir = join(root, "src/Orleans.Persistence.DynamoDB");
const storageSource = readdirSync(storageDir).filter((f) => f.endsWith(".cs")).map((f) => readFileSync(join(storageDir, f), "utf8")).join("\n");
const constant = (source, pattern, what) => {
  const match = pattern.exec(source);
  if (!match) problems.push(`cannot find ${what} in the provider's code`);
  return match?.[1];
};
// Calls made only when CreateIfNotExists=true: the silos never make them in production.
const CREATE_ONLY = new Set(["DescribeTable", "CreateTable", "UpdateTimeToLive", "UpdateTable"]);
const calls = (source) => new Set([...source.matchAll(/_client\.(\w+)Async\(/g)].map((m) => m[1]).filter((c) => !CREATE_ONLY.has(c)));
const storage = {
  table: constant(storageSource, /DefaultTableName = "([^"]+)"/, "the storage's default table name"),
  hash: constant(storageSource, /HashKey = "([^"]+)"/, "the storage's hash key"),
  range: constant(storageSource, /RangeKey = "([^"]+)"/, "the storage's range key"),
  ttl: constant(storageSource, /TimeToLiveAttributeName \{ get; set; \} = "([^"]+)"/, "the storage's TTL attribute"),
  actions: calls(storageSource),
};
// The membership table: its code when this checkout has it (a project named *Clustering.DynamoDB*), else its contract.
const membershipDir = readdirSync(join(root, "src")).find((d) => /Clustering\.DynamoDB/i.test(d));
const membershipSource = membershipDir
  ? readdirSync(join(root, "src", membershipDir), { recursive: true }).filter((f) => String(f).endsWith(".cs"))
    .map((f) => readFileSync(join(root, "src", membershipDir, String(f)), "utf8")).join("\n")
  : undefined;
const membership = {
  table: membershipSource ? constant(membershipSource, /DefaultTableName = "([^"]+)"/, "the membership table's default name") : "PersonalizationSilos",
  hash: "ClusterId",
  // Read the row (GetItem), create the cluster's item (PutItem), write rows and votes with one conditional update
  // (UpdateItem), delete the cluster's item (DeleteItem); DescribeTable at start-up.
  actions: membershipSource ? new Set([...calls(membershipSource), "DescribeTable"]) : new Set(["DescribeTable", "GetItem", "PutItem", "UpdateItem", "DeleteItem"]),
};

// ---- the CloudFormation template ----
const cfnTags = ["!Ref", "!GetAtt", "!Sub", "!Join", "!If", "!Equals", "!Not"].map((tag) => ({ tag, resolve: (value) => ({ [tag]: value }) }));
const template = YAML.parse(readFileSync(templateFile, "utf8"), { customTags: cfnTags });
const tables = Object.entries(template.Resources ?? {}).filter(([, r]) => r.Type === "AWS::DynamoDB::Table");
const tableName = (props) => {
  const ref = props.TableName?.["!Ref"];
  return ref ? template.Parameters?.[ref]?.Default : props.TableName;
};
function checkTable(what, expected, keys) {
  const found = tables.find(([, r]) => tableName(r.Properties) === expected.table);
  if (!found) {
    problems.push(`${templateFile}: no table named ${expected.table} (the ${what})`);
    return undefined;
  }
  const [id, { Properties: p, DeletionPolicy }] = found;
  const schema = (p.KeySchema ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`).join(",");
  const wanted = keys.map(([name, type]) => `${name}:${type}`).join(",");
  if (schema !== wanted) problems.push(`${id}: KeySchema ${schema} is not the ${what}'s ${wanted}`);
  for (const [name] of keys) {
    if (!(p.AttributeDefinitions ?? []).some((a) => a.AttributeName === name && a.AttributeType === "S")) problems.push(`${id}: ${name} must be defined as S`);
  }
  if (p.BillingMode !== "PAY_PER_REQUEST") problems.push(`${id}: BillingMode must be PAY_PER_REQUEST`);
  if (p.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled !== true) problems.push(`${id}: point-in-time recovery must be enabled`);
  if (p.SSESpecification?.SSEEnabled !== true) problems.push(`${id}: SSE must be enabled`);
  if (DeletionPolicy !== "Retain") problems.push(`${id}: DeletionPolicy must be Retain`);
  if (!Object.values(template.Outputs ?? {}).some((o) => o.Value?.["!GetAtt"] === `${id}.Arn`)) problems.push(`${id}: its ARN is not an output`);
  return p;
}
checkTable("membership table", membership, [[membership.hash, "HASH"]]);
const storageTable = checkTable("grain storage", storage, [[storage.hash, "HASH"], [storage.range, "RANGE"]]);
if (storageTable && !(storageTable.TimeToLiveSpecification?.Enabled === true && storageTable.TimeToLiveSpecification?.AttributeName === storage.ttl)) {
  problems.push(`grain state table: TTL must be enabled on ${storage.ttl}, the attribute the storage writes`);
}

// ---- the silos' settings (eks-production) ----
const silo = YAML.parseAllDocuments(readFileSync(renderedFile, "utf8")).map((d) => d.toJS())
  .filter((d) => d?.kind === "Deployment").flatMap((d) => d.spec.template.spec.containers)
  .find((c) => (c.env ?? []).some((e) => e.name === "Cluster__Provider"));
const setting = (name) => silo?.env?.find((e) => e.name === name)?.value;
for (const [name, expected] of [["Cluster__DynamoDB__TableName", membership.table], ["Storage__DynamoDB__TableName", storage.table]]) {
  if (setting(name) !== expected) problems.push(`${renderedFile}: ${name}=${setting(name)} is not the template's table ${expected}`);
}

// ---- the IAM policy ----
const policy = JSON.parse(readFileSync(policyFile, "utf8"));
const list = (v) => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const dynamo = policy.Statement.filter((s) => list(s.Action).some((a) => a.toLowerCase().startsWith("dynamodb:")));
for (const [what, expected] of [["membership table", membership], ["grain state table", storage]]) {
  const arnTail = `:table/${expected.table}`;
  const statements = dynamo.filter((s) => list(s.Resource).some((r) => r.endsWith(arnTail)));
  const granted = new Set(statements.flatMap((s) => list(s.Action)).map((a) => a.replace(/^dynamodb:/, "")));
  const missing = [...expected.actions].filter((a) => !granted.has(a));
  const extra = [...granted].filter((a) => !expected.actions.has(a));
  if (missing.length > 0) problems.push(`${policyFile}: the ${what} ${expected.table} lacks ${missing.join(", ")}`);
  if (extra.length > 0) problems.push(`${policyFile}: the ${what} ${expected.table} is granted ${extra.join(", ")}, which the provider does not call`);
}
// The item metadata tables (`inferenceItemMetadata.type = dynamodb`) are only read by the silos: BatchGetItem, nothing else.
const metadataTables = ":table/PersonalizationApiItemMetadata_*";
for (const statement of dynamo) {
  const metadata = list(statement.Resource).some((r) => r.endsWith(metadataTables));
  for (const resource of list(statement.Resource)) {
    if (metadata ? !resource.endsWith(metadataTables) : ![membership.table, storage.table].some((t) => resource.endsWith(`:table/${t}`))) {
      problems.push(`${policyFile}: statement ${statement.Sid} grants DynamoDB on ${resource}, which is neither table`);
    }
  }
  if (metadata && list(statement.Action).some((a) => a !== "dynamodb:BatchGetItem")) {
    problems.push(`${policyFile}: statement ${statement.Sid} grants more than dynamodb:BatchGetItem on the item metadata tables`);
  }
  for (const action of list(statement.Action)) {
    if (/\*|CreateTable|UpdateTable|DeleteTable/i.test(action)) problems.push(`${policyFile}: statement ${statement.Sid} grants ${action}`);
  }
}

if (problems.length > 0) {
  console.error(`FAIL DynamoDB tables, settings and IAM policy`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(`ok   tables.yaml: ${membership.table} (${membership.hash}) and ${storage.table} (${storage.hash}/${storage.range}, TTL ${storage.ttl}) match the code, eks-production and iam-policy.json`);
