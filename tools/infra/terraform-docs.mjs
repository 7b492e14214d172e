// Writes the Requirements / Resources / Inputs / Outputs tables of each Terraform module's
// README.md between `<!-- BEGIN_TF_DOCS -->` and `<!-- END_TF_DOCS -->`, in the spirit of
// terraform-docs (which is not installed here), and each environment root's outputs.tf: every
// output of modules/tally, so the roots hold no hand-kept copies. `--check` only reports files
// that are stale.
//
// It reads the module's *.tf files with a small scanner that understands just enough HCL for
// top-level blocks: strings with `${...}` interpolation, comments, heredocs and brackets.
//
//   node tools/infra/terraform-docs.mjs [--check] [module-dir ...]
//   (default: infra/modules/* and infra/envs/*/outputs.tf)
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const workspaceRoot = fileURLToPath(new URL('../..', import.meta.url));
export const modulesDir = join(workspaceRoot, 'infra', 'modules');
export const envsDir = join(workspaceRoot, 'infra', 'envs');
/** The module every environment root calls (as `module "tally"`) and re-exports. */
const envModuleDir = join(modulesDir, 'tally');

const BEGIN = '<!-- BEGIN_TF_DOCS -->';
const END = '<!-- END_TF_DOCS -->';

/**
 * The bracket depth of every character of `src`, or -1 where the character is inside a
 * comment (so callers can drop comments). Characters of strings and heredocs get the depth
 * of the expression holding them plus one, so they never look like top-level code.
 */
export const depthMap = (src) => {
  const depths = new Array(src.length).fill(0);
  // Each frame is a code context (its own bracket depth) or a string; `${` in a string opens
  // a code context that ends at its matching `}`.
  const stack = [{ kind: 'code', depth: 0 }];
  const base = () =>
    stack.reduce((sum, frame) => sum + (frame.kind === 'code' ? frame.depth : 1), 0);
  let i = 0;
  while (i < src.length) {
    const frame = stack[stack.length - 1];
    const ch = src[i];
    const next = src[i + 1];
    if (frame.kind === 'string') {
      depths[i] = base();
      if (ch === '\\') {
        depths[i + 1] = base();
        i += 2;
        continue;
      }
      if (ch === '"') stack.pop();
      else if ((ch === '$' || ch === '%') && next === '{') {
        depths[i + 1] = base();
        stack.push({ kind: 'code', depth: 0, interpolation: true });
        i += 2;
        continue;
      }
      i += 1;
      continue;
    }
    if (ch === '#' || (ch === '/' && next === '/')) {
      while (i < src.length && src[i] !== '\n') depths[i++] = -1;
      continue;
    }
    if (ch === '/' && next === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end === -1 ? src.length : end + 2;
      while (i < stop) depths[i++] = -1;
      continue;
    }
    const heredoc = /^<<-?([A-Za-z_]\w*)\r?\n/.exec(src.slice(i, i + 80));
    if (heredoc) {
      const marker = new RegExp(`^\\s*${heredoc[1]}\\s*$`, 'm');
      const bodyStart = i + heredoc[0].length;
      const match = marker.exec(src.slice(bodyStart));
      const stop = match ? bodyStart + match.index + match[0].length : src.length;
      const depth = base() + 1;
      while (i < stop) depths[i++] = depth;
      continue;
    }
    if (ch === '"') {
      depths[i] = base() + 1;
      stack.push({ kind: 'string' });
      i += 1;
      continue;
    }
    if (ch === '{' || ch === '[' || ch === '(') {
      depths[i] = base();
      frame.depth += 1;
      i += 1;
      continue;
    }
    if (ch === '}' || ch === ']' || ch === ')') {
      if (frame.depth === 0 && frame.interpolation) {
        stack.pop();
        depths[i] = base();
      } else {
        frame.depth = Math.max(0, frame.depth - 1);
        depths[i] = base();
      }
      i += 1;
      continue;
    }
    depths[i] = base();
    i += 1;
  }
  return depths;
};

