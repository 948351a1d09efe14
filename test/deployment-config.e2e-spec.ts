import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = join(__dirname, '..');

/** Compose's interpolation of one value, with no variable set: `${VAR:-default}` and `${VAR-default}` give the default. */
function withDefaults(value: string): string {
  return value.replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_match, _name: string, fallback?: string) => fallback ?? '');
}

/** An exact release: `8.0.17`, `v1.30.7`, `24.22.3-bookworm-slim`, or a digest; never `latest`, `8` or `8.0`. */
function exactTag(image: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const tag = /:([^/:]+)$/.exec(image)?.[1];
  return tag !== undefined && /^v?\d+\.\d+\.\d+([-+.][\w.-]+)?$/.test(tag);
}

/**
 * The production stack's configuration as files, checked where no container engine runs: what the
 * README and the integration suites rely on must be in docker-compose.yml and package.json.
 */
describe('deployment configuration', () => {
  const composeText = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
  const compose = parse(composeText, { merge: true }) as {
    name?: string;
    services: Record<
      string,
      {
        environment?: Record<string, string>;
        build?: unknown;
        image?: string;
        healthcheck?: Record<string, unknown>;
      }
    >;
  };
  const envExample = readFileSync(join(root, '.env.example'), 'utf8');
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
    engines: { node: string };
  };

  it("lets KurrentDB take the event-store contract suite's 1 MiB event (its default limit is 1 MiB)", () => {
    const limit = Number(compose.services.kurrentdb.environment?.KURRENTDB_MAX_APPEND_SIZE);
    expect(limit).toBeGreaterThanOrEqual(2 * 1024 * 1024);
  });

  it('allows exactly the install scripts the project needs, and no telemetry', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      allowScripts?: Record<string, boolean>;
    };
    const allowed = Object.entries(manifest.allowScripts ?? {})
      .filter(([, allow]) => allow)
      .map(([name]) => name)
      .sort();
    expect(allowed).toEqual(['argon2', 'better-sqlite3']); // the native addons, built by node-gyp
    expect(manifest.allowScripts?.['@scarf/scarf']).toBe(false); // install-time analytics
  });

  it("builds the image on a pinned Node 24 LTS, with the service's production packages only", () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24\.\d+\.\d+-bookworm-slim$/m);
    const stages = [...dockerfile.matchAll(/^FROM (\S+) AS (\w+)$/gm)].map((m) => [m[1], m[2]]);
    expect(stages).toEqual([
      ['${NODE_IMAGE}', 'builder'],
      ['${NODE_IMAGE}', 'deps'],
      ['${NODE_IMAGE}', 'runtime'],
    ]);
    // Not the console's packages (vue, naive-ui...): they are built into admin-ui/dist.
    expect(dockerfile).toContain('npm ci --omit=dev --workspaces=false');
    expect(dockerfile).toContain('COPY --from=deps /app/node_modules ./node_modules');
    expect(manifest.engines.node).toBe('^20.19.0 || ^24.0.0');
  });

  it('builds the image once for both processes, and can rebuild read models inside it without a compiler', () => {
    const building = Object.entries(compose.services).filter(([, service]) => service.build !== undefined);
    expect(building.map(([name]) => name)).toEqual(['api']);
    expect(compose.services.projector.image).toBe(compose.services.api.image);
    expect(manifest.scripts['rebuild:dist']).toMatch(/^node .*dist\/apps\/projector\/src\/rebuild\.js$/);
  });

  it('pins every pulled image to an exact release, overridable by a variable', () => {
    const built = new Set(
      Object.values(compose.services)
        .filter((service) => service.build !== undefined)
        .map((service) => service.image),
    );
    const pulled = Object.entries(compose.services).filter(([, service]) => !built.has(service.image));
    expect(pulled.map(([name]) => name).sort()).toEqual(['kurrentdb', 'mailpit', 'mongo']);
    for (const [name, service] of pulled) {
      const image = withDefaults(service.image ?? '');
      expect({ service: name, image, exact: exactTag(image) }).toEqual({ service: name, image, exact: true });
    }
    // Each one can be swapped without editing the file, and .env.example shows the same defaults.
    const variables: Record<string, string> = {
      kurrentdb: 'KURRENTDB_IMAGE',
      mongo: 'MONGO_IMAGE',
      mailpit: 'MAILPIT_IMAGE',
    };
    for (const [name, variable] of Object.entries(variables)) {
      const image = compose.services[name].image ?? '';
      expect(image).toMatch(new RegExp(`^\\$\\{${variable}:-[^}]+\\}$`));
      expect(envExample).toContain(`# ${variable}=${withDefaults(image)}\n`);
    }
  });

  it('tells an exact image tag from a floating one', () => {
    expect(exactTag('mongo:8.0.17')).toBe(true);
    expect(exactTag('axllent/mailpit:v1.30.7')).toBe(true);
    expect(exactTag('node:24.22.3-bookworm-slim')).toBe(true);
    expect(exactTag('registry.example.com:5000/team/app:1.2.3')).toBe(true);
    expect(exactTag(`mongo@sha256:${'a'.repeat(64)}`)).toBe(true);
    for (const floating of ['mongo', 'mongo:8', 'mongo:8.0', 'axllent/mailpit:latest', 'registry.example.com:5000/app'])
      expect(exactTag(floating)).toBe(false);
    expect(withDefaults('${MONGO_IMAGE:-mongo:8.0.17}')).toBe('mongo:8.0.17');
    expect(withDefaults('${MONGO_IMAGE-mongo:8}')).toBe('mongo:8');
  });

  it('stays valid for docker-compose 1.29 (Debian bookworm) as well as Compose v2', () => {
    // 1.29 rejects a top-level name and healthcheck.start_interval; CI runs `config -q` with one of them.
    expect(compose.name).toBeUndefined();
    const startInterval = Object.entries(compose.services).filter(
      ([, service]) => 'start_interval' in (service.healthcheck ?? {}),
    );
    expect(startInterval.map(([name]) => name)).toEqual([]);
    // The project name comes from .env instead (compose reads it for COMPOSE_* too).
    expect(envExample).toMatch(/^COMPOSE_PROJECT_NAME=account-security$/m);
  });

  it('passes every setting .env.example offers on to the service (none silently ignored)', () => {
    const names = [...envExample.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)]
      .map((m) => m[1])
      .filter((name) => !name.startsWith('COMPOSE_') && !name.endsWith('_IMAGE'));
    expect(names.length).toBeGreaterThan(5);
    const passed = new Set(
      Object.values(compose.services).flatMap((service) => Object.keys(service.environment ?? {})),
    );
    expect(names.filter((name) => !passed.has(name))).toEqual([]);
    // And every ${VAR} the compose file reads is offered there.
    const read = [...composeText.matchAll(/\$\{(\w+)/g)].map((m) => m[1]);
    expect([...new Set(read)].filter((name) => !names.includes(name) && !name.endsWith('_IMAGE'))).toEqual([]);
  });

  it('checks the compose file and replays the Dockerfile in CI', () => {
    const ci = readFileSync(join(root, '.ci/run'), 'utf8');
    expect(ci).toContain('--env-file .env.example -f docker-compose.yml config -q');
    expect(ci).toMatch(/apt-get install -y -qq docker-compose/);
    expect(ci).toMatch(/^npm run check:dockerfile$/m);
    expect(manifest.scripts['check:dockerfile']).toBe('node scripts/check-dockerfile.mjs');
    // The deps stage prunes what npm ci --omit=dev keeps of the dev tools (typescript).
    expect(dockerfile).toMatch(
      /--omit=dev --workspaces=false[^\n]*\n(#[^\n]*\n)*COPY scripts\/prune-dev-packages\.mjs scripts\/\nRUN node scripts\/prune-dev-packages\.mjs\n/,
    );
  });

  describe('scripts/prune-dev-packages.mjs', () => {
    let dir: string;
    const install = (path: string, extra: Record<string, unknown> = {}) => {
      mkdirSync(join(dir, path), { recursive: true });
      writeFileSync(
        join(dir, path, 'package.json'),
        JSON.stringify({ name: path.split('node_modules/').pop(), ...extra }),
      );
    };
    const prune = () =>
      spawnSync(process.execPath, [join(root, 'scripts/prune-dev-packages.mjs'), dir], { encoding: 'utf8' });
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'prune-'));
      // app -> a (dependency) -> b (optional dependency), c (nested, dependency), ts (optional peer);
      // ts is a devDependency too: npm's lockfile calls it devOptional, and --omit=dev keeps it.
      const lock = {
        lockfileVersion: 3,
        packages: {
          '': { dependencies: { a: '1' }, devDependencies: { ts: '5' } },
          'node_modules/a': {
            dependencies: { c: '2' },
            optionalDependencies: { b: '1' },
            peerDependencies: { ts: '5' },
            peerDependenciesMeta: { ts: { optional: true } },
          },
          'node_modules/b': { optional: true },
          'node_modules/a/node_modules/c': {},
          'node_modules/c': { dev: true },
          'node_modules/ts': { devOptional: true },
          'node_modules/@scope/shared': {},
        },
      };
      writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(lock));
      for (const path of [
        'node_modules/a',
        'node_modules/b',
        'node_modules/a/node_modules/c',
        'node_modules/ts',
        'node_modules/@scope/shared',
      ])
        install(path);
      mkdirSync(join(dir, 'node_modules/.bin'));
      symlinkSync('../ts/bin/tsc', join(dir, 'node_modules/.bin/tsc'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('removes what the production dependencies do not reach (an optional peer, a dev-only share) and keeps the rest', () => {
      const result = prune();
      expect(result.status).toBe(0);
      expect(result.stdout).toContain('removed 2 package(s)');
      expect(existsSync(join(dir, 'node_modules/ts'))).toBe(false);
      expect(existsSync(join(dir, 'node_modules/@scope/shared'))).toBe(false);
      expect(spawnSync('ls', [join(dir, 'node_modules/.bin')], { encoding: 'utf8' }).stdout.trim()).toBe('');
      for (const kept of ['node_modules/a', 'node_modules/b', 'node_modules/a/node_modules/c'])
        expect(existsSync(join(dir, kept))).toBe(true);
      expect(prune().stdout).toContain('removed 0 package(s)');
    });

    it('refuses to remove an optional production package it cannot place (its closure would be wrong)', () => {
      const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
      lock.packages['node_modules/stray'] = { optional: true };
      writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(lock));
      install('node_modules/stray');
      const result = prune();
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('node_modules/stray');
      expect(existsSync(join(dir, 'node_modules/ts'))).toBe(true);
    });
  });
});
