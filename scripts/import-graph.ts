/**
 * Prints the project's internal import graph metrics: the longest chain of relative imports
 * (module A imports B imports C ...) among lib/, constructs/ and bin/, and any import cycles.
 * Used to measure layering changes (issue 17); run with `npx tsx scripts/import-graph.ts`.
 * Type-only imports count too: they still couple the modules for a reader.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { preProcessFile } from "typescript";

export const root = resolve(__dirname, "..");
const roots = ["lib", "constructs", "bin"].map((d) => join(root, d)).filter((d) => existsSync(d));

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return walk(path);
    return path.endsWith(".ts") && !path.endsWith(".d.ts") ? [path] : [];
  });
}

function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith(".")) return undefined;
  const base = resolve(dirname(from), spec);
  for (const candidate of [`${base}.ts`, join(base, "index.ts"), base]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** The internal import graph of lib/, constructs/ and bin/: edges, cycles and the longest chain. */
export interface ImportGraph {
  readonly files: readonly string[];
  readonly graph: ReadonlyMap<string, readonly string[]>;
  readonly cycles: readonly (readonly string[])[];
  readonly longestChain: readonly string[];
}

export function importGraph(): ImportGraph {
  const files = roots.flatMap(walk);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = preProcessFile(readFileSync(file, "utf8"), true, true);
    const deps = importedFiles
      .map((ref) => resolveImport(file, ref.fileName))
      .filter((dep): dep is string => dep !== undefined);
    graph.set(file, [...new Set(deps)]);
  }

  const longest = new Map<string, string[]>();
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  function chainFrom(file: string, stack: string[]): string[] {
    const known = longest.get(file);
    if (known) return known;
    onStack.add(file);
    let best: string[] = [];
    for (const dep of graph.get(file) ?? []) {
      if (onStack.has(dep)) {
        cycles.push([...stack.slice(stack.indexOf(dep)), dep]);
        continue;
      }
      const chain = chainFrom(dep, [...stack, dep]);
      if (chain.length > best.length) best = chain;
    }
    onStack.delete(file);
    const result = [file, ...best];
    longest.set(file, result);
    return result;
  }

  let overall: string[] = [];
  for (const file of files) {
    const chain = chainFrom(file, [file]);
    if (chain.length > overall.length) overall = chain;
  }
  return { files, graph, cycles, longestChain: overall };
}

if (require.main === module) {
  const { files, graph, cycles, longestChain } = importGraph();
  const rel = (f: string) => relative(root, f);
  console.log(`modules: ${files.length}, import edges: ${[...graph.values()].reduce((n, d) => n + d.length, 0)}`);
  console.log(`longest chain: ${longestChain.length} modules`);
  console.log(longestChain.map(rel).join("\n  -> "));
  console.log(`cycles: ${cycles.length}`);
  for (const cycle of cycles) console.log(`  ${cycle.map(rel).join(" -> ")}`);
}
