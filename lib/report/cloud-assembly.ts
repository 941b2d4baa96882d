import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { joinRel, ManifestReadError, readAssemblyJson, stackArtifacts, StackArtifact, stageAssemblies } from '../assembly/manifest';
import { assemblyIndex } from '../assembly/resources';
import { readValidationResults } from '../policy/findings';
import { Finding } from '../policy/vocabulary';
import { CfnTemplate, TemplateResource } from '../cfn/template';
import { exceptionsOfAssembly, ExceptionStatus, judgeExceptions } from '../policy/exceptions';

/**
 * A read-only view of a synthesized cloud assembly (`cdk.out`), as the
 * evidence report needs it: one environment per nested Stage assembly, its
 * stacks with their templates, and the gate's findings.
 */

/** One stack of an environment. */
export interface StackView {
  /** Artifact ID in the manifest, e.g. `devData58C5D5B6`. */
  readonly artifactId: string;
  /** Display name from manifest.json, e.g. `dev/Data`. */
  readonly displayName: string;
  /** CloudFormation stack name, e.g. `riverside-dev-data`. */
  readonly stackName: string;
  /** Template file relative to the root assembly directory. */
  readonly templatePath: string;
  /** `aws://<account>/<region>` as the manifest records it. */
  readonly environment: string;
  readonly terminationProtection: boolean;
  readonly template: CfnTemplate;
}

/** One resource of a stack, located. */
export interface ResourceRef {
  readonly stack: StackView;
  readonly logicalId: string;
  readonly type: string;
  readonly resource: TemplateResource;
  /** Construct path (from `aws:cdk:path` metadata or tree.json); '' when unknown. */
  readonly constructPath: string;
}

/** A JSON side file written next to the templates, e.g. `<stack>.secrets-contract.json`. */
export interface SideFile {
  /** File name relative to the root assembly directory. */
  readonly path: string;
  readonly content: unknown;
}

/** One environment: a nested Stage assembly (or the root assembly when there is no stage). */
export interface EnvironmentView {
  /** The stage name (`dev`, `prod`). */
  readonly name: string;
  /** Directory relative to the root assembly ('' for the root itself). */
  readonly directory: string;
  readonly stacks: readonly StackView[];
  readonly resources: readonly ResourceRef[];
  readonly sideFiles: readonly SideFile[];
  /** EXC-1: the exception records applied in this stage, judged as the gate judges them. */
  readonly exceptions: readonly ExceptionStatus[];
}

/** Which rule sets ran, read from validation-report.json. */
export interface GateRun {
  /** True when validation-report.json exists. */
  readonly reportFound: boolean;
  /** Plugin names in the report, sorted. */
  readonly ruleSets: readonly string[];
}

export interface CloudAssemblyView {
  readonly directory: string;
  readonly environments: readonly EnvironmentView[];
  readonly gate: GateRun;
  readonly findings: readonly Finding[];
}

/** The input is not a readable cloud assembly. */
export class AssemblyReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssemblyReadError';
  }
}

