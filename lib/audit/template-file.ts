import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { displayPath } from '../paths';
import { Acknowledgment, Validations } from 'aws-cdk-lib';
import { ArtifactMetadataEntryType, MetadataEntry } from 'aws-cdk-lib/cloud-assembly-schema';
import { ManifestReadError, stackArtifacts, StackArtifact } from '../assembly/manifest';
import { assemblyIndex, AssemblyIndex } from '../assembly/resources';
import { readValidationResults } from '../policy/findings';
import { acknowledgmentIdOf, CFN_VALIDATE_RULE_SET, Finding, RULE_SET_NAMES } from '../policy/vocabulary';
import { isMap, isScalar, LineCounter, parseDocument, Scalar, ScalarTag, CollectionTag, YAMLMap, YAMLSeq } from 'yaml';

/** A template or cdk.out the audit cannot read; the command exits 2 naming the file. */
export class AuditInputError extends Error {
  constructor(public readonly file: string, public readonly problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'AuditInputError';
  }
}

/** A CloudFormation template read from disk. */
export interface TemplateFile {
  /** The path as reported: relative to the working directory, `/`-separated. */
  readonly path: string;
  readonly absolutePath: string;
  readonly template: Record<string, unknown>;
  /** Line (1-based) of each resource's logical ID key in the file. */
  readonly resourceLines: ReadonlyMap<string, number>;
  /**
   * Acknowledgments recorded for the resources of a cdk.out template (by
   * logical ID), so auditing the baseline's own cloud assembly honours the
   * same accepted exceptions as the gate did at synth.
   */
  readonly acknowledgments?: ReadonlyMap<string, readonly RecordedAcknowledgment[]>;
  /** The account and region a cdk.out stack deploys to, when the manifest names them. */
  readonly environment?: { readonly account: string; readonly region: string };
  /**
   * For a template of a cloud assembly: each resource's construct path and
   * source line, so findings point at the project's code, not at cdk.out.
   */
  readonly constructs?: ReadonlyMap<string, ResourceOrigin>;
  /** For a template of a cloud assembly: the construct annotations (warnings, errors) its synth recorded. */
  readonly annotations?: readonly RecordedAnnotation[];
  /**
   * For a template of a cloud assembly: the findings of aws-cdk-lib's built-in
   * CloudFormation validation that its synth recorded in validation-report.json
   * (running AWS's validator again would double the audit's time).
   */
  readonly replayedFindings?: readonly Finding[];
}

/** The rule set whose findings a cdk.out's validation report supplies to the audit. */
const REPLAYED_RULE_SETS = new Set<string>([CFN_VALIDATE_RULE_SET]);

/** Findings of the replayed rule sets in `<root>/validation-report.json`, by template path relative to the root. */
function replayedFindingsOf(root: string): Map<string, Finding[]> {
  const byTemplate = new Map<string, Finding[]>();
  let findings: readonly Finding[];
  try {
    findings = readValidationResults(root)?.findings ?? [];
  } catch {
    // An unreadable report only loses the replay; the audit's own rule sets still run on every template.
    return byTemplate;
  }
  for (const f of findings) {
    if (!REPLAYED_RULE_SETS.has(f.ruleSet) || !f.templatePath) continue;
    byTemplate.set(f.templatePath, [...(byTemplate.get(f.templatePath) ?? []), f]);
  }
  return byTemplate;
}