/** Top-level `<type> "<label>" { ... }` blocks of `src`, with their bodies. */
export const topLevelBlocks = (src) => {
  const depths = depthMap(src);
  const blocks = [];
  const header = /^([a-z_]+)((?:\s+"[^"\n]*")*)\s*\{/gm;
  let match;
  while ((match = header.exec(src)) !== null) {
    if (depths[match.index] !== 0) continue;
    const open = match.index + match[0].length - 1;
    let close = open + 1;
    while (close < src.length && !(src[close] === '}' && depths[close] === 0)) close += 1;
    const labels = [...match[2].matchAll(/"([^"]*)"/g)].map((m) => m[1]);
    blocks.push({ type: match[1], labels, body: src.slice(open + 1, close) });
    header.lastIndex = close;
  }
  return blocks;
};

/** The `name = value` attributes at the top level of a block body (nested blocks skipped). */
export const attributes = (body) => {
  const depths = depthMap(body);
  const result = {};
  const line = /^[ \t]*([A-Za-z_][\w-]*)[ \t]*=(?!=)/gm;
  let match;
  while ((match = line.exec(body)) !== null) {
    if (depths[match.index + match[0].indexOf(match[1])] !== 0) continue;
    let end = match.index + match[0].length;
    let value = '';
    while (end < body.length && !(body[end] === '\n' && depths[end] === 0)) {
      if (depths[end] !== -1) value += body[end];
      end += 1;
    }
    result[match[1]] = value.trim();
    line.lastIndex = end;
  }
  return result;
};

/** The text of an HCL string literal or heredoc (template sequences are kept as written). */
const stringValue = (expr) => {
  if (expr === undefined) return '';
  const heredoc = /^<<(-?)([A-Za-z_]\w*)\r?\n([\s\S]*?)\n\s*\2\s*$/.exec(expr);
  if (heredoc) return heredoc[3].replace(/\n/g, ' ').trim();
  try {
    return JSON.parse(expr);
  } catch {
    return expr;
  }
};

/** An expression on one line; attributes that stood on their own lines get commas. */
const oneLine = (expr) =>
  expr
    .split('\n')
    .map((part) => part.trim().replace(/\s+/g, ' '))
    .filter((part) => part !== '')
    .reduce((line, part) => {
      if (line === '') return part;
      const joint = /[{[(,]$/.test(line) || /^[}\])]/.test(part) ? ' ' : ', ';
      return `${line}${joint}${part}`;
    }, '');
const cell = (text) => text.replace(/\|/g, '\\|').replace(/\n/g, '<br>');
const code = (text) => `\`${cell(oneLine(text))}\``;

/** Everything terraform-docs would say about the module in `dir`. */
export const readModule = (dir) => {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.tf'))
    .sort();
  const blocks = files.flatMap((name) => topLevelBlocks(readFileSync(join(dir, name), 'utf8')));
  const terraform = blocks.find((b) => b.type === 'terraform');
  const requirements = [];
  if (terraform) {
    const { required_version: version } = attributes(terraform.body);
    if (version) requirements.push({ name: 'terraform', version: stringValue(version) });
    for (const inner of topLevelBlocks(terraform.body.replace(/^[ \t]+/gm, ''))) {
      if (inner.type !== 'required_providers') continue;
      for (const [name, spec] of Object.entries(attributes(inner.body))) {
        const specVersion = /version\s*=\s*"([^"]*)"/.exec(spec);
        requirements.push({ name, version: specVersion ? specVersion[1] : 'n/a' });
      }
    }
  }
  return {
    requirements,
    modules: blocks
      .filter((b) => b.type === 'module')
      .map((b) => ({ name: b.labels[0], source: stringValue(attributes(b.body).source) })),
    resources: blocks
      .filter((b) => b.type === 'resource' || b.type === 'data')
      .map((b) => ({
        address: `${b.type === 'data' ? 'data.' : ''}${b.labels[0]}.${b.labels[1]}`,
      })),
    variables: blocks
      .filter((b) => b.type === 'variable')
      .map((b) => {
        const attrs = attributes(b.body);
        return {
          name: b.labels[0],
          description: stringValue(attrs.description),
          type: attrs.type ?? 'any',
          default: attrs.default,
        };
      }),
    outputs: blocks
      .filter((b) => b.type === 'output')
      .map((b) => ({
        name: b.labels[0],
        description: stringValue(attributes(b.body).description),
      })),
  };
};

