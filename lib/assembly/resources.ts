import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_SOURCE_METADATA, CREATION_STACK_METADATA, sourceOfTrace } from '../policy/source-locations';
import { ArtifactMetadataEntryType } from 'aws-cdk-lib/cloud-assembly-schema';
import { stackArtifacts } from './manifest';

/** Where a CloudFormation resource's construct lives in the cloud assembly. */
export interface ResourceLocation {
  readonly logicalId: string;
  /** Template file relative to the root assembly directory. */
  readonly templatePath: string;
  /** `file:line` of the innermost project frame of the construct's creation stack, when recorded. */
  readonly source?: string;
}

/** Construct path → resource location, read from the cloud assembly (tree.json and manifests). */
export type AssemblyIndex = ReadonlyMap<string, ResourceLocation>;

interface TreeNode {
  readonly path?: string;
  readonly attributes?: Record<string, unknown>;
  readonly children?: Record<string, TreeNode>;
}

/**
 * Reads construct paths → logical IDs from `tree.json` (the
 * `aws:cdk:cloudformation:logicalId` attribute, present even with
 * `aws:cdk:disable-creation-stack-traces`) and stack paths → template files
 * from the manifests of the root and every nested Stage assembly.
 */
export function assemblyIndex(outdir: string): AssemblyIndex {
  const stacks = new Map<string, string>();
  const index = new Map<string, ResourceLocation>();
  for (const stack of stackArtifacts(outdir)) {
    const { templatePath } = stack;
    stacks.set(stack.displayName, templatePath);
    // A finding about a whole template names the stack; it has no logical ID.
    index.set(stack.displayName, { logicalId: '', templatePath });
    // Resources made with plain CfnResource (CDK's own custom resource providers) have no
    // logical ID in tree.json; the stack's metadata records one for every resource.
    for (const [path, entries] of Object.entries(stack.metadata)) {
      const logical = entries.find((e) => e.type === ArtifactMetadataEntryType.LOGICAL_ID);
      const configSource = entries.find((e) => e.type === CONFIG_SOURCE_METADATA)?.data;
      const source = typeof configSource === 'string' ? configSource : sourceOfTrace(entries.find((e) => e.type === CREATION_STACK_METADATA)?.data);
      if (logical && typeof logical.data === 'string') {
        index.set(path.replace(/^\//, ''), { logicalId: logical.data, templatePath, ...(source ? { source } : {}) });
      }
    }
  }

  const treeFile = join(outdir, 'tree.json');
  if (!existsSync(treeFile)) return index;
  const tree = JSON.parse(readFileSync(treeFile, 'utf8')) as { tree?: TreeNode };
  const walk = (node: TreeNode, stackTemplate: string | undefined): void => {
    const template = (node.path !== undefined ? stacks.get(node.path) : undefined) ?? stackTemplate;
    const logicalId = node.attributes?.['aws:cdk:cloudformation:logicalId'];
    if (node.path && template && typeof logicalId === 'string' && !index.has(node.path)) {
      index.set(node.path, { logicalId, templatePath: template });
    }
    for (const child of Object.values(node.children ?? {})) walk(child, template);
  };
  if (tree.tree) walk(tree.tree, undefined);
  return index;
}
