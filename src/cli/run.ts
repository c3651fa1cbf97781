/** How every command that applies rules runs: with the server's own services, a rule's refusal printed with its message and exit 1. */
import type { Deps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';

/** Opens the services (database, mail outbox, audit) for one piece of work, and closes them after. */
export type WithDeps = <T>(work: (deps: Deps) => Promise<T>) => Promise<T>;

/** Runs a command's work; a rule's refusal is printed with its message and exits 1. */
export async function run(withDeps: WithDeps, out: (s: string) => void, work: (deps: Deps) => Promise<number>): Promise<void> {
  process.exitCode = await withDeps(async (deps) => {
    try {
      return await work(deps);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      out(`${error.message}\n`);
      return 1;
    }
  });
}
