/** The EVM networks the transfer form offers, with starting fee values the user can change. */

export interface EvmNetwork {
  chainId: number;
  name: string;
  /** The native coin's symbol. */
  symbol: string;
  /** Suggested EIP-1559 fees in gwei: starting points, not live prices ("Fill from network" asks the node). */
  maxFeeGwei: string;
  priorityFeeGwei: string;
}

export const NETWORKS: readonly EvmNetwork[] = [
  { chainId: 1, name: 'Ethereum', symbol: 'ETH', maxFeeGwei: '30', priorityFeeGwei: '1.5' },
  { chainId: 25, name: 'Cronos', symbol: 'CRO', maxFeeGwei: '5000', priorityFeeGwei: '1' },
  { chainId: 31337, name: 'Local development chain', symbol: 'ETH', maxFeeGwei: '10', priorityFeeGwei: '1' },
];

/** A plain transfer of the native coin always uses 21,000 gas. */
export const TRANSFER_GAS = '21000';

export function networkFor(chainId: number): EvmNetwork | undefined {
  return NETWORKS.find((n) => n.chainId === chainId);
}

export const networkLabel = (chainId: number): string => {
  const known = networkFor(chainId);
  return known ? `${known.name} (chain id ${chainId})` : `chain id ${chainId}`;
};
