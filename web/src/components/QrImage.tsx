/** A QR code drawn in the browser (qrcode → SVG → data: URL image, allowed by the CSP's img-src). */
import { useEffect, useState } from 'react';
import QRCode from 'qrcode';

export function QrImage({ value, alt, className = 'qr' }: { value: string; alt: string; className?: string }) {
  const [src, setSrc] = useState('');
  useEffect(() => {
    let current = true;
    QRCode.toString(value, { type: 'svg', margin: 1, errorCorrectionLevel: 'M', color: { dark: '#000000', light: '#ffffff' } }).then(
      (svg) => {
        if (current) setSrc(`data:image/svg+xml;utf8,${encodeURIComponent(svg)}`);
      },
      () => {
        if (current) setSrc('');
      },
    );
    return () => {
      current = false;
    };
  }, [value]);
  if (!src) return <div className={className} aria-hidden="true" />;
  return <img className={className} src={src} alt={alt} width={200} height={200} />;
}
