import { isIPv6 } from 'node:net';

/**
 * The key a client is throttled by: its socket's address (never `X-Forwarded-For`, which a client
 * sets freely), an IPv4-mapped IPv6 address as IPv4, and other IPv6 addresses by their /64 prefix,
 * the block one subscriber gets, so rotating through it does not reset the throttle.
 */
export function clientAddressKey(remoteAddress: string | undefined): string {
  if (!remoteAddress) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remoteAddress);
  if (mapped) return mapped[1]!;
  if (!isIPv6(remoteAddress)) return remoteAddress;
  const [head = '', tail = ''] = remoteAddress.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const groups = remoteAddress.includes('::') ? [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups] : headGroups;
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '').toLowerCase()).join(':')}::/64`;
}
