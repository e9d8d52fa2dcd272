import { describe, expect, it } from 'vitest';
import { clientAddressKey } from './client-address';
import { TokenBucketMap } from './token-bucket-map';

describe('TokenBucketMap', () => {
  it('lets a key spend its capacity, then says how long until a token is back; charges may run into debt', () => {
    let now = 0;
    const buckets = new TokenBucketMap({ capacity: 3, refillPerSecond: 1, maxKeys: 10 }, () => now);
    expect(buckets.retryAfterMs('a')).toBe(0);
    for (let index = 0; index < 3; index++) buckets.charge('a', 1);
    expect(buckets.retryAfterMs('a')).toBe(1_000);
    expect(buckets.retryAfterMs('b')).toBe(0);
    now += 1_000;
    expect(buckets.retryAfterMs('a')).toBe(0);
    buckets.charge('a', 10); // debt of 9
    expect(buckets.retryAfterMs('a')).toBe(10_000);
  });

  it('stays bounded: the least recently used key goes, and full buckets are not kept', () => {
    let now = 0;
    const buckets = new TokenBucketMap({ capacity: 1, refillPerSecond: 1, maxKeys: 100 }, () => now);
    for (let index = 0; index < 10_000; index++) buckets.charge(`k${index}`, 1);
    expect(buckets.size).toBe(100);
    now += 5_000;
    for (let index = 9_900; index < 10_000; index++) expect(buckets.retryAfterMs(`k${index}`)).toBe(0);
    expect(buckets.size).toBe(0);
  });
});

describe('clientAddressKey', () => {
  it('keys IPv4 (also IPv4-mapped) by address and IPv6 by its /64', () => {
    expect(clientAddressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressKey('2001:db8:85a3:0:1:2:3:4')).toBe('2001:db8:85a3:0::/64');
    expect(clientAddressKey('2001:db8:85a3::9')).toBe(clientAddressKey('2001:db8:85a3:0:ffff::1'));
    expect(clientAddressKey('::1')).toBe('0:0:0:0::/64');
    expect(clientAddressKey(undefined)).toBe('unknown');
  });
});
