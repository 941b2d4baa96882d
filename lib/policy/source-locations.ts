import { isAbsolute, relative, sep } from 'node:path';
import { IConstruct } from 'constructs';

/**
 * Where in the user's source a construct was created, so a finding can point
 * at a file in the repository (a SARIF location GitHub can annotate, a line a
 * person can open) instead of at the generated template in cdk.out.
 *
 * aws-cdk-lib records a creation stack on every CloudFormation element unless
 * `aws:cdk:disable-creation-stack-traces` is set (CfnElement constructor,
 * 2.276), and writes it into the cloud assembly and the validation report.
 * Those traces hold absolute paths of the machine that synthesized; this
 * module rewrites them, in place and before synthesis, to paths relative to
 * the project directory, and drops frames outside it (node_modules, Node's
 * internals), so the assembly stays portable and the first frame left is the
 * innermost line of the user's own code.
 */

/**
 * Metadata a stack puts on a resource built from a config field: `file:line`
 * of that field. It takes precedence over the creation stack, because the
 * field, not the stack code, is what a person changes to fix the finding.
 */
export const CONFIG_SOURCE_METADATA = 'edu-baseline:configSource';

/** Metadata type of a construct's creation stack (cloud-assembly-schema's ArtifactMetadataEntryType.CREATION_STACK). */
export const CREATION_STACK_METADATA = 'aws:cdk:creationStack';

/** `name (file:line:col)` or `file:line:col`, as aws-cdk-lib renders a frame. */
const FRAME = /^(?:at )?(?:(.*?) \()?(.+?):(\d+):(\d+)\)?$/;

/** A frame's file, line and column, or undefined for a summary frame such as `...node internals...`. */
function parseFrame(frame: string): { name?: string; file: string; line: number; column: number } | undefined {
  const m = FRAME.exec(frame.trim());
  if (!m) return undefined;
  return { name: m[1], file: m[2], line: Number(m[3]), column: Number(m[4]) };
}

/** The frame with its file relative to `baseDir`, or undefined when the file lies outside it or in node_modules. */
function portableFrame(frame: string, baseDir: string): string | undefined {
  const parsed = parseFrame(frame);
  if (!parsed) return undefined;
  const file = parsed.file.replace(/^file:\/\//, '');
  const rel = isAbsolute(file) ? relative(baseDir, file) : file;
  if (rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('node_modules')) return undefined;
  const posix = rel.split(sep).join('/');
  return `${parsed.name ? `${parsed.name} (` : ''}${posix}:${parsed.line}:${parsed.column}${parsed.name ? ')' : ''}`;
}

/**
 * Rewrites every creation stack and metadata trace below `root` to frames
 * relative to `baseDir` and drops the rest. Mutates the recorded trace arrays in place: constructs
 * offers no way to replace a metadata entry, and the entries are what
 * synthesis serializes.
 */
export function makeCreationStacksPortable(root: IConstruct, baseDir: string): void {
  const rewrite = (frames: unknown[]): void => {
    const portable = frames.flatMap((f) => {
      const p = typeof f === 'string' ? portableFrame(f, baseDir) : undefined;
      return p ? [p] : [];
    });
    frames.splice(0, frames.length, ...portable);
  };
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type === CREATION_STACK_METADATA && Array.isArray(entry.data)) rewrite(entry.data as unknown[]);
      // Any entry may carry the trace of the call that added it (an acknowledgment, a warning).
      if (Array.isArray(entry.trace)) rewrite(entry.trace as unknown[]);
    }
  }
}

/** `file:line` of the innermost frame of a (portable) creation stack. */
export function sourceOfTrace(trace: unknown): string | undefined {
  if (!Array.isArray(trace)) return undefined;
  for (const frame of trace) {
    const parsed = typeof frame === 'string' ? parseFrame(frame) : undefined;
    if (parsed) return `${parsed.file}:${parsed.line}`;
  }
  return undefined;
}
