import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface Build {
  /** The npm script that builds, e.g. `build:api`, run from the repository root. */
  npmArgs: string[];
  /** The folder the build writes; its stamp file records what it was built from. */
  output: string;
  /** Files and folders (relative to the root) the build is made from. */
  inputs: string[];
}

/**
 * Builds unless the output was built from the same inputs: a digest of every input file's path
 * and content. Keyed by the inputs rather than by the test run, so runs at once in one working
 * copy (two shells, or CI's second Node) share a build instead of one rewriting the files the
 * other is loading. Test files run in parallel workers: a lock folder serialises the check and
 * the build.
 */
export async function buildOnce(build: Build): Promise<void> {
  const lock = join(ROOT, `${build.output}.build-lock`);
  const stamp = join(ROOT, build.output, '.inputs-digest');
  for (let waited = 0; ; waited += 100) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (waited > 180_000) throw new Error(`could not take ${lock}; remove it if no test is running`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    const digest = digestOf(build.inputs);
    if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) return;
    execFileSync('npm', [...build.npmArgs, '--silent'], { cwd: ROOT, stdio: 'inherit' });
    writeFileSync(stamp, digest);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function digestOf(inputs: string[]): string {
  const hash = createHash('sha256');
  const add = (path: string): void => {
    const full = join(ROOT, path);
    if (!existsSync(full)) return;
    if (statSync(full).isDirectory()) {
      for (const name of readdirSync(full).sort()) if (name !== 'node_modules') add(`${path}/${name}`);
      return;
    }
    hash.update(`${path}\0`).update(readFileSync(full)).update('\0');
  };
  inputs.forEach(add);
  return hash.digest('hex');
}
