/**
 * The withdrawal address book: each network's rule (invalid addresses answered 400 invalid_address
 * naming it), a fresh strong step-up to add, the emailed confirmation, the 24-hour delay before an
 * address is usable, immediate removal; and whitelist-only mode (on at once, off after 24 hours with
 * step-up, cancellable), every change emailed and recorded.
 */
import { describe, expect, it } from 'vitest';
import { codeFor, enrolledUser, signIn } from '../../../test/accounts.ts';
import { dialects, testApps } from '../../../test/harness.ts';
import { lastMail } from '../../../test/mail.ts';
import { auditOf, holdsOf, userRow } from '../../../test/queries.ts';
import { HOUR, MINUTE } from '../../../test/time.ts';

const confirmToken = (text: string) => /confirm-withdrawal-address\?token=([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? '';

describe.each(dialects)('the withdrawal address book on %s', (dialect) => {
  const app = testApps(dialect);

  it('checks each network’s rule, asks for step-up, confirms by email, and makes the address usable 24 hours later', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const add = (body: Record<string, string>) => user.client.post('/api/withdrawal-addresses', body);
    // Invalid: a bech32 typo, a P2PKH with a broken checksum, a testnet address, an EIP-55 checksum error, the wrong network.
    for (const [asset, network, address, rule] of [
      ['BTC', 'bitcoin', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5', /bech32/i],
      ['BTC', 'bitcoin', '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3', /checksum/i],
      ['BTC', 'bitcoin', 'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx', /testnet/i],
      ['ETH', 'ethereum', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD', /EIP-55/],
    ] as const) {
      const refused = await add({ asset, network, address, label: 'Bad' });
      expect(refused.status, address).toBe(400);
      expect(refused.body.error).toBe('invalid_address');
      expect(refused.body.message).toMatch(rule);
    }
    expect((await add({ asset: 'USDC', network: 'bitcoin', address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', label: 'x' })).body.error).toBe('invalid_request');

    // Step-up: the enrollment's strong factor is 11 minutes old.
    t.clock.advance(11 * MINUTE);
    const stale = await add({ asset: 'ETH', network: 'ethereum', address: '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed', label: 'Ledger' });
    expect(stale).toMatchObject({ status: 403, body: { error: 'step_up_required' } });
    expect((await user.client.post('/api/auth/step-up', { method: 'totp', code: codeFor(t, user.secret) })).status).toBe(200);
    const added = await add({ asset: 'ETH', network: 'ethereum', address: '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed', label: 'Ledger' });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    // Kept in its EIP-55 form.
    expect(added.body).toMatchObject({ address: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', status: 'unconfirmed', usableFrom: null });
    const mail = await lastMail(t, user.email, 'Bastion: Confirm a new withdrawal address');
    expect(mail.text).toContain('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed');
    const token = confirmToken(mail.text);
    const confirmed = await t.client().post('/api/withdrawal-addresses/confirm', { token });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'pending', usableFrom: new Date(t.clock.now() + 24 * HOUR).toISOString() });
    expect((await t.client().post('/api/withdrawal-addresses/confirm', { token })).body.error).toBe('invalid_token');
    expect((await add({ asset: 'ETH', network: 'ethereum', address: '0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED', label: 'Again' })).body.error).toBe('address_exists');
    expect((await lastMail(t, user.email, 'Bastion: A withdrawal address was added to your whitelist')).text).toContain('Ledger');
    expect((await auditOf(t, 'withdrawal.address_added')).at(-1)).toMatchObject({ actor_kind: 'user' });

    const usableFrom = Date.parse(confirmed.body.usableFrom);
    t.clock.advance(24 * HOUR - MINUTE);
    const later = await signIn(t, user);
    expect((await later.get('/api/withdrawal-addresses')).body.addresses[0].status).toBe('pending');
    t.clock.set(usableFrom);
    expect((await later.get('/api/withdrawal-addresses')).body.addresses[0].status).toBe('usable');

    // A second one (upper-case bech32, kept in lower case), removed before it is confirmed: its link dies with it.
    const cold = await later.post('/api/withdrawal-addresses', { asset: 'BTC', network: 'bitcoin', address: 'BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ', label: 'Cold' });
    expect(cold.body.address).toBe('bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq');
    const coldToken = confirmToken((await lastMail(t, user.email, 'Bastion: Confirm a new withdrawal address')).text);
    expect((await later.delete(`/api/withdrawal-addresses/${cold.body.id}`)).body).toEqual({ status: 'removed' });
    expect((await t.client().post('/api/withdrawal-addresses/confirm', { token: coldToken })).body.error).toBe('invalid_token');
    expect((await later.delete(`/api/withdrawal-addresses/${cold.body.id}`)).status).toBe(404);
    expect((await later.get('/api/withdrawal-addresses')).body.addresses).toHaveLength(1);
    expect((await lastMail(t, user.email, 'Bastion: A withdrawal address was removed')).text).toContain('Cold');
  });

  it('turns whitelist-only on at once, and off only 24 hours after a step-up, cancellable meanwhile', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const id = (await userRow(t, user.email)).id;
    const set = (enabled: boolean) => user.client.put('/api/withdrawal-addresses/whitelist-only', { enabled });
    expect((await user.client.get('/api/withdrawal-addresses')).body).toMatchObject({ whitelistOnly: false, whitelistOffAt: null });
    expect((await set(true)).body).toEqual({ whitelistOnly: true, whitelistOffAt: null });
    expect((await lastMail(t, user.email, 'Bastion: Whitelist-only withdrawals are on')).subject).toBeTruthy();

    t.clock.advance(11 * MINUTE);
    expect((await set(false)).body.error).toBe('step_up_required');
    expect((await user.client.post('/api/auth/step-up', { method: 'totp', code: codeFor(t, user.secret) })).status).toBe(200);
    const off = await set(false);
    expect(off.body).toEqual({ whitelistOnly: true, whitelistOffAt: new Date(t.clock.now() + 24 * HOUR).toISOString() });
    expect((await lastMail(t, user.email, 'Bastion: Whitelist-only withdrawals are being turned off')).text).toContain('lock-account');
    // Its own 24 hours are the protection: nothing else is held.
    expect((await holdsOf(t, id)).map((h) => h.reason)).not.toContain('whitelist_disabled');
    // Cancelled by turning it on again: it stays on.
    expect((await set(true)).body).toEqual({ whitelistOnly: true, whitelistOffAt: null });
    expect(await auditOf(t, 'withdrawal.whitelist_off_cancelled')).toHaveLength(1);
    // Asked again and left alone: off once the 24 hours are over.
    const again = await set(false);
    expect(again.body.whitelistOffAt).not.toBeNull();
    t.clock.advance(24 * HOUR);
    expect((await (await signIn(t, user)).get('/api/withdrawal-addresses')).body).toMatchObject({ whitelistOnly: false, whitelistOffAt: null });
  });

  it('stops what was on its way when the owner locks the account: links, addresses not yet usable, a pending whitelist-off', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const id = (await userRow(t, user.email)).id;
    expect((await user.client.put('/api/withdrawal-addresses/whitelist-only', { enabled: true })).status).toBe(200);
    expect((await user.client.put('/api/withdrawal-addresses/whitelist-only', { enabled: false })).body.whitelistOffAt).not.toBeNull();
    const added = await user.client.post('/api/withdrawal-addresses', { asset: 'BTC', network: 'bitcoin', address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', label: 'Cold' });
    expect(added.status).toBe(201);
    const token = confirmToken((await lastMail(t, user.email, 'Bastion: Confirm a new withdrawal address')).text);
    expect((await user.client.post('/api/me/lock')).status).toBe(200);
    expect((await t.client().post('/api/withdrawal-addresses/confirm', { token })).body.error).toBe('invalid_token');
    expect(await t.deps.store.db.selectFrom('withdrawal_addresses').select('id').where('user_id', '=', id).execute()).toEqual([]);
    expect(await t.deps.store.db.selectFrom('withdrawal_settings').select(['whitelist_only', 'off_effective_at']).where('user_id', '=', id).executeTakeFirst()).toEqual({ whitelist_only: 1, off_effective_at: null });
  });
});
