/**
 * Custody over HTTP (a full session for each): balances, history, deposit addresses, quotes and
 * trades; in development, test money.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as c from '../../contracts/custody.ts';
import { errorBody } from '../../contracts/common.ts';
import { authenticate } from '../../http/guards.ts';
import { clientOf } from '../../http/request-context.ts';
import type { RouteContext } from '../../http/route-context.ts';
import { describeBalances } from './balances.ts';
import { faucet, listDepositAddresses } from './deposits.ts';
import { listHistory } from './history.ts';
import { acceptQuote, makeQuote } from './quotes.ts';

const tags = ['Custody'];
const security = [{ session: [] }];
const refused = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };

export async function custodyRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { deps } = context;

  r.get('/api/balances', { schema: { tags, summary: 'Balances per asset (available and on hold) with their USD value', security, response: { 200: c.balancesBody, ...refused } } }, async (request) => {
    const { user } = await authenticate(request, context);
    return describeBalances(deps, user.id);
  });

  r.get(
    '/api/history',
    { schema: { tags, summary: 'Deposits, trades and withdrawals, newest first', security, querystring: c.historyQuery, response: { 200: c.historyBody, ...refused } } },
    async (request) => {
      const { user } = await authenticate(request, context);
      return listHistory(deps, user.id, request.query);
    },
  );

  r.get(
    '/api/deposit-addresses',
    { schema: { tags, summary: 'The account’s deposit address on each network', security, response: { 200: c.depositAddressesBody, ...refused } } },
    async (request) => {
      const { user } = await authenticate(request, context);
      return listDepositAddresses(deps, user.id);
    },
  );

  r.post(
    '/api/quotes',
    {
      schema: {
        tags,
        summary: 'A price to pay `amount` of one asset for another, valid 15 seconds',
        description: 'The fee (TRADE_FEE_BPS) is taken from what is paid; prices older than PRICE_MAX_AGE are refused (409 price_unavailable).',
        security,
        body: c.quoteBody,
        response: { 200: c.quoteAnswer, ...refused },
      },
    },
    async (request) => {
      const { user } = await authenticate(request, context);
      return makeQuote(deps, user.id, request.body);
    },
  );

  r.post(
    '/api/quotes/:id/accept',
    { schema: { tags, summary: 'Trade at a quote, within its 15 seconds, once', security, params: c.quoteParams, response: { 200: c.tradeAnswer, ...refused } } },
    async (request) => {
      const { user } = await authenticate(request, context);
      return acceptQuote(deps, user.id, request.params.id, clientOf(request));
    },
  );

  if (deps.config.env === 'development') {
    r.post(
      '/api/dev/faucet',
      { schema: { tags, summary: 'Test money (development only)', security, body: c.faucetBody, response: { 200: c.faucetAnswer, ...refused } } },
      async (request) => {
        const { user } = await authenticate(request, context);
        return { status: 'credited' as const, ...(await faucet(deps, user.id, user.email, request.body.asset)) };
      },
    );
  }
}
