/**
 * The layering the README's Layout paragraph states: no import cycle among
 * lib/, constructs/ and bin/, and constructs/ (the library's building blocks)
 * imports nothing from lib/, so a construct never depends on the config file,
 * the stacks or the policy gate.
 */
import { relative } from 'node:path';
import { importGraph, root } from '../../scripts/import-graph';

const graph = importGraph();
const rel = (f: string): string => relative(root, f);

test('there is no import cycle', () => {
  expect(graph.cycles.map((c) => c.map(rel).join(' -> '))).toEqual([]);
});

test('constructs/ imports nothing from lib/', () => {
  const back = [...graph.graph].flatMap(([from, deps]) =>
    rel(from).startsWith('constructs/') ? deps.filter((d) => rel(d).startsWith('lib/')).map((d) => `${rel(from)} -> ${rel(d)}`) : [],
  );
  expect(back).toEqual([]);
});
