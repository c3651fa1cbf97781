/** What every feature's routes receive, and the shape of a routes module. */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import type { Cookies } from './cookies.ts';

export interface RouteContext {
  deps: Deps;
  cookies: Cookies;
}

export type FeatureRoutes = (app: FastifyInstance, context: RouteContext) => Promise<void>;
