/**
 * Security headers for every response, and the CSRF rule: a state-changing request from a browser
 * page of another origin is refused, and one that carries our cookies must name a trusted origin
 * (BASE_URL's, plus TRUSTED_ORIGINS). Browsers always send Origin on cross-origin POSTs, so checking
 * it (falling back to Referer) is enough; cookies are SameSite=Lax as a second line.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import { forbidden } from '../errors/app-error.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface SecurityOptions {
  https: boolean;
  trustedOrigins: string[];
  /** Names of the cookies whose presence makes a request need a trusted origin. */
  cookieNames: () => string[];
  /** Extra origins the page may fetch from (the DeFi Wallet's JSON-RPC nodes). */
  connectOrigins: string[];
}

function requestOrigin(request: FastifyRequest): string | null {
  const origin = request.headers.origin;
  if (origin && origin !== 'null') return origin;
  const referer = request.headers.referer;
  if (!referer) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return null;
  }
}

/**
 * Helmet's headers, worked out once: none of ours depends on the request (no nonces), and the
 * Fastify plugin would build Helmet's middleware again for every request.
 */
export function securityHeaders(options: Pick<SecurityOptions, 'https' | 'connectOrigins'>): Record<string, string> {
  const config: HelmetOptions = {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        connectSrc: ["'self'", ...options.connectOrigins],
        fontSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // blob: is the preview of a photo the user has just taken, before it is uploaded (it never leaves the page).
        imgSrc: ["'self'", 'data:', 'blob:'],
        objectSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        ...(options.https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    hsts: options.https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
    xFrameOptions: { action: 'deny' },
  };
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: unknown) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(config)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}

export async function registerSecurity(app: FastifyInstance, options: SecurityOptions): Promise<void> {
  const headers = securityHeaders(options);
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });

  const trusted = new Set(options.trustedOrigins);
  app.addHook('onRequest', async (request) => {
    if (SAFE_METHODS.has(request.method)) return;
    const origin = requestOrigin(request);
    // A browser says where a request comes from: another site's page is never trusted, cookie or not
    // (this also stops login CSRF, which carries no cookie yet).
    if (origin && !trusted.has(origin)) throw forbidden('csrf_rejected', 'This request did not come from a trusted origin.');
    // With our cookie, the origin must be known: a request that hides it is not trusted either.
    const carriesCookie = options.cookieNames().some((name) => request.cookies[name] !== undefined);
    if (carriesCookie && !origin) throw forbidden('csrf_rejected', 'This request did not come from a trusted origin.');
  });
}
