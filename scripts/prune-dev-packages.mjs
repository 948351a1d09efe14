#!/usr/bin/env node
// Run in the image's deps stage after `npm ci --omit=dev --workspaces=false`: removes from
// node_modules every package that the production dependencies do not need, which that install keeps
// anyway. Two kinds, both from package-lock.json's flags:
//   - "devOptional": a devDependency (typescript, chokidar...) that a production package names only
//     as an optional peer (cosmiconfig -> typescript, nunjucks -> chokidar); npm never installs an
//     optional peer for production alone, but --omit=dev keeps what is "dev and optional";
//   - a package reached from the root only through devDependencies, yet flagged production because
//     a workspace's (the console's) dependencies use it.
// "Needed" is the closure of package.json's dependencies over dependencies, optionalDependencies and
// required peers, resolved as Node resolves (nested node_modules first). A package outside it that the
// lockfile calls plain production-optional would mean the closure is wrong: that stops the build.
//
// Usage: node scripts/prune-dev-packages.mjs [folder]   (default: the current folder)
import { existsSync, lstatSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Lockfile paths (node_modules/a, node_modules/a/node_modules/b) of the packages the production dependencies need. */
export function productionClosure(lock) {
  const packages = lock.packages;
  if (!packages) throw new Error('package-lock.json has no "packages" (lockfile v2 or later expected)');
  const parent = (path) => {
    const at = path.lastIndexOf('/node_modules/');
    return at === -1 ? '' : path.slice(0, at);
  };
  const find = (from, name) => {
    for (let base = from; ; base = parent(base)) {
      const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (packages[candidate]) return candidate;
      if (base === '') return null;
    }
  };
  const needed = new Set();
  const visit = (path, entry) => {
    const optionalPeers = new Set(
      Object.entries(entry.peerDependenciesMeta ?? {})
        .filter(([, meta]) => meta.optional)
        .map(([name]) => name),
    );
    const names = [
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.optionalDependencies ?? {}),
      ...Object.keys(entry.peerDependencies ?? {}).filter((name) => !optionalPeers.has(name)),
    ];
    for (const name of names) {
      const found = find(path, name);
      if (!found || needed.has(found)) continue;
      needed.add(found);
      const entryFound = packages[found];
      visit(found, entryFound.link ? (packages[entryFound.resolved] ?? entryFound) : entryFound);
    }
  };
  const root = packages[''] ?? {};
  visit('', { dependencies: root.dependencies, optionalDependencies: root.optionalDependencies });
  return needed;
}

/** Installed packages under a node_modules folder, as lockfile paths. */
export function installedPackages(dir, prefix = 'node_modules') {
  if (!existsSync(dir)) return [];
  const found = [];
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    const names = name.startsWith('@') ? readdirSync(join(dir, name)).map((inner) => `${name}/${inner}`) : [name];
    for (const pkg of names) {
      const path = `${prefix}/${pkg}`;
      found.push(path);
      const nested = join(dir, pkg, 'node_modules');
      if (!lstatSync(join(dir, pkg)).isSymbolicLink()) found.push(...installedPackages(nested, `${path}/node_modules`));
    }
  }
  return found;
}

function sizeOf(path) {
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}

/** Symbolic links in every node_modules/.bin whose target is gone. */
function removeDanglingBins(dir) {
  if (!existsSync(dir)) return;
  const bin = join(dir, '.bin');
  if (existsSync(bin)) {
    for (const name of readdirSync(bin)) {
      const link = join(bin, name);
      if (lstatSync(link).isSymbolicLink() && !existsSync(link)) rmSync(link);
    }
  }
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    const inner = name.startsWith('@') ? readdirSync(join(dir, name)).map((n) => join(name, n)) : [name];
    for (const pkg of inner) {
      const nested = join(dir, pkg, 'node_modules');
      if (existsSync(nested) && statSync(nested).isDirectory()) removeDanglingBins(nested);
    }
  }
}

function main() {
  const folder = resolve(process.argv[2] ?? '.');
  const lock = JSON.parse(readFileSync(join(folder, 'package-lock.json'), 'utf8'));
  const needed = productionClosure(lock);
  const extra = installedPackages(join(folder, 'node_modules')).filter((path) => !needed.has(path));
  // Only a package's top folder: its nested node_modules go with it.
  const tops = extra.filter((path) => !extra.some((other) => other !== path && path.startsWith(`${other}/`)));
  const unexpected = tops.filter((path) => {
    const entry = lock.packages[path];
    return entry?.optional && !entry.dev && !entry.devOptional;
  });
  if (unexpected.length) {
    console.error(
      `prune-dev-packages: refusing: installed optional packages outside the closure: ${unexpected.join(', ')}`,
    );
    process.exit(1);
  }
  let bytes = 0;
  for (const path of tops) {
    bytes += sizeOf(join(folder, path));
    rmSync(join(folder, path), { recursive: true, force: true });
  }
  removeDanglingBins(join(folder, 'node_modules'));
  // npm's own record of the tree (node_modules/.package-lock.json) forgets them too.
  const hidden = join(folder, 'node_modules', '.package-lock.json');
  if (existsSync(hidden)) {
    const record = JSON.parse(readFileSync(hidden, 'utf8'));
    for (const path of extra) delete record.packages?.[path];
    writeFileSync(hidden, `${JSON.stringify(record, null, 2)}\n`);
  }
  const names = tops.map((path) => path.replace(/^node_modules\//, '')).join(', ');
  console.log(
    `prune-dev-packages: removed ${tops.length} package(s) the production dependencies do not need (${(bytes / 1048576).toFixed(1)} MiB)${tops.length ? `: ${names}` : ''}`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
