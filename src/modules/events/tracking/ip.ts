/**
 * The client IP kept in `context.ip` (PLAZA_EVENTS_IP): `truncate` (default) keeps the network and
 * drops the host, IPv4 to /24 (`203.0.113.0`) and IPv6 to /48 (`2001:db8:85a3::`); `full` keeps it;
 * `drop` keeps none. An IPv4-mapped IPv6 address is treated as the IPv4 address it carries.
 */
import { isIPv4, isIPv6 } from 'node:net';

export type IpMode = 'truncate' | 'full' | 'drop';

/** The eight 16-bit groups of an IPv6 address (with `::` expanded), or undefined. */
const groupsOf = (ip: string): number[] | undefined => {
  const [head = '', tail] = ip.split('::');
  const part = (s: string) => (s === '' ? [] : s.split(':').map((g) => Number.parseInt(g, 16)));
  const a = part(head);
  const b = tail === undefined ? [] : part(tail);
  const fill = tail === undefined ? 0 : 8 - a.length - b.length;
  const all = [...a, ...new Array<number>(Math.max(fill, 0)).fill(0), ...b];
  return all.length === 8 && all.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? all : undefined;
};

/** The IP as kept for an event, or undefined when none is kept (no valid address, or `drop`). */
export const keptIp = (raw: unknown, mode: IpMode): string | undefined => {
  if (typeof raw !== 'string' || mode === 'drop') return undefined;
  let ip = raw.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) ip = mapped[1];
  if (isIPv4(ip)) {
    if (mode === 'full') return ip;
    return `${ip.split('.').slice(0, 3).join('.')}.0`;
  }
  const bare = ip.split('%')[0] ?? ip; // zone index (fe80::1%eth0)
  if (isIPv6(bare)) {
    if (mode === 'full') return bare.toLowerCase();
    const g = groupsOf(bare);
    return g
      ? `${g
          .slice(0, 3)
          .map((x) => x.toString(16))
          .join(':')}::`
      : undefined;
  }
  return undefined;
};
