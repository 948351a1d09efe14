import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = join(__dirname, '..');

/**
 * The production stack's configuration as files, checked where no container engine runs: what the
 * README and the integration suites rely on must be in docker-compose.yml and package.json.
 */
describe('deployment configuration', () => {
  const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, { environment?: Record<string, string>; build?: unknown; image?: string }>;
  };
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
});
