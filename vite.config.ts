/**
 * Builds the web app (web/) into dist/web, which the Bastion server serves from the same origin as
 * the API. In development, `npx vite` serves the app and forwards API, dev-inbox and health calls to
 * the Bastion server on port 3000.
 */
import type { IncomingMessage } from 'node:http';
import { defineConfig, type ProxyOptions } from 'vite';
import react from '@vitejs/plugin-react';

/** The Bastion server the dev server forwards to (BASTION_URL overrides the default). */
const BASTION = process.env.BASTION_URL ?? 'http://localhost:3000';

/**
 * The server only accepts state-changing requests from its own origin (CSRF rule). Requests the app
 * makes from the dev server's own origin are presented as coming from BASTION; any other origin is
 * passed through unchanged, so the server still rejects cross-site requests.
 */
function forwardSameOrigin(proxy: Parameters<NonNullable<ProxyOptions['configure']>>[0]): void {
  proxy.on('proxyReq', (proxyReq, req: IncomingMessage) => {
    const origin = req.headers.origin;
    if (!origin || !req.headers.host) return;
    try {
      if (new URL(origin).host === req.headers.host) proxyReq.setHeader('origin', BASTION);
    } catch {
      // An unparsable Origin is left for the server to reject.
    }
  });
}

const forward: ProxyOptions = { target: BASTION, changeOrigin: true, configure: forwardSameOrigin };

export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/api': forward,
      '/dev': forward,
      '/healthz': forward,
    },
  },
});
