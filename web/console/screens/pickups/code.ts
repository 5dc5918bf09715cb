/**
 * What a keyboard-wedge scanner or a person types at the counter: the QR payload
 * (`plaza:pickup:<order number>:<code>`) or the bare 8-character code.
 */
export type Scanned =
  | { kind: 'qr'; orderNumber: number; code: string }
  | { kind: 'code'; code: string }
  | null;

export const readScan = (raw: string): Scanned => {
  const value = raw.trim();
  if (!value) return null;
  const qr = /^plaza:pickup:(\d+):([A-Za-z0-9]+)$/i.exec(value);
  if (qr?.[1] && qr[2]) return { kind: 'qr', orderNumber: Number(qr[1]), code: value };
  return { kind: 'code', code: value.replace(/\s+/g, '').toUpperCase() };
};
