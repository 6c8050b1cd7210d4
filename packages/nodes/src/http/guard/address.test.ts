import { describe, expect, test } from 'vitest';
import { type AddressKind, classifyAddress, parseIPv6 } from './address.js';

describe('classifyAddress', () => {
  test.each([
    ['8.8.8.8', 'public'],
    ['93.184.216.34', 'public'],
    ['1.1.1.1', 'public'],
    ['172.15.255.255', 'public'],
    ['172.32.0.0', 'public'],
    ['100.63.255.255', 'public'],
    ['100.128.0.0', 'public'],
    ['169.253.255.255', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.0', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.0', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private'],
    ['100.64.0.0', 'private'],
    ['100.127.255.255', 'private'],
    ['169.254.0.1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['198.19.0.1', 'reserved'],
    ['2606:4700:4700::1111', 'public'],
    ['2001:4860:4860::8888', 'public'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified'],
    ['::ffff:127.0.0.1', 'ipv4-mapped'],
    ['::ffff:7f00:1', 'ipv4-mapped'],
    ['::ffff:8.8.8.8', 'ipv4-mapped'],
    ['::ffff:0:7f00:1', 'ipv4-mapped'],
    ['::127.0.0.1', 'ipv4-compatible'],
    ['::7f00:1', 'ipv4-compatible'],
    ['64:ff9b::127.0.0.1', 'nat64'],
    ['64:ff9b::a9fe:a9fe', 'nat64'],
    ['64:ff9b::808:808', 'public'],
    ['64:ff9b:1::1', 'nat64'],
    ['2002:7f00:1::', '6to4'],
    ['2001:0:4136:e378::1', 'teredo'],
    ['2001:db8::1', 'reserved'],
    ['100::1', 'reserved'],
    ['fc00::1', 'private'],
    ['fdff:ffff::1', 'private'],
    ['fd00:ec2::254', 'metadata'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['4000::1', 'reserved'],
    ['localhost', 'invalid'],
    ['256.0.0.1', 'invalid'],
    ['1:2:3:4:5:6:7:8:9', 'invalid'],
    ['1::2::3', 'invalid'],
    ['', 'invalid'],
  ] as [string, AddressKind][])('%s is %s', (address, kind) => {
    expect(classifyAddress(address).kind).toBe(kind);
  });

  test('labels name the range and, for embedded IPv4, the address inside', () => {
    expect(classifyAddress('10.1.2.3').label).toBe('private (10.0.0.0/8)');
    expect(classifyAddress('::ffff:7f00:1').label).toMatch(/127\.0\.0\.1 \(loopback/);
    expect(classifyAddress('64:ff9b::a00:1').label).toMatch(/NAT64 of 10\.0\.0\.1 \(private/);
  });
});

describe('parseIPv6', () => {
  test.each([
    ['::', [0, 0, 0, 0, 0, 0, 0, 0]],
    ['::1', [0, 0, 0, 0, 0, 0, 0, 1]],
    ['1::', [1, 0, 0, 0, 0, 0, 0, 0]],
    ['1:2:3:4:5:6:7:8', [1, 2, 3, 4, 5, 6, 7, 8]],
    ['::ffff:1.2.3.4', [0, 0, 0, 0, 0, 0xffff, 0x102, 0x304]],
  ])('%s', (text, groups) => {
    expect(parseIPv6(text)).toEqual(groups);
  });

  test.each(['1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8::', ':::', '12345::', '::1.2.3', '1.2.3.4::'])(
    'refuses %s',
    (text) => {
      expect(parseIPv6(text)).toBeUndefined();
    },
  );
});
