import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';
import { precompress } from './build/precompress';

// The API serves the built console under /admin/; in development Vite proxies API calls to it.
const apiOrigin = 'http://127.0.0.1:3000';

export default defineConfig({
  base: '/admin/',
  plugins: [vue(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/v1': apiOrigin,
      '/health': apiOrigin,
      // So the API explorer link works from the dev server too.
      '/docs': apiOrigin,
      '/openapi.json': apiOrigin,
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.spec.ts'],
    unstubGlobals: true,
  },
});
