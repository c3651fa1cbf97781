/**
 * A minimal EVM JSON-RPC client (fetch, no credentials) and the RPC URL setting (localStorage).
 * Only public data goes to the node: an address, and an already-signed transaction. Never the
 * recovery phrase, the passcode or a key.
 */
import { parseQuantity } from './units.ts';

const RPC_URL_KEY = 'bastion.wallet.rpcUrl';
const TIMEOUT_MS = 15_000;

export class RpcError extends Error {
  constructor(
    message: string,
    /** 'network': no answer (offline, refused, blocked by the Content-Security-Policy); 'node': the node said no. */
    readonly kind: 'network' | 'node' | 'invalid',
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

/** The user's JSON-RPC URL: an http(s) URL, or a path on this site ("/rpc"). Throws a message otherwise. */
export function checkRpcUrl(input: string): string {
  const text = input.trim();
  if (text.startsWith('/') && !text.startsWith('//')) return text;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error('Enter a URL such as https://evm.cronos.org or http://127.0.0.1:8545.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('The JSON-RPC URL must start with https:// or http://.');
  if (url.username || url.password) throw new Error('Put no user name or password in the URL.');
  return url.toString();
}

export function loadRpcUrl(): string {
  try {
    return window.localStorage.getItem(RPC_URL_KEY) ?? '';
  } catch {
    return '';
  }
}

export function saveRpcUrl(url: string): void {
  try {
    if (url) window.localStorage.setItem(RPC_URL_KEY, url);
    else window.localStorage.removeItem(RPC_URL_KEY);
  } catch {
    // Storage refused: the setting lasts for this visit only.
  }
}

let nextId = 1;

export async function rpcCall<T = unknown>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const controller = new AbortController();
  const timer = window.setTimeout(() => controller.abort(), TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }),
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
      signal: controller.signal,
    });
  } catch {
    throw new RpcError(
      controller.signal.aborted
        ? 'The JSON-RPC node did not answer in time.'
        : 'Cannot reach the JSON-RPC node. Check the URL and your connection. This Bastion server may also not allow the page to connect to that address (its Content-Security-Policy).',
      'network',
    );
  } finally {
    window.clearTimeout(timer);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new RpcError(`The JSON-RPC node answered ${response.status} without JSON.`, 'invalid');
  }
  const answer = body as { result?: unknown; error?: { message?: unknown; code?: unknown } };
  if (answer && typeof answer === 'object' && answer.error) {
    const message = typeof answer.error.message === 'string' ? answer.error.message : 'unknown error';
    throw new RpcError(`The node refused: ${message}`, 'node');
  }
  if (!response.ok || !answer || typeof answer !== 'object' || !('result' in answer)) {
    throw new RpcError(`The JSON-RPC node answered ${response.status} without a result.`, 'invalid');
  }
  return answer.result as T;
}

export async function getChainId(url: string): Promise<number> {
  return Number(parseQuantity(await rpcCall(url, 'eth_chainId')));
}

export async function getBalance(url: string, address: string): Promise<bigint> {
  return parseQuantity(await rpcCall(url, 'eth_getBalance', [address, 'latest']));
}

/** The next nonce, counting transactions still waiting in the node's pool. */
export async function getTransactionCount(url: string, address: string): Promise<bigint> {
  return parseQuantity(await rpcCall(url, 'eth_getTransactionCount', [address, 'pending']));
}

/** Suggested fees: priority from eth_maxPriorityFeePerGas (1 gwei if unsupported), max = 2 × gas price + priority. */
export async function getFeeSuggestion(url: string): Promise<{ maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }> {
  const gasPrice = parseQuantity(await rpcCall(url, 'eth_gasPrice'));
  let priority = 1_000_000_000n;
  try {
    priority = parseQuantity(await rpcCall(url, 'eth_maxPriorityFeePerGas'));
  } catch {
    // Older nodes: keep 1 gwei.
  }
  if (priority > gasPrice) priority = gasPrice;
  return { maxFeePerGas: gasPrice * 2n + priority, maxPriorityFeePerGas: priority };
}

/** Broadcasts a signed transaction; the node's transaction hash. */
export async function sendRawTransaction(url: string, rawTransaction: string): Promise<string> {
  const hash = await rpcCall(url, 'eth_sendRawTransaction', [rawTransaction]);
  if (typeof hash !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(hash)) throw new RpcError('The node did not return a transaction hash.', 'invalid');
  return hash;
}
