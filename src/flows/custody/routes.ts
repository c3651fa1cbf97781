/**
 * Custody over HTTP (a full session for each): balances, history, deposit addresses, quotes and
 * trades; in development, test money.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as c from '../../contracts/custody.ts';
import { errorBody } from '../../contracts/common.ts';
import { authenticate } from '../../http/guards.ts';
import { idempotent } from '../../http/idempotency.ts';
import { clientOf } from '../../http/request-context.ts';
import type { RouteContext } from '../../http/route-context.ts';
import { describeBalances } from './balances.ts';
import { faucet, listDepositAddresses } from './deposits.ts';
import { listHistory } from './history.ts';
import { acceptQuote, makeQuote } from './quotes.ts';
import { addAddress, addressBook, confirmAddress, removeAddress } from './address-book.ts';
import { setWhitelistOnly } from './whitelist-mode.ts';
import { withdrawalAvailability } from './withdrawal-lock.ts';
import * as w from '../../contracts/withdrawal-addresses.ts';
import { requireStepUp } from '../../factors/step-up-guard.ts';

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
    {
      schema: {
        tags,
        summary: 'Trade at a quote, within its 15 seconds, once',
        description: 'With an `Idempotency-Key` header, a retry with the same key gets the first answer again (`Idempotency-Replayed: true`); the same key with another request answers 422 idempotency_key_reused.',
        security,
        params: c.quoteParams,
        response: { 200: c.tradeAnswer, ...refused, 422: errorBody },
      },
    },
    async (request, reply) => {
      const { user } = await authenticate(request, context);
      return idempotent(deps, request, reply, user.id, () => acceptQuote(deps, user.id, request.params.id, clientOf(request)));
    },
  );

  r.get('/api/withdrawal-addresses', { schema: { tags, summary: 'The withdrawal address book and whitelist-only mode', security, response: { 200: w.addressBookBody, ...refused } } }, async (request) => {
    const { user } = await authenticate(request, context);
    return addressBook(deps, user.id);
  });

  r.post(
    '/api/withdrawal-addresses',
    {
      schema: {
        tags,
        summary: 'Add a withdrawal address (fresh strong step-up; confirmed by an emailed link; usable WHITELIST_ADDRESS_DELAY later)',
        description: 'An address that breaks its network’s rule answers 400 invalid_address naming the rule.',
        security,
        body: w.addAddressBody,
        response: { 201: w.addressEntry, ...refused },
      },
    },
    async (request, reply) => {
      const { user, session } = await authenticate(request, context);
      await requireStepUp(deps, session);
      return reply.status(201).send(await addAddress(deps, user, request.body, clientOf(request)));
    },
  );

  r.post(
    '/api/withdrawal-addresses/confirm',
    { schema: { tags, summary: 'Confirm a new withdrawal address with the emailed link (no sign-in needed)', body: w.confirmAddressBody, response: { 200: w.addressEntry, 400: errorBody } } },
    async (request) => confirmAddress(deps, request.body.token, clientOf(request)),
  );

  r.delete(
    '/api/withdrawal-addresses/:id',
    { schema: { tags, summary: 'Remove a withdrawal address (immediate)', security, params: w.addressParams, response: { 200: w.removedAnswer, ...refused } } },
    async (request) => {
      const { user } = await authenticate(request, context);
      await removeAddress(deps, user, request.params.id, clientOf(request));
      return { status: 'removed' as const };
    },
  );

  r.put(
    '/api/withdrawal-addresses/whitelist-only',
    {
      schema: {
        tags,
        summary: 'Turn whitelist-only withdrawals on (at once) or off (fresh step-up; after WHITELIST_OFF_DELAY, cancellable by turning it on)',
        security,
        body: w.whitelistOnlyBody,
        response: { 200: w.whitelistAnswer, ...refused },
      },
    },
    async (request) => {
      const { user, session } = await authenticate(request, context);
      if (!request.body.enabled) await requireStepUp(deps, session);
      return setWhitelistOnly(deps, user, request.body.enabled, clientOf(request));
    },
  );

  r.get(
    '/api/withdrawals/availability',
    { schema: { tags, summary: 'Whether the account may withdraw now; if not, why and until when', security, response: { 200: w.withdrawalAvailability, ...refused } } },
    async (request) => {
      const { user } = await authenticate(request, context);
      return withdrawalAvailability(deps, user);
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
