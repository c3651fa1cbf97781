/** The `bastion` command as a user runs it: a real process, real exit codes. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { bySystem, createAudit } from '../audit/audit.ts';
import pino from 'pino';
import { auditKeys } from '../audit/chain-keys.ts';
import { readCheckpoint } from '../audit/checkpoint.ts';
import { readCheckpointsFile } from './audit-verify.ts';
import { base64urlnopad } from '@scure/base';
import { loadConfig } from '../config.ts';
import { inTransaction, openStore } from '../store/database.ts';
import { asDatabaseOwner } from '../../test/database.ts';
import { bastion, cliInstallation } from '../../test/cli.ts';

describe('bastion CLI', () => {
  it('migrates a new database, seals and verifies its audit chain (exit 0), finds a changed event (exit 1) and, against a checkpoint, a removed tail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bastion-cli-'));
    const env = { DATA_DIR: dir, DATABASE_URL: `sqlite:${join(dir, 'cli.db')}`, LOG_LEVEL: 'silent' };
    const migrated = await bastion(['migrate'], env);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toMatch(/applied: 001_foundation/);
    expect((await bastion(['migrate'], env)).stdout).toMatch(/up to date/);

    const store = openStore(env.DATABASE_URL);
    // The installation's own key (generated into DATA_DIR in development), as a server would use it.
    const audit = createAudit({ clock: new ManualClock(), store, keys: auditKeys(loadConfig(env, { loadDotEnv: false }).auditKey), log: pino({ level: 'silent' }) });
    for (let i = 0; i < 3; i++) await inTransaction(store.db, (tx) => audit.record(tx, { type: 'cli.test', ...bySystem(null), data: { i } }));
    const waiting = await bastion(['audit', 'verify'], env);
    expect(waiting.code, waiting.stderr + waiting.stdout).toBe(0);
    expect(waiting.stdout).toContain('audit chain intact: 0 event(s) verified (give --checkpoint from the log to catch a removed tail); 3 event(s) waiting to be sealed');
    const sealed = await bastion(['audit', 'seal'], env);
    expect(sealed.code, sealed.stderr).toBe(0);
    const checkpoint = sealed.stdout.trim();
    expect(checkpoint).toMatch(/^bcp2\.3\./);
    // The published key alone checks the checkpoint: it is what the log's readers are given.
    const published = await bastion(['audit', 'public-key'], env);
    expect(published.code, published.stderr).toBe(0);
    const publicKey = base64urlnopad.decode(/^ed25519:([A-Za-z0-9_-]{43})\n$/.exec(published.stdout)![1]!);
    expect(readCheckpoint({ publicKey }, checkpoint)).toMatchObject({ ok: true, checkpoint: { position: 3 } });
    expect(readCheckpoint({ publicKey: new Uint8Array(32).fill(1) }, checkpoint).ok).toBe(false);
    expect((await bastion(['audit', 'seal'], env)).stdout).toBe('nothing was waiting to be sealed\n');
    const intact = await bastion(['audit', 'verify', '--checkpoint', checkpoint], env);
    expect(intact.code, intact.stderr + intact.stdout).toBe(0);
    expect(intact.stdout).toBe('audit chain intact: 3 event(s) verified, reaching 1 checkpoint(s)\n');
    expect((await bastion(['audit', 'verify', '--checkpoint', 'bcp1.3.nonsense'], env)).code).toBe(2);
    // The log's checkpoints in a file, one a line, blank lines ignored.
    const file = join(dir, 'checkpoints.txt');
    writeFileSync(file, `\n${checkpoint}\n\n  ${checkpoint}  \n`);
    const fromFile = await bastion(['audit', 'verify', '--checkpoints-file', file], env);
    expect(fromFile.code, fromFile.stderr + fromFile.stdout).toBe(0);
    expect(fromFile.stdout).toBe('audit chain intact: 3 event(s) verified, reaching 2 checkpoint(s)\n');
    writeFileSync(file, 'bcp1.3.nonsense\n');
    expect((await bastion(['audit', 'verify', '--checkpoint', checkpoint, '--checkpoints-file', file], env)).code).toBe(2);
    expect(await readCheckpointsFile('-', Readable.from([`${checkpoint}\n\n`, 'second\n']))).toEqual([checkpoint, 'second']);

    // The last event and its entry removed by whoever owns the database: intact on its own, caught against the checkpoint.
    await asDatabaseOwner(store, async () => {
      await store.db.deleteFrom('audit_chain').where('position', '=', 3).execute();
      await store.db.deleteFrom('audit_events').where('seq', '=', 3).execute();
    });
    expect((await bastion(['audit', 'verify'], env)).code).toBe(0);
    const cut = await bastion(['audit', 'verify', '--checkpoint', checkpoint], env);
    expect(cut.code).toBe(1);
    expect(cut.stdout).toContain('entries were removed from its tail');

    await asDatabaseOwner(store, () => store.db.updateTable('audit_events').set({ type: 'tampered' }).where('seq', '=', 2).execute());
    await store.close();
    const broken = await bastion(['audit', 'verify'], env);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('BROKEN at event 2');
  }, 120_000);

  it('grants, lists and revokes staff roles: the owner is emailed through the outbox, the system is the actor', async () => {
    const { env, store } = await cliInstallation('sam@example.com');
    const grant = await bastion(['staff', 'grant', '--email', 'Sam@Example.com', '--role', 'support'], env);
    expect(grant.code, grant.stderr).toBe(0);
    expect(grant.stdout).toBe('sam@example.com is now support staff\n');
    expect((await bastion(['staff', 'list'], env)).stdout).toBe('support\tsam@example.com\n');
    const bad = await bastion(['staff', 'grant', '--email', 'sam@example.com', '--role', 'boss'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('Allowed choices are support, admin');
    expect((await bastion(['staff', 'grant', '--email', 'nobody@example.com', '--role', 'admin'], env)).code).toBe(1);
    expect((await bastion(['staff', 'revoke', '--email', 'sam@example.com'], env)).stdout).toBe('sam@example.com is no longer staff\n');
    const events = await store.db.selectFrom('audit_events').selectAll().where('type', '=', 'staff.role_changed').orderBy('seq').execute();
    expect(events.map((e) => [e.actor_kind, e.user_id, JSON.parse(e.data).to])).toEqual([['system', 'u-1', 'support'], ['system', 'u-1', null]]);
    const mail = await store.db.selectFrom('outbox').select(['recipient', 'template']).execute();
    expect(mail).toEqual([{ recipient: 'sam@example.com', template: 'staff_role_changed' }, { recipient: 'sam@example.com', template: 'staff_role_changed' }]);
    await store.close();
  }, 120_000);

  it('names a bad setting and exits 1', async () => {
    const result = await bastion(['migrate'], { DATABASE_URL: 'mysql://nope', DATA_DIR: mkdtempSync(join(tmpdir(), 'bastion-cli-')) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('DATABASE_URL: must start with sqlite:');
  }, 60_000);
});
