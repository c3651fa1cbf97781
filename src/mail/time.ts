/** "2026-01-01 12:00 UTC": how every email writes a time, unambiguous for every reader. */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
