/**
 * The rooms (docs/ARCHITECTURE.md), enforced on every import in the tree:
 *  - core/ never imports electron, react(-dom), maplibre-gl, deck.gl (@deck.gl/*), recharts, or renderer/ and electron/ code;
 *  - renderer/ never imports better-sqlite3 or Node built-ins (node:*, fs, path, child_process, …),
 *    and takes nothing but types from core/ (`import type`).
 * Imports are read with the TypeScript parser (static, re-exports, dynamic import(), require()),
 * and a self-test on synthetic source proves each rule can fail.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '../..');

interface ImportRef { spec: string; typeOnly: boolean; line: number }

/** Every module specifier a file refers to, and whether the reference carries only types. */
function importsOf(text: string, fileName = 'x.tsx'): ImportRef[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const out: ImportRef[] = [];
  const lineOf = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const c = node.importClause;
      const named = c?.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements : undefined;
      const typeOnly = !!c && (c.isTypeOnly || (!c.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      out.push({ spec: node.moduleSpecifier.text, typeOnly, line: lineOf(node) });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      out.push({ spec: node.moduleSpecifier.text, typeOnly: node.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly)), line: lineOf(node) });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      out.push({ spec: node.moduleReference.expression.text, typeOnly: node.isTypeOnly, line: lineOf(node) });
    } else if (ts.isCallExpression(node) && node.arguments.length >= 1) {
      const arg = node.arguments[0];
      const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if ((isImport || isRequire) && ts.isStringLiteralLike(arg)) out.push({ spec: arg.text, typeOnly: false, line: lineOf(node) });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      out.push({ spec: node.argument.literal.text, typeOnly: true, line: lineOf(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

const UI_PACKAGES = /^(electron|react|react-dom|maplibre-gl|deck\.gl|recharts|@deck\.gl\/[^/]+|@vis\.gl\/[^/]+)(\/.*)?$/;
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, m.split('/')[0]]));

/** Which room a specifier lands in, for relative imports. */
function roomOf(fromFile: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const rel = relative(ROOT, resolve(dirname(fromFile), spec));
  return rel.split(/[\\/]/)[0];
}

/** The rule violations of one file (path relative to ROOT decides its room). */
function violations(file: string, text: string): string[] {
  const room = relative(ROOT, file).split(/[\\/]/)[0];
  const bad: string[] = [];
  for (const i of importsOf(text, file)) {
    const where = `${relative(ROOT, file)}:${i.line} imports "${i.spec}"`;
    const target = roomOf(file, i.spec);
    if (room === 'core') {
      if (UI_PACKAGES.test(i.spec)) bad.push(`${where}: core/ must not import UI or Electron packages`);
      if (target === 'renderer' || target === 'electron') bad.push(`${where}: core/ must not import ${target}/`);
    } else if (room === 'renderer') {
      if (i.typeOnly) continue;
      if (i.spec.startsWith('node:') || NODE_BUILTINS.has(i.spec.split('/')[0])) bad.push(`${where}: renderer/ must not import Node built-ins`);
      if (/^better-sqlite3(\/|$)/.test(i.spec)) bad.push(`${where}: renderer/ must not import better-sqlite3`);
      if (target === 'core') bad.push(`${where}: renderer/ may take only types from core/ (use import type)`);
      if (target === 'electron') bad.push(`${where}: renderer/ must not import electron/ code`);
    }
  }
  return bad;
}

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules' || name === 'dist') continue;
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.(ts|tsx|mts|cts|js|mjs|jsx)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

describe('the rooms', () => {
  for (const room of ['core', 'renderer']) {
    it(`${room}/ keeps its imports inside the rules`, () => {
      const files = sources(join(ROOT, room));
      expect(files.length).toBeGreaterThan(0);
      const bad = files.flatMap((f) => violations(f, readFileSync(f, 'utf8')));
      expect(bad).toEqual([]);
    });
  }

  it('core/tsconfig.json compiles core/ without DOM types', () => {
    const cfg = JSON.parse(readFileSync(join(ROOT, 'core/tsconfig.json'), 'utf8')) as { compilerOptions: { lib?: string[]; types?: string[] }; include?: string[] };
    expect(cfg.compilerOptions.lib, 'core sets its own lib').toBeDefined();
    expect(cfg.compilerOptions.lib!.filter((l) => /dom/i.test(l))).toEqual([]);
    expect(cfg.compilerOptions.types ?? []).not.toContain('vite/client');
    expect(cfg.include).toEqual(expect.arrayContaining([expect.stringMatching(/\*\*\/\*\.ts$/)]));
  });
});

describe('the rules can fail (self-test on synthetic source)', () => {
  const core = join(ROOT, 'core/io/x.ts');
  const ui = join(ROOT, 'renderer/panels/x.tsx');
  it.each([
    [core, "import maplibregl from 'maplibre-gl';", 1],
    [core, "import { Deck } from '@deck.gl/core';", 1],
    [core, "export { useState } from 'react';", 1],
    [core, "const e = await import('electron');", 1],
    [core, "import { BarChart } from 'recharts';", 1],
    [core, "import { jsx } from 'react/jsx-runtime';", 1],
    [core, "import { palette } from '../../renderer/map/palette.js';", 1],
    [core, "import type { Props } from '../../renderer/app.js';", 1],
    [core, "import Database from 'better-sqlite3'; import { readFileSync } from 'node:fs';", 0],
    [ui, "import Database from 'better-sqlite3';", 1],
    [ui, "import { readFileSync } from 'node:fs';", 1],
    [ui, "import { join } from 'path';", 1],
    [ui, "const cp = require('child_process');", 1],
    [ui, "import { EkimaeService } from '../../core/api/service.js';", 1],
    [ui, "import { type Input, CONTRACT } from '../../core/api/contract.js';", 1],
    [ui, "export { CONTRACT } from '../../core/api/contract.js';", 1],
    [ui, "import type { Input } from '../../core/api/contract.js';", 0],
    [ui, "import { type Input, type Output } from '../../core/api/contract.js';", 0],
    [ui, "// import Database from 'better-sqlite3';\nconst s = \"import fs from 'node:fs'\";", 0],
    [ui, "import maplibregl from 'maplibre-gl'; import { useState } from 'react';", 0],
  ])('%s: %s -> %i violation(s)', (file, text, n) => {
    expect(violations(file, text)).toHaveLength(n);
  });
});
