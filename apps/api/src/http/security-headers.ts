import fastifyHelmet, { FastifyHelmetOptions } from '@fastify/helmet';
import Fastify from 'fastify';

/**
 * The headers @fastify/helmet sets with `options`, asked of it once at start-up. Helmet's headers
 * do not depend on the request (no CSP nonces here), but the plugin builds helmet's middleware
 * anew for every request, about a tenth of the server's CPU in the session-check benchmark; the
 * API sets these precomputed headers from its own hook instead.
 */
export async function securityHeaders(options: FastifyHelmetOptions = {}): Promise<Record<string, string>> {
  const probe = Fastify();
  try {
    await probe.register(fastifyHelmet, options);
    probe.get('/with', () => '');
    probe.get('/without', { helmet: false }, () => '');
    const [withHelmet, without] = await Promise.all([probe.inject('/with'), probe.inject('/without')]);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(withHelmet.headers)) {
      if (!(name in without.headers) && value !== undefined) headers[name] = String(value);
    }
    return headers;
  } finally {
    await probe.close();
  }
}
