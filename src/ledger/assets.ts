/**
 * The assets the platform holds, from config (ASSETS, a JSON array, replaces the defaults below):
 * each with its network, its decimals (the smallest unit the ledger counts in), the withdrawal fee
 * and the smallest withdrawal, in the asset's own decimal notation.
 */
import { z } from 'zod';
import { parseDecimal } from './amounts.ts';

export const NETWORKS = ['bitcoin', 'ethereum', 'cronos'] as const;
export type Network = (typeof NETWORKS)[number];

export interface Asset {
  symbol: string;
  name: string;
  network: Network;
  decimals: number;
  /** Charged on each withdrawal, in the asset's smallest unit. */
  withdrawalFee: bigint;
  /** The smallest withdrawal, in the asset's smallest unit. */
  minWithdrawal: bigint;
  /** For a token: its contract on the network (shown to users; the ledger does not need it). */
  contract: string | null;
}

const assetSetting = z
  .strictObject({
    symbol: z.string().regex(/^[A-Z0-9]{2,10}$/, { message: 'must be 2 to 10 capital letters or digits' }),
    name: z.string().min(1).max(60),
    network: z.enum(NETWORKS),
    decimals: z.number().int().min(0).max(36),
    withdrawalFee: z.string(),
    minWithdrawal: z.string(),
    contract: z.string().nullable().default(null),
  })
  .transform((a, ctx) => {
    const fee = parseDecimal(a.withdrawalFee, a.decimals);
    const min = parseDecimal(a.minWithdrawal, a.decimals);
    if (fee === null || min === null) {
      ctx.addIssue({ code: 'custom', message: `${a.symbol}: withdrawalFee and minWithdrawal must be decimals with at most ${a.decimals} places` });
      return z.NEVER;
    }
    if (min <= fee) {
      ctx.addIssue({ code: 'custom', message: `${a.symbol}: minWithdrawal must be more than withdrawalFee` });
      return z.NEVER;
    }
    return { ...a, withdrawalFee: fee, minWithdrawal: min } satisfies Asset;
  });

export const DEFAULT_ASSETS: z.input<typeof assetSetting>[] = [
  { symbol: 'BTC', name: 'Bitcoin', network: 'bitcoin', decimals: 8, withdrawalFee: '0.0002', minWithdrawal: '0.001', contract: null },
  { symbol: 'ETH', name: 'Ether', network: 'ethereum', decimals: 18, withdrawalFee: '0.002', minWithdrawal: '0.01', contract: null },
  { symbol: 'CRO', name: 'Cronos', network: 'cronos', decimals: 18, withdrawalFee: '1', minWithdrawal: '10', contract: null },
  { symbol: 'USDC', name: 'USD Coin (ERC-20)', network: 'ethereum', decimals: 6, withdrawalFee: '5', minWithdrawal: '20', contract: '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48' },
  { symbol: 'USDT', name: 'Tether USD (ERC-20)', network: 'ethereum', decimals: 6, withdrawalFee: '5', minWithdrawal: '20', contract: '0xdAC17F958D2ee523a2206206994597C13D831ec7' },
];

/** Parses ASSETS (or the defaults): a clear error names the asset and the field. */
export function parseAssets(json: string | undefined): Asset[] {
  let raw: unknown = DEFAULT_ASSETS;
  if (json !== undefined) {
    try {
      raw = JSON.parse(json);
    } catch {
      throw new Error('ASSETS: must be a JSON array of assets');
    }
  }
  const parsed = z.array(assetSetting).min(1).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`ASSETS: ${issue.path.join('.')} ${issue.message}`);
  }
  const symbols = parsed.data.map((a) => a.symbol);
  const twice = symbols.find((s, i) => symbols.indexOf(s) !== i);
  if (twice) throw new Error(`ASSETS: ${twice} is listed twice`);
  return parsed.data;
}