function readJson(file: string): unknown {
  try {
    return readAssemblyJson(file);
  } catch (err) {
    throw new AssemblyReadError(`cannot read ${file}: ${err instanceof ManifestReadError ? err.problem : (err as Error).message}`);
  }
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Reads `dir` (a cdk.out directory). Throws {@link AssemblyReadError} when it is not one. */
export function readCloudAssembly(dir: string): CloudAssemblyView {
  if (!existsSync(join(dir, 'manifest.json'))) {
    throw new AssemblyReadError(`${dir} is not a cloud assembly: no manifest.json (run \`npx cdk synth\` first, or name the cdk.out directory).`);
  }
  let artifacts: StackArtifact[];
  let results: ReturnType<typeof readValidationResults>;
  try {
    artifacts = stackArtifacts(dir);
    results = readValidationResults(dir);
  } catch (err) {
    if (err instanceof ManifestReadError) throw new AssemblyReadError(`cannot read ${err.file}: ${err.problem}`);
    throw err;
  }
  const pathOf = new Map<string, string>();
  for (const [path, loc] of assemblyIndex(dir)) pathOf.set(`${loc.templatePath}#${loc.logicalId}`, path);

  const stackView = (a: StackArtifact): StackView => ({
    artifactId: a.artifactId,
    displayName: a.displayName,
    stackName: a.stackName,
    templatePath: a.templatePath,
    environment: a.environment ?? 'aws://unknown-account/unknown-region',
    terminationProtection: a.terminationProtection,
    template: readJson(join(dir, a.templatePath)) as CfnTemplate,
  });
  const sorted = (stacks: StackView[]): StackView[] => stacks.sort((a, b) => byString(a.displayName, b.displayName));
  const environments: EnvironmentView[] = stageAssemblies(dir).map((stage) =>
    environmentOf(dir, stage.directory, stage.name, sorted(artifacts.filter((a) => a.stage?.directory === stage.directory).map(stackView)), pathOf));
  const rootStacks = artifacts.filter((a) => a.stage === undefined).map(stackView);
  if (rootStacks.length > 0) environments.push(environmentOf(dir, '', 'default', sorted(rootStacks), pathOf));
  environments.sort((a, b) => byString(a.name, b.name));

  const gate: GateRun = results ? { reportFound: true, ruleSets: results.ruleSets } : { reportFound: false, ruleSets: [] };
  const findings = results?.findings ?? [];
  const statuses = judgeExceptions(exceptionsOfAssembly(dir), findings, gate.ruleSets);
  const staged = (e: EnvironmentView, s: ExceptionStatus): boolean => e.directory !== '' && s.record.resource.startsWith(`${e.name}/`);
  const withExceptions = environments.map((e) => ({
    ...e,
    exceptions: statuses.filter((s) => (e.directory === '' ? !environments.some((o) => staged(o, s)) : staged(e, s))),
  }));
  return { directory: dir, environments: withExceptions, gate, findings };
}

function environmentOf(root: string, relDir: string, name: string, stacks: StackView[], pathOf: Map<string, string>): EnvironmentView {
  const resources: ResourceRef[] = [];
  for (const stack of stacks) {
    for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
      const meta = resource.Metadata?.['aws:cdk:path'];
      const constructPath = typeof meta === 'string' ? meta : pathOf.get(`${stack.templatePath}#${logicalId}`) ?? '';
      resources.push({ stack, logicalId, type: resource.Type, resource, constructPath });
    }
  }
  resources.sort((a, b) => byString(a.stack.displayName, b.stack.displayName) || byString(a.logicalId, b.logicalId));
  const sideFiles: SideFile[] = [];
  const abs = join(root, relDir);
  for (const file of readdirSync(abs).sort(byString)) {
    if (file.endsWith('.secrets-contract.json')) sideFiles.push({ path: joinRel(relDir, file), content: readJson(join(abs, file)) });
  }
  return { name, directory: relDir, stacks, resources, sideFiles, exceptions: [] };
}

/** The resources of an environment with one of the given types. */
export function resourcesOfType(env: EnvironmentView, ...types: string[]): ResourceRef[] {
  return env.resources.filter((r) => types.includes(r.type));
}

/** The environment a finding belongs to: by template path, else by construct path; undefined when it names neither. */
export function environmentOfFinding(finding: Finding, environments: readonly EnvironmentView[]): EnvironmentView | undefined {
  if (finding.templatePath) {
    const byDir = environments.find((e) => e.directory !== '' && finding.templatePath!.startsWith(`${e.directory}/`));
    if (byDir) return byDir;
    const root = environments.find((e) => e.directory === '' && e.stacks.some((s) => s.templatePath === finding.templatePath));
    if (root) return root;
  }
  if (finding.constructPath) {
    const stage = finding.constructPath.split('/')[0];
    return environments.find((e) => e.name === stage && e.directory !== '');
  }
  return undefined;
}
