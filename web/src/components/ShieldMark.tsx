/** The Bastion shield, drawn inline (decorative). */
export function ShieldMark({ size = 24 }: { size?: number }) {
  return (
    <svg className="shield" width={size} height={size} viewBox="0 0 64 64" aria-hidden="true" focusable="false">
      <path d="M32 4 8 13v17c0 15 10 25.5 24 30 14-4.5 24-15 24-30V13L32 4Z" fill="currentColor" />
      <path d="m21 32 8 8 15-16" className="shield-check" fill="none" strokeWidth="6" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
