/**
 * A QR code as an image (a PNG data URL made in the browser by the `qrcode` package). Import it lazily
 * (`lazy(() => import('../kit/qr.tsx'))`): the encoder stays out of an app's first load.
 */
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

export interface QrProps {
  /** What the code encodes. */
  value: string;
  /** The image's text alternative. */
  label: string;
  /** Rendered size in CSS pixels (the image is drawn at twice that for sharp screens). */
  size?: number;
  className?: string;
}

export const Qr = ({ value, label, size = 192, className }: QrProps) => {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(value, { errorCorrectionLevel: 'M', margin: 2, width: size * 2 }).then(
      (url) => live && setSrc(url),
      () => live && setSrc(null),
    );
    return () => {
      live = false;
    };
  }, [value, size]);
  if (!src)
    return (
      <div
        className="pz-skeleton"
        style={{ inlineSize: size, blockSize: size }}
        role="img"
        aria-label={label}
      />
    );
  return <img src={src} alt={label} width={size} height={size} className={className} />;
};

export default Qr;