/** The markdown that goes between the markers. */
export const renderDocs = (module) => {
  const lines = [];
  const byName = (a, b) => (a.name < b.name ? -1 : 1);
  if (module.requirements.length > 0) {
    lines.push('## Requirements', '', '| Name | Version |', '|------|---------|');
    for (const r of module.requirements) lines.push(`| ${r.name} | ${cell(r.version)} |`);
    lines.push('');
  }
  if (module.modules.length > 0) {
    lines.push('## Modules', '', '| Name | Source |', '|------|--------|');
    for (const m of [...module.modules].sort(byName))
      lines.push(`| ${m.name} | ${cell(m.source)} |`);
    lines.push('');
  }
  lines.push('## Resources', '', '| Name |', '|------|');
  for (const r of [...module.resources].sort((a, b) => (a.address < b.address ? -1 : 1))) {
    lines.push(`| ${r.address} |`);
  }
  lines.push('', '## Inputs', '');
  if (module.variables.length === 0) lines.push('No inputs.');
  else {
    lines.push(
      '| Name | Description | Type | Default | Required |',
      '|------|-------------|------|---------|:--------:|',
    );
    const required = module.variables.filter((v) => v.default === undefined).sort(byName);
    const optional = module.variables.filter((v) => v.default !== undefined).sort(byName);
    for (const v of [...required, ...optional]) {
      const defaultCell = v.default === undefined ? 'n/a' : code(v.default);
      const requiredCell = v.default === undefined ? 'yes' : 'no';
      lines.push(
        `| ${v.name} | ${cell(v.description)} | ${code(v.type)} | ${defaultCell} | ${requiredCell} |`,
      );
    }
  }
  lines.push('', '## Outputs', '');
  if (module.outputs.length === 0) lines.push('No outputs.');
  else {
    lines.push('| Name | Description |', '|------|-------------|');
    for (const o of [...module.outputs].sort(byName))
      lines.push(`| ${o.name} | ${cell(o.description)} |`);
  }
  return lines.join('\n');
};

/** The README of `dir` with fresh tables, or an error message. */
const updatedReadme = (dir) => {
  const path = join(dir, 'README.md');
  if (!existsSync(path)) return { path, error: 'has no README.md' };
  const current = readFileSync(path, 'utf8');
  const begin = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  if (begin === -1 || end === -1 || end < begin)
    return { path, error: `needs ${BEGIN} and ${END} markers` };
  const docs = renderDocs(readModule(dir));
  const next = `${current.slice(0, begin + BEGIN.length)}\n${docs}\n${current.slice(end)}`;
  return { path, current, next };
};

export const moduleDirs = () =>
  readdirSync(modulesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(modulesDir, entry.name))
    .sort();

/**
 * Writes (or with `check`, only compares) the tables of every module in `dirs`.
 * Returns the problems found, one line each; empty when all is well.
 */
export const syncDocs = (dirs, { check }) => {
  const problems = [];
  for (const dir of dirs) {
    const { path, error, current, next } = updatedReadme(dir);
    const shown = relative(workspaceRoot, path);
    if (error) problems.push(`${shown} ${error}`);
    else if (current !== next) {
      if (check)
        problems.push(`${shown} is out of date: run \`node tools/infra/terraform-docs.mjs\``);
      else {
        writeFileSync(path, next);
        console.log(`updated ${shown}`);
      }
    }
  }
  return problems;
};

export const envDirs = () =>
  readdirSync(envsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(envsDir, entry.name))
    .sort();

/** An HCL string literal: JSON's escapes, plus `$${` and `%%{` so nothing is interpolated. */
const hclString = (text) => JSON.stringify(text).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');

/** An environment root's outputs.tf: one output per output of modules/tally, in its order. */
export const renderEnvOutputs = (module) =>
  [
    '# Generated by tools/infra/terraform-docs.mjs from modules/tally/outputs.tf (edit that, then',
    '# run `node tools/infra/terraform-docs.mjs`): the environment exposes every output of the module.',
    ...module.outputs.map((o) =>
      [
        '',
        `output "${o.name}" {`,
        `  description = ${hclString(o.description)}`,
        `  value       = module.tally.${o.name}`,
        '}',
      ].join('\n'),
    ),
    '',
  ].join('\n');

/**
 * Writes (or with `check`, only compares) the outputs.tf of every environment root in `dirs`.
 * Returns the problems found, one line each; empty when all is well.
 */
export const syncEnvOutputs = (dirs, { check }) => {
  const next = renderEnvOutputs(readModule(envModuleDir));
  const problems = [];
  for (const dir of dirs) {
    const path = join(dir, 'outputs.tf');
    const shown = relative(workspaceRoot, path);
    const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
    if (current === next) continue;
    if (check)
      problems.push(`${shown} is out of date: run \`node tools/infra/terraform-docs.mjs\``);
    else {
      writeFileSync(path, next);
      console.log(`updated ${shown}`);
    }
  }
  return problems;
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const dirs = args.filter((arg) => arg !== '--check');
  const problems =
    dirs.length > 0
      ? syncDocs(dirs, { check })
      : [...syncDocs(moduleDirs(), { check }), ...syncEnvOutputs(envDirs(), { check })];
  for (const problem of problems) console.error(problem);
  process.exit(problems.length > 0 ? 1 : 0);
}
