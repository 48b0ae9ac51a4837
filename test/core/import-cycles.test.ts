/**
 * No module may import itself back, however far round: a cycle makes load order matter, hides which layer a
 * module belongs to, and lets a folder rule be dodged through a neighbour. This reads every static import
 * (values and types, `import` and `export … from`) of the app's .ts, .svelte and .svelte.ts files, resolves
 * relative paths and the renderer's aliases the way the bundler does, and looks for cycles between files and
 * between src-main's folders.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const SOURCE_FOLDERS = ['src-main', 'src-renderer'];
/** The renderer's aliases, as in tsconfig.base.json's `paths`. */
const ALIASES: Record<string, string> = { '$core/': 'src-main/core/', '$contract/': 'src-main/contract/' };

type Graph = Map<string, string[]>;

/**
 * Every cycle of the graph, one per group of modules that reach one another (Tarjan's strongly connected
 * components), each written as a path that starts and ends at the same module.
 */
function findCycles(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let next = 0;

  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      const selfLoop = (graph.get(node) ?? []).includes(node);
      if (group.length > 1 || selfLoop) groups.push(group);
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return groups.map((group) => cyclePath(graph, new Set(group)));
}

/** A shortest way round a group, from its first module (by name) back to it, found breadth-first. */
function cyclePath(graph: Graph, group: Set<string>): string[] {
  const start = [...group].sort()[0];
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const node = queue.shift()!;
    for (const target of graph.get(node) ?? []) {
      if (!group.has(target)) continue;
      if (target === start) {
        const way: string[] = [];
        for (let at = node; at !== start; at = cameFrom.get(at)!) way.unshift(at);
        return [start, ...way, start];
      }
      if (!cameFrom.has(target)) {
        cameFrom.set(target, node);
        queue.push(target);
      }
    }
  }
  throw new Error(`No way round ${[...group].join(', ')}`);
}

function sourceFiles(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) found.push(...sourceFiles(full));
    else if (/\.(ts|svelte)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) found.push(full);
  }
  return found;
}

/** The TypeScript of a file: a Svelte component's script blocks, or the file itself. */
function scriptOf(file: string): string {
  const text = readFileSync(file, 'utf8');
  if (!file.endsWith('.svelte')) return text;
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

/** Module specifiers of the file's static imports and re-exports (not `import()`, which loads later). */
function staticImports(fileName: string, source: string): string[] {
  const parsed = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const specifiers: string[] = [];
  for (const statement of parsed.statements) {
    if (
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier)
    ) {
      specifiers.push(statement.moduleSpecifier.text);
    }
  }
  return specifiers;
}

const isFile = (candidate: string) => existsSync(candidate) && statSync(candidate).isFile();

/** The file a specifier names, as the bundler finds it (`./x.js` is `./x.ts` in source); null for a package. */
function resolveImport(importer: string, specifier: string): string | null | undefined {
  const alias = Object.entries(ALIASES).find(([prefix]) => specifier.startsWith(prefix));
  let base: string;
  if (alias) base = path.join(root, alias[1], specifier.slice(alias[0].length));
  else if (specifier.startsWith('.')) base = path.resolve(path.dirname(importer), specifier);
  else return null;
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, path.join(base, 'index.ts')];
  return candidates.find(isFile);
}

function appImportGraph(): { graph: Graph; unresolved: string[] } {
  const graph: Graph = new Map();
  const unresolved: string[] = [];
  for (const file of SOURCE_FOLDERS.flatMap((folder) => sourceFiles(path.join(root, folder)))) {
    const name = path.relative(root, file);
    const targets: string[] = [];
    for (const specifier of staticImports(file, scriptOf(file))) {
      const target = resolveImport(file, specifier);
      if (target === undefined) unresolved.push(`${name}: ${specifier}`);
      else if (target !== null) targets.push(path.relative(root, target));
    }
    graph.set(name, targets);
  }
  return { graph, unresolved };
}

describe('the cycle finder', () => {
  it('finds a cycle in a small graph and names its path', () => {
    const graph: Graph = new Map([
      ['a.ts', ['b.ts', 'x.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['x.ts', []],
    ]);
    expect(findCycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
  });

  it('finds every separate cycle, and a module importing itself', () => {
    const graph: Graph = new Map([
      ['parity.ts', ['runner.ts']],
      ['runner.ts', ['parity.ts']],
      ['self.ts', ['self.ts']],
      ['engine.ts', ['server.ts']],
      ['server.ts', ['engine.ts', 'parity.ts']],
    ]);
    expect(
      findCycles(graph)
        .map((cycle) => cycle.join(' -> '))
        .sort(),
    ).toEqual(['engine.ts -> server.ts -> engine.ts', 'parity.ts -> runner.ts -> parity.ts', 'self.ts -> self.ts']);
  });

  it('takes the shortest way round when a group has several', () => {
    const graph: Graph = new Map([
      ['a', ['b', 'c']],
      ['b', ['d']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(findCycles(graph)).toEqual([['a', 'c', 'a']]);
  });

  it('sees no cycle in a graph that only fans out', () => {
    const graph: Graph = new Map([
      ['a', ['b', 'c']],
      ['b', ['c']],
      ['c', []],
    ]);
    expect(findCycles(graph)).toEqual([]);
  });

  it('reads imports, type imports and re-exports, but not a dynamic import()', () => {
    const source = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      "export { c } from './c.js';",
      "export * from './d.js';",
      "import './side-effect.js';",
      "const later = () => import('./later.js');",
      'export const all = [a, later];',
      'export type Bee = B;',
    ].join('\n');
    expect(staticImports('probe.ts', source)).toEqual(['./a.js', '../b.js', './c.js', './d.js', './side-effect.js']);
  });
});

describe('the app has no import cycle', () => {
  const { graph, unresolved } = appImportGraph();

  it('resolves every relative and aliased import (so no edge is missed)', () => {
    expect(graph.size).toBeGreaterThan(150);
    expect(graph.get('src-renderer/src/lib/ui/format.ts')).toContain('src-main/core/format/numbers.ts');
    expect(unresolved).toEqual([]);
  });

  it('in src-main/ and src-renderer/', () => {
    const cycles = findCycles(graph).map((cycle) => cycle.join(' -> '));
    expect(cycles, `Import cycles:\n${cycles.join('\n')}`).toEqual([]);
  });

  it("between src-main's folders either (core's folders counted one by one), as engine/ and server/ once had", () => {
    const folders = folderGraph(graph);
    expect(folders.get('src-main/server')).toContain('src-main/engine');
    const cycles = findCycles(folders).map((cycle) => cycle.join(' -> '));
    expect(cycles, `Folder import cycles:\n${cycles.join('\n')}`).toEqual([]);
  });
});

/** src-main/engine, src-main/core/data…: the folder a file belongs to, or null outside src-main. */
function folderOf(file: string): string | null {
  const parts = file.split('/');
  if (parts[0] !== 'src-main' || parts.length < 3) return null;
  return parts[1] === 'core' && parts.length > 3 ? parts.slice(0, 3).join('/') : parts.slice(0, 2).join('/');
}

function folderGraph(files: Graph): Graph {
  const folders: Graph = new Map();
  for (const [file, targets] of files) {
    const from = folderOf(file);
    if (!from) continue;
    const edges = new Set(folders.get(from) ?? []);
    for (const target of targets) {
      const to = folderOf(target);
      if (to && to !== from) edges.add(to);
    }
    folders.set(from, [...edges]);
  }
  return folders;
}