/** A warning or error a construct added with Annotations, as the cloud assembly records it. */
export interface RecordedAnnotation {
  readonly constructPath: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

/** Where a resource of a synthesized template comes from. */
export interface ResourceOrigin {
  readonly constructPath: string;
  /** `file:line`, relative to the directory synthesis ran in. */
  readonly source?: string;
}

/** An acknowledgment as aws-cdk-lib's Validations.acknowledge records it in cloud assembly metadata. */
export type RecordedAcknowledgment = Pick<Acknowledgment, 'id' | 'reason'>;

/**
 * CloudFormation's YAML short forms. `!GetAtt a.b` splits at the first dot
 * (as CloudFormation does); every other tag maps to `Fn::<Name>` (or `Ref`,
 * `Condition`) around the tagged value, scalar, sequence or mapping alike.
 */
const SHORT_FORMS: Record<string, string> = {
  Ref: 'Ref',
  Condition: 'Condition',
  Sub: 'Fn::Sub',
  GetAtt: 'Fn::GetAtt',
  If: 'Fn::If',
  Join: 'Fn::Join',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  Base64: 'Fn::Base64',
  ImportValue: 'Fn::ImportValue',
  FindInMap: 'Fn::FindInMap',
  Equals: 'Fn::Equals',
  And: 'Fn::And',
  Or: 'Fn::Or',
  Not: 'Fn::Not',
  Cidr: 'Fn::Cidr',
  GetAZs: 'Fn::GetAZs',
  Transform: 'Fn::Transform',
  Length: 'Fn::Length',
  ToJsonString: 'Fn::ToJsonString',
  GetStackOutput: 'Fn::GetStackOutput',
};

function cfnTags(): (ScalarTag | CollectionTag)[] {
  const tags: (ScalarTag | CollectionTag)[] = [];
  for (const [short, long] of Object.entries(SHORT_FORMS)) {
    const wrap = (value: unknown): unknown => {
      if (short === 'GetAtt' && typeof value === 'string') {
        const dot = value.indexOf('.');
        return { [long]: dot === -1 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
      }
      return { [long]: value };
    };
    tags.push({ tag: `!${short}`, resolve: (value: string) => wrap(value) });
    const fromCollection = (node: YAMLMap.Parsed | YAMLSeq.Parsed): unknown => wrap(node.toJSON());
    tags.push({ tag: `!${short}`, collection: 'seq', resolve: fromCollection });
    tags.push({ tag: `!${short}`, collection: 'map', resolve: fromCollection });
  }
  return tags;
}

interface Parsed {
  readonly value: unknown;
  readonly lines: Map<string, number>;
}

/**
 * Where JSON.parse stopped, as ` at line L, column C`. Node's message quotes
 * the text around the error ("Unexpected token 'x', \"...\" is not valid
 * JSON"), which may be a secret in the file, so only the position is kept.
 */
function jsonErrorPosition(text: string, err: Error): string {
  const position = /at position (\d+)/.exec(err.message)?.[1];
  if (position === undefined) return '';
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  const column = Number(position) - before.lastIndexOf('\n');
  return ` at line ${line}, column ${column}`;
}

/** Parses JSON or YAML (with short forms) and finds the line of each resource key. */
export function parseTemplateText(text: string, file: string): Parsed {
  const looksJson = extname(file).toLowerCase() === '.json' || /^\s*[[{]/.test(text);
  let value: unknown;
  if (looksJson) {
    try {
      value = JSON.parse(text) as unknown;
    } catch (err) {
      throw new AuditInputError(file, `not valid JSON${jsonErrorPosition(text, err as Error)}`);
    }
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { customTags: cfnTags(), lineCounter, uniqueKeys: false, prettyErrors: true });
  if (!looksJson) {
    const problems = [...doc.errors, ...doc.warnings];
    if (problems.length > 0) {
      const p = problems[0];
      const unknownTag = /Unresolved tag: (\S+)/.exec(p.message);
      const where = p.linePos?.[0] ? ` (line ${p.linePos[0].line})` : '';
      throw new AuditInputError(file, unknownTag
        ? `unknown intrinsic function tag ${unknownTag[1]}${where}`
        : `not valid YAML${where}: ${p.message.split('\n')[0]}`);
    }
    value = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  }
  const lines = new Map<string, number>();
  // Positions come from the YAML parse, which also reads JSON; a JSON file YAML
  // cannot read (rare: e.g. tabs in odd places) just reports line 1.
  if (doc.errors.length === 0 && isMap(doc.contents)) {
    // Logical IDs are unique across these sections, so one map serves findings about parameters and outputs too.
    for (const section of ['Parameters', 'Outputs', 'Resources']) {
      const found = doc.contents.items.find((pair) => isScalar(pair.key) && pair.key.value === section);
      if (!found || !isMap(found.value)) continue;
      for (const pair of found.value.items) {
        const key = pair.key as Scalar | null;
        if (isScalar(key) && key.range) lines.set(String(key.value), lineCounter.linePos(key.range[0]).line);
      }
    }
  }
  return { value, lines };
}

/** Reads and checks one template file. */
export function readTemplateFile(file: string, cwd = process.cwd()): TemplateFile {
  const absolutePath = resolve(cwd, file);
  const path = displayPath(absolutePath, cwd);
  let text: string;
  try {
    text = readFileSync(absolutePath, 'utf8');
  } catch (err) {
    throw new AuditInputError(path, `cannot read file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const parsed = parseTemplateText(text, path);
  return { path, absolutePath, template: checkTemplate(parsed.value, path), resourceLines: parsed.lines };
}

function checkTemplate(value: unknown, file: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = Array.isArray(value) ? 'an array' : value === null ? 'empty' : `a ${typeof value}`;
    throw new AuditInputError(file, `not a CloudFormation template: the document is ${kind}, not a mapping with a Resources section`);
  }
  const template = value as Record<string, unknown>;
  const resources = template.Resources;
  if (typeof resources !== 'object' || resources === null || Array.isArray(resources) || Object.keys(resources).length === 0) {
    throw new AuditInputError(file, 'not a CloudFormation template: no Resources section (a template must declare at least one resource)');
  }
  for (const [logicalId, resource] of Object.entries(resources as Record<string, unknown>)) {
    // An AWS::LanguageExtensions loop (lib/audit/transforms.ts expands it).
    if (logicalId.startsWith('Fn::ForEach::')) continue;
    if (typeof resource !== 'object' || resource === null || typeof (resource as { Type?: unknown }).Type !== 'string') {
      throw new AuditInputError(file, `resource '${logicalId}' has no Type`);
    }
  }
  return template;
}

/** A stack template of a cloud assembly and the acknowledgments recorded for it. */
export interface AssemblyTemplate {
  readonly file: string;
  readonly acknowledgments: ReadonlyMap<string, readonly RecordedAcknowledgment[]>;
  readonly environment?: TemplateFile['environment'];
  readonly constructs: ReadonlyMap<string, ResourceOrigin>;
  readonly annotations: readonly RecordedAnnotation[];
  readonly replayedFindings: readonly Finding[];
}

function annotationsOf(metadata: Record<string, readonly MetadataEntry[]>): RecordedAnnotation[] {
  return Object.entries(metadata).flatMap(([path, entries]) =>
    entries
      .filter((e) => (e.type === ArtifactMetadataEntryType.WARN || e.type === ArtifactMetadataEntryType.ERROR) && typeof e.data === 'string')
      .map((e) => ({ constructPath: path.replace(/^\//, ''), severity: e.type === ArtifactMetadataEntryType.ERROR ? ('error' as const) : ('warning' as const), message: String(e.data) })),
  );
}

function originsOf(index: AssemblyIndex, templateRelPath: string): Map<string, ResourceOrigin> {
  const origins = new Map<string, ResourceOrigin>();
  for (const [constructPath, location] of index) {
    if (location.templatePath !== templateRelPath || location.logicalId === '') continue;
    origins.set(location.logicalId, { constructPath, ...(location.source ? { source: location.source } : {}) });
  }
  return origins;
}

/** `aws://<account>/<region>` with both parts concrete, else undefined. */
function parseEnvironment(text: string | undefined): TemplateFile['environment'] {
  const match = /^aws:\/\/(\d{12})\/([a-z0-9-]+)$/.exec(text ?? '');
  return match ? { account: match[1], region: match[2] } : undefined;
}

/** Namespaces whose acknowledgments the audit replays; bare (`Annotation::`) ones are not evidence. */
const REPLAYED_NAMESPACES = RULE_SET_NAMES.map((set) => acknowledgmentIdOf(set, ''));

function recordedAcknowledgments(
  metadata: Record<string, readonly MetadataEntry[]>,
  index: AssemblyIndex,
  templateRelPath: string,
): Map<string, RecordedAcknowledgment[]> {
  const byLogicalId = new Map<string, RecordedAcknowledgment[]>();
  for (const [metadataPath, entries] of Object.entries(metadata)) {
    const at = metadataPath.replace(/^\//, '');
    for (const entry of entries) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || typeof entry.data !== 'object' || entry.data === null) continue;
      // Validations.acknowledge records `{ [id]: reason }` under its metadata key.
      for (const [id, reason] of Object.entries(entry.data as unknown as Record<Acknowledgment['id'], Acknowledgment['reason']>)) {
        if (!REPLAYED_NAMESPACES.some((ns) => id.startsWith(ns))) continue;
        // The gate matched acknowledgments on the construct and everything below it.
        for (const [constructPath, location] of index) {
          if (location.templatePath !== templateRelPath) continue;
          if (constructPath !== at && !constructPath.startsWith(`${at}/`)) continue;
          byLogicalId.set(location.logicalId, [...(byLogicalId.get(location.logicalId) ?? []), { id, reason: String(reason) }]);
        }
      }
    }
  }
  return byLogicalId;
}

/**
 * The stack templates of a cloud assembly directory (cdk.out): each
 * `aws:cloudformation:stack` artifact, including nested Stage assemblies,
 * with the acknowledgments recorded in their metadata.
 */
export function assemblyTemplates(root: string, cwd = process.cwd()): AssemblyTemplate[] {
  if (!existsSync(join(root, 'manifest.json'))) {
    throw new AuditInputError(displayPath(resolve(cwd, root), cwd), 'a directory without manifest.json: pass a template file or a cloud assembly (cdk.out) directory');
  }
  let stacks: StackArtifact[];
  try {
    stacks = stackArtifacts(root);
  } catch (err) {
    if (!(err instanceof ManifestReadError)) throw err;
    const problem = err.missing ? 'a directory without manifest.json: pass a template file or a cloud assembly (cdk.out) directory' : err.problem;
    throw new AuditInputError(displayPath(resolve(cwd, err.missing ? dirname(err.file) : err.file), cwd), problem);
  }
  const index = assemblyIndex(root);
  const replayed = replayedFindingsOf(root);
  return stacks.map((stack) => ({
    file: join(root, stack.templatePath),
    acknowledgments: recordedAcknowledgments(stack.metadata, index, stack.templatePath),
    environment: parseEnvironment(stack.environment),
    constructs: originsOf(index, stack.templatePath),
    annotations: annotationsOf(stack.metadata),
    replayedFindings: replayed.get(stack.templatePath) ?? [],
  }));
}

/**
 * The assembly entry of a template file that lies inside a cloud assembly
 * (`audit cdk.out/assembly-dev/x.template.json`): found by walking up to the
 * outermost folder with a manifest.json, so a single template is judged with
 * the acknowledgments its synth recorded, exactly as when the whole cdk.out is
 * audited.
 */
function enclosingAssemblyTemplate(file: string, cwd: string): AssemblyTemplate | undefined {
  let root: string | undefined;
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'manifest.json'))) root = dir;
    else if (root) break;
  }
  if (!root) return undefined;
  try {
    return assemblyTemplates(root, cwd).find((t) => resolve(t.file) === file);
  } catch {
    // A folder that merely happens to hold a manifest.json: the template is audited on its own.
    return undefined;
  }
}

/** Expands the command's paths (files and cdk.out directories) into template files, in order; the first unreadable input throws. */
export function collectTemplateFiles(paths: readonly string[], cwd = process.cwd()): TemplateFile[] {
  const { files, unreadable } = readInputs(paths, cwd);
  if (unreadable.length > 0) throw unreadable[0];
  return files;
}

/**
 * Every readable template of the command's paths, and an error for each
 * input that cannot be read, so one broken file among many is named while
 * the others are still audited.
 */
export function readInputs(paths: readonly string[], cwd = process.cwd()): { files: TemplateFile[]; unreadable: AuditInputError[] } {
  const unreadable: AuditInputError[] = [];
  const attempt = <T>(step: () => T): T | undefined => {
    try {
      return step();
    } catch (err) {
      if (!(err instanceof AuditInputError)) throw err;
      unreadable.push(err);
      return undefined;
    }
  };
  const inputs = new Map<string, Omit<AssemblyTemplate, 'file'> | undefined>();
  for (const p of paths) {
    attempt(() => {
      const abs = resolve(cwd, p);
      if (!existsSync(abs)) throw new AuditInputError(displayPath(abs, cwd), 'no such file or directory');
      if (statSync(abs).isDirectory()) {
        const found = assemblyTemplates(abs, cwd);
        if (found.length === 0) throw new AuditInputError(displayPath(abs, cwd), 'the cloud assembly contains no stack templates');
        for (const t of found) inputs.set(resolve(t.file), t);
      } else if (!inputs.has(abs)) {
        inputs.set(abs, enclosingAssemblyTemplate(abs, cwd));
      }
    });
  }
  const files = [...inputs].flatMap(([file, assembly]) => {
    const read = attempt(() => readTemplateFile(file, cwd));
    if (!read) return [];
    return [{
      ...read,
      ...(assembly && assembly.acknowledgments.size > 0 ? { acknowledgments: assembly.acknowledgments } : {}),
      ...(assembly?.environment ? { environment: assembly.environment } : {}),
      ...(assembly && assembly.constructs.size > 0 ? { constructs: assembly.constructs } : {}),
      ...(assembly && assembly.annotations.length > 0 ? { annotations: assembly.annotations } : {}),
      ...(assembly && assembly.replayedFindings.length > 0 ? { replayedFindings: assembly.replayedFindings } : {}),
    }];
  });
  return { files, unreadable };
}

export { displayPath };
