/** Single-use tokens: consumed exactly once under parallel requests, bound to what asked for them, by purpose; expired ones pruned. */
import { describe, expect, it } from 'vitest';
import { DAY, MINUTE } from '../clock.ts';
import { inTransaction } from '../store/database.ts';
import { registerVerified } from '../../test/accounts.ts';
import { dialects, testApps } from '../../test/harness.ts';
import { userRow } from '../../test/queries.ts';
import { consumeToken, issueToken, pruneTokens } from './tokens.ts';

describe.each(dialects)('single-use tokens on %s', (dialect) => {
  const app = testApps(dialect);

  it('is consumed exactly once when many requests race, and only for its purpose and binding', async () => {
    const t = await app();
    const user = await userRow(t, (await registerVerified(t)).email);
    const db = t.deps.store.db;
    const link = await inTransaction(db, (tx) => issueToken(t.deps, tx, { purpose: 'device_link', userId: user.id, boundTo: 'flow:a' }));
    expect(await inTransaction(db, (tx) => consumeToken(t.deps, tx, { purpose: 'unlock', secret: link }))).toBeNull();
    expect(await inTransaction(db, (tx) => consumeToken(t.deps, tx, { purpose: 'device_link', secret: link, boundTo: 'flow:b' }))).toBeNull();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => inTransaction(db, (tx) => consumeToken(t.deps, tx, { purpose: 'device_link', secret: link, boundTo: 'flow:a' }))),
    );
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    const code = await inTransaction(db, (tx) => issueToken(t.deps, tx, { purpose: 'email_code', userId: user.id, boundTo: 'flow:a' }));
    expect(code).toMatch(/^\d{6}$/);
    // A code is scoped to its binding: the same digits for another flow are not it.
    expect(await inTransaction(db, (tx) => consumeToken(t.deps, tx, { purpose: 'email_code', secret: code, boundTo: 'flow:b' }))).toBeNull();
    const stored = await db.selectFrom('one_time_tokens').selectAll().execute();
    for (const row of stored) expect(JSON.stringify(row)).not.toContain(link);
    t.clock.advance(10 * MINUTE);
    expect(await inTransaction(db, (tx) => consumeToken(t.deps, tx, { purpose: 'email_code', secret: code, boundTo: 'flow:a' }))).toBeNull();
  });

  it('prunes tokens that expired more than a day ago, and no others', async () => {
    const t = await app();
    const user = await userRow(t, (await registerVerified(t)).email);
    const db = t.deps.store.db;
    await inTransaction(db, async (tx) => {
      await issueToken(t.deps, tx, { purpose: 'email_code', userId: user.id, boundTo: 'flow:old' });
      await issueToken(t.deps, tx, { purpose: 'freeze', userId: user.id });
    });
    t.clock.advance(DAY + 11 * MINUTE);
    expect(await pruneTokens(t.deps)).toBe(1);
    expect((await db.selectFrom('one_time_tokens').select('purpose').execute()).map((r) => r.purpose)).toEqual(['freeze']);
  });
});
