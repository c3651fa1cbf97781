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
import * as wd from '../../contracts/withdrawals.ts';
import { cancelWithdrawal, confirmWithdrawal, requestWithdrawal } from './withdrawals.ts';
import { listWithdrawals } from './withdrawal-views.ts';

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

  r.post(
    '/api/withdrawals',
    {
      schema: {
        tags,
        summary: 'Withdraw: the amount and its fee are held at once; the emailed link (30 minutes, once) queues it',
        description:
          'Needs a fresh strong step-up (a passkey or the authenticator app; an emailed code is not enough). The destination is `addressId` (a usable address-book entry) or `address` (with whitelist-only on, it must be a usable entry). Refused with 403 withdrawals_locked (`reason`, `until`) while the account is locked, unverified or held after a security change; 403 withdrawal_limit_exceeded past the daily limit of its identity level; 403 address_not_whitelisted; 409 address_not_usable; 409 insufficient_funds. With an `Idempotency-Key` header a retry gets the first answer (`Idempotency-Replayed: true`) and withdraws nothing more; the same key with another body answers 422 idempotency_key_reused.',
        security,
        body: wd.withdrawalBody,
        response: { 201: wd.withdrawalEntry, ...refused, 422: errorBody },
      },
    },
    async (request, reply) => {
      const { user, session } = await authenticate(request, context);
      await requireStepUp(deps, session);
      reply.status(201);
      return idempotent(deps, request, reply, user.id, (key) => requestWithdrawal(deps, user, request.body, clientOf(request), key, () => reply.header('idempotency-replayed', 'true')));
    },
  );

  r.post(
    '/api/withdrawals/confirm',
    {
      schema: {
        tags,
        summary: 'Confirm a withdrawal with the emailed link (no sign-in needed): it is queued for sending',
        description: 'A lock or a security hold that began since the request cancels it instead (403 withdrawals_locked; its funds return).',
        body: wd.confirmWithdrawalBody,
        response: { 200: wd.withdrawalEntry, 400: errorBody, 403: errorBody },
      },
    },
    async (request) => confirmWithdrawal(deps, request.body.token, clientOf(request)),
  );

  r.get(
    '/api/withdrawals',
    { schema: { tags, summary: 'The account’s withdrawals, newest first, and its daily limit', security, querystring: wd.withdrawalsQuery, response: { 200: wd.withdrawalsBody, ...refused } } },
    async (request) => {
      const { user } = await authenticate(request, context);
      return listWithdrawals(deps, user, request.query);
    },
  );

  r.delete(
    '/api/withdrawals/:id',
    { schema: { tags, summary: 'Cancel a withdrawal not sent yet: the amount and its fee return', security, params: wd.withdrawalParams, response: { 200: wd.withdrawalEntry, ...refused } } },
    async (request) => {
      const { user } = await authenticate(request, context);
      return cancelWithdrawal(deps, user, request.params.id, clientOf(request));
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
