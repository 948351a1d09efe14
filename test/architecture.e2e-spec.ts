import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The layers of docs/ARCHITECTURE.md, checked on the source: which library may import which, no
 * two libraries importing each other, and no HTTP framework below the edge.
 */
const MAY_IMPORT: Record<string, string[]> = {
  platform: [],
  security: ['platform'],
  'event-store': ['platform'],
  'identity-events': ['event-store', 'platform'],
  'read-models': ['identity-events', 'event-store', 'platform', 'security'],
  notifications: ['read-models', 'identity-events', 'event-store', 'platform', 'security'],
  'audit-trail': ['read-models', 'identity-events', 'event-store', 'platform', 'security'],
  identity: ['audit-trail', 'notifications', 'read-models', 'identity-events', 'event-store', 'platform', 'security'],
  'http-edge': [
    'identity',
    'audit-trail',
    'notifications',
    'read-models',
    'identity-events',
    'event-store',
    'platform',
    'security',
  ],
};
/** Packages of the HTTP edge: only apps/ and libs/http-edge use them. */
const HTTP_PACKAGES =
  /^(express|fastify|@fastify\/.*|@nestjs\/swagger|@nestjs\/platform-.*|class-validator|class-transformer)$/;

const root = join(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'testing' || name === 'contract' ? [] : sourceFiles(path);
    return /\.ts$/.test(name) && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(name) ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s+'([^']+)'/g)].map((match) => match[1]);
}

const libraries = readdirSync(join(root, 'libs'));
const graph = new Map(
  libraries.map((library) => {
    const files = sourceFiles(join(root, 'libs', library, 'src'));
    return [
      library,
      {
        files,
        imports: files.flatMap((file) => importsOf(file).map((spec) => ({ file: relative(root, file), spec }))),
      },
    ];
  }),
);

describe('architecture (docs/ARCHITECTURE.md)', () => {
  it('knows every library', () => {
    expect(libraries.sort()).toEqual(Object.keys(MAY_IMPORT).sort());
  });

  it.each(libraries)('libs/%s imports only the layers below it', (library) => {
    const wrong = graph
      .get(library)!
      .imports.filter(({ spec }) => spec.startsWith('@app/'))
      .map(({ file, spec }) => ({ file, library: spec.split('/')[1] }))
      .filter(({ library: target }) => target !== library && !MAY_IMPORT[library].includes(target));
    expect(wrong).toEqual([]);
  });

  it('has no two libraries importing each other', () => {
    const uses = (a: string, b: string) =>
      graph.get(a)!.imports.some(({ spec }) => spec === `@app/${b}` || spec.startsWith(`@app/${b}/`));
    const pairs = libraries.flatMap((a) =>
      libraries.filter((b) => a < b && uses(a, b) && uses(b, a)).map((b) => `${a} <-> ${b}`),
    );
    expect(pairs).toEqual([]);
  });

  it.each(libraries.filter((library) => library !== 'http-edge'))('libs/%s imports no HTTP framework', (library) => {
    const http = graph.get(library)!.imports.filter(({ spec }) => HTTP_PACKAGES.test(spec));
    expect(http).toEqual([]);
  });

  it('keeps controllers and DTOs in apps/', () => {
    const edge = libraries
      .filter((library) => library !== 'http-edge')
      .flatMap((library) => graph.get(library)!.files.filter((file) => /\.(controller|dto)\.ts$/.test(file)));
    expect(edge.map((file) => relative(root, file))).toEqual([]);
  });
});
