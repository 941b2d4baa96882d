import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ArtifactManifest,
  ArtifactType,
  AssemblyManifest,
  AwsCloudFormationStackProperties,
  MetadataEntry,
  NestedCloudAssemblyProperties,
} from 'aws-cdk-lib/cloud-assembly-schema';

/**
 * The one reader of a cloud assembly's manifests (cdk.out/manifest.json and
 * those of nested Stage assemblies), for the gate's findings, the audit and
 * the evidence report. It speaks aws-cdk-lib's own manifest schema types.
 */

/** A manifest or side file that cannot be read; `file` is the path that failed. */
export class ManifestReadError extends Error {
  constructor(public readonly file: string, public readonly problem: string, public readonly missing: boolean) {
    super(`${file}: ${problem}`);
    this.name = 'ManifestReadError';
  }
}

/** One `aws:cloudformation:stack` artifact, wherever it sits in the assembly. */
export interface StackArtifact {
  /** Artifact ID in its manifest, e.g. `devData58C5D5B6`. */
  readonly artifactId: string;
  /** Display name, e.g. `dev/Data` (the artifact ID when the manifest has none). */
  readonly displayName: string;
  /** CloudFormation stack name (the artifact ID when the manifest has none). */
  readonly stackName: string;
  /** Template file relative to the root assembly directory, `/`-separated. */
  readonly templatePath: string;
  /** `aws://<account>/<region>` as the manifest records it. */
  readonly environment?: string;
  readonly terminationProtection: boolean;
  /** Construct path → metadata entries, the manifest's own merged with its additionalMetadataFile. */
  readonly metadata: Readonly<Record<string, readonly MetadataEntry[]>>;
  /** The nested assembly (Stage) that holds the stack; undefined for a stack of the root assembly. */
  readonly stage?: StageAssembly;
}

/** A nested cloud assembly: one Stage of the app. */
export interface StageAssembly {
  /** Directory relative to the root assembly, e.g. `assembly-dev`. */
  readonly directory: string;
  /** The stage's name (`dev`): the manifest's display name, else the directory without `assembly-`. */
  readonly name: string;
}

/** `dir/file`, or `file` at the root. */
export function joinRel(dir: string, file: string): string {
  return dir ? `${dir}/${file}` : file;
}

/** Parses a JSON file of the assembly; a missing or unparsable file throws {@link ManifestReadError}. */
export function readAssemblyJson(file: string): unknown {
  if (!existsSync(file)) throw new ManifestReadError(file, 'no such file', true);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (err) {
    throw new ManifestReadError(file, `not valid JSON: ${(err as Error).message}`, false);
  }
}

function readManifest(dir: string): AssemblyManifest {
  return readAssemblyJson(join(dir, 'manifest.json')) as AssemblyManifest;
}

function metadataOf(dir: string, artifact: ArtifactManifest): Record<string, readonly MetadataEntry[]> {
  const own = artifact.metadata ?? {};
  if (!artifact.additionalMetadataFile || !existsSync(join(dir, artifact.additionalMetadataFile))) return own;
  // CDK moves large metadata to a side file; it holds the same map, keyed by construct path.
  const extra = readAssemblyJson(join(dir, artifact.additionalMetadataFile)) as Record<string, MetadataEntry[]>;
  return { ...own, ...extra };
}

/**
 * Every stack artifact of the assembly at `root`, in manifest order, with the
 * stacks of nested Stage assemblies (at any depth) after their place in the
 * parent's manifest. Throws {@link ManifestReadError} when a manifest is missing or unreadable.
 */
export function stackArtifacts(root: string): StackArtifact[] {
  const visit = (relDir: string, stage: StageAssembly | undefined): StackArtifact[] => {
    const dir = join(root, relDir);
    const stacks: StackArtifact[] = [];
    for (const [id, artifact] of Object.entries(readManifest(dir).artifacts ?? {})) {
      if (artifact.type === ArtifactType.AWS_CLOUDFORMATION_STACK) {
        const properties = artifact.properties as AwsCloudFormationStackProperties | undefined;
        if (!properties?.templateFile) continue;
        stacks.push({
          artifactId: id,
          displayName: artifact.displayName ?? id,
          stackName: properties.stackName ?? id,
          templatePath: joinRel(relDir, properties.templateFile),
          ...(artifact.environment ? { environment: artifact.environment } : {}),
          terminationProtection: properties.terminationProtection === true,
          metadata: metadataOf(dir, artifact),
          ...(stage ? { stage } : {}),
        });
      } else if (artifact.type === ArtifactType.NESTED_CLOUD_ASSEMBLY) {
        const properties = artifact.properties as NestedCloudAssemblyProperties | undefined;
        if (!properties?.directoryName) continue;
        const directory = joinRel(relDir, properties.directoryName);
        const name = properties.displayName ?? artifact.displayName ?? properties.directoryName.replace(/^assembly-/, '');
        stacks.push(...visit(directory, stage ?? { directory, name }));
      }
    }
    return stacks;
  };
  return visit('', undefined);
}

/** The nested Stage assemblies named in the root manifest, in manifest order. */
export function stageAssemblies(root: string): StageAssembly[] {
  return Object.values(readManifest(root).artifacts ?? {}).flatMap((artifact) => {
    if (artifact.type !== ArtifactType.NESTED_CLOUD_ASSEMBLY) return [];
    const properties = artifact.properties as NestedCloudAssemblyProperties | undefined;
    if (!properties?.directoryName) return [];
    return [{ directory: properties.directoryName, name: properties.displayName ?? artifact.displayName ?? properties.directoryName.replace(/^assembly-/, '') }];
  });
}
