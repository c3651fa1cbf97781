/**
 * Hardhat's local chain (hardhat@2, a devDependency) for tests: `hardhat node` on 127.0.0.1 and a
 * free port, in a temporary project directory, offline (the node compiles nothing and downloads
 * nothing). Its accounts are funded from "test test test test test test test test test test test
 * junk" (10,000 ETH each, chain id 31337), and it mines every transaction at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const HARDHAT_BIN = join(REPO, 'node_modules', '.bin', 'hardhat');

export const HARDHAT_MNEMONIC = 'test test test test test test test test test test test junk';
export const HARDHAT_CHAIN_ID = 31337;

export interface HardhatNode {
  url: string;
  /** A JSON-RPC call; throws on a JSON-RPC error. */
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  stop(): Promise<void>;
}

let rpcId = 1;

export async function jsonRpc<T = unknown>(url: string, method: string, params: unknown[] = [], timeoutMs = 5_000): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: rpcId++, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await response.json()) as { result?: T; error?: { message?: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message ?? 'JSON-RPC error'}`);
  return body.result as T;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

export async function startHardhatNode(readyTimeoutMs = 45_000): Promise<HardhatNode> {
  const dir = mkdtempSync(join(tmpdir(), 'bastion-hardhat-'));
  writeFileSync(join(dir, 'hardhat.config.cjs'), 'module.exports = { networks: { hardhat: { chainId: 31337 } } };\n');
  // Hardhat refuses to run unless the project directory resolves its own copy ("HH12: non-local
  // installation"): point the temporary project at this repository's node_modules.
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(HARDHAT_BIN, ['node', '--hostname', '127.0.0.1', '--port', String(port)], {
    cwd: dir,
    env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true', HARDHAT_HIDE_SOLIDITY_SURVEY_MESSAGE: 'true', NO_COLOR: '1', CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Keep draining the node's log (it prints every call) so its pipe never fills; remember the tail for errors.
  let log = '';
  const remember = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', remember);
  child.stderr?.on('data', remember);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited(child);
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`hardhat node exited before answering:\n${log}`);
    }
    try {
      const chainId = await jsonRpc<string>(url, 'eth_chainId', [], 1_000);
      if (Number(chainId) !== HARDHAT_CHAIN_ID) throw new Error(`unexpected chain id ${chainId}`);
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`hardhat node did not answer eth_chainId within ${readyTimeoutMs} ms (${(error as Error).message}):\n${log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  return { url, rpc: (method, params = []) => jsonRpc(url, method, params), stop };
}
