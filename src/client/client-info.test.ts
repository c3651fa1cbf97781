/** Client addresses: only valid IPs, IPv4-mapped ones as IPv4, and per-IP limits keyed by the IPv6 /64. */
import { describe, expect, it } from 'vitest';
import { ipNetwork, perIpKey, validIp } from './client-info.ts';
import { describeDevice } from './user-agent.ts';

describe('client addresses and devices', () => {
  it('takes only valid IP addresses, and names an IPv6 client by its /64', () => {
    expect(validIp('81.2.69.142')).toBe('81.2.69.142');
    expect(validIp('::ffff:81.2.69.142')).toBe('81.2.69.142');
    expect(validIp('2001:DB8::1')).toBe('2001:db8::1');
    for (const junk of ['<script>', '81.2.69.142, 6.6.6.6', '999.1.1.1', '', undefined, 'fe80::1%Call-1-800-555-0100.evil.example', 'fe80::1%eth0']) expect(validIp(junk), junk).toBeNull();
    // Every spelling of an IPv4-mapped address is the IPv4 address; a port some proxies add is left off.
    for (const mapped of ['::ffff:1.2.3.4', '0:0:0:0:0:ffff:1.2.3.4', '::ffff:102:304', '::FFFF:1.2.3.4', '1.2.3.4:5555', '[::ffff:1.2.3.4]:443']) expect(validIp(mapped), mapped).toBe('1.2.3.4');
    expect(validIp('[2001:db8::1]:443')).toBe('2001:db8::1');
    expect(validIp('2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(ipNetwork('81.2.69.142')).toBe('81.2.69.142');
    expect(ipNetwork('2001:db8:1:2::a')).toBe('2001:db8:1:2::/64');
    expect(ipNetwork('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(ipNetwork('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(ipNetwork('::1')).toBe('0:0:0:0::/64');
    // An IPv4 tail after "::" takes two groups: the /64 is the first four of eight.
    expect(ipNetwork('2001:db8::3:4:5:1.2.3.4')).toBe('2001:db8:0:3::/64');
    expect(perIpKey('login-ip', { ip: '2001:db8:1:2::b', userAgent: '' })).toBe('login-ip:2001:db8:1:2::/64');
  });

  it('describes a device only by the browser and system the parser recognised, never by the header’s own text', () => {
    expect(describeDevice('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36')).toBe('Chrome 126 on Linux');
    for (const hostile of ['Call support +1-555-0100 http://evil.example', 'Mozilla/5.0 (Evil<script>alert(1)</script>) Foo/1.0', 'curl/8.5.0', '']) {
      const described = describeDevice(hostile);
      expect(described, hostile).toBe('Unknown device');
    }
    expect(describeDevice('CallSupport+1-555-0100/99 (Windows NT 10.0)')).toBe('Windows 10');
  });
});
