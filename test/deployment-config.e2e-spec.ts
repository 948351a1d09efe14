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
    services: Record<string, { environment?: Record<string, string> }>;
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
});
