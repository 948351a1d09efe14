import { readFileSync } from 'node:fs';
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
});
