// The SSRF guard end to end: every target form below must be refused with HTTP_TARGET_REFUSED before
// a connection is made. Loopback forms aim at a trap server that counts connections (it must count
// none); private, link-local and public forms are decided by the guard with a resolver the test
// controls, behind a connector safety net, so nothing ever leaves this machine.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { StepError } from '../executor.js';
import { createHttpExecutor } from './execute.js';
import {
  httpContext,
  type LoopbackServer,
  loopbackOnlyConnector,
  startEchoServer,
  startTrapServer,
  tableResolver,
} from './test-support.js';

let trap: LoopbackServer;
let echo: LoopbackServer;
beforeAll(async () => {
  trap = await startTrapServer();
  echo = await startEchoServer();
});
afterAll(async () => {
  await trap.close();
  await echo.close();
});

/** Names the test resolver knows; anything else does not resolve. */
const DNS: Record<string, readonly string[]> = {
  'loop.example.com': ['127.0.0.1'],
  'loop6.example.com': ['::1'],
  'mapped.example.com': ['::ffff:127.0.0.1'],
  'zero.example.com': ['0.0.0.0'],
  'app.localhost': ['127.0.0.1'],
  'internal.example.com': ['10.1.2.3'],
  'corp.example.com': ['172.20.0.5'],
  'home.example.com': ['192.168.0.10'],
  'cgnat.example.com': ['100.64.1.1'],
  'ula.example.com': ['fd12:3456::1'],
  'link.example.com': ['169.254.10.1'],
  'link6.example.com': ['fe80::1'],
  'metadata.example.com': ['169.254.169.254'],
  'metadata.google.internal': ['169.254.169.254'],
  'mixed.example.com': ['93.184.216.34', '192.168.0.10'],
  'mixed-loop.example.com': ['2606:2800:220:1:248:1893:25c8:1946', '127.0.0.1'],
  'nat64.example.com': ['64:ff9b::a00:1'],
  'sixtofour.example.com': ['2002:c0a8:1::1'],
};

interface Row {
  url: string;
  allowHosts?: string[];
  maxRedirects?: number;
  why: RegExp;
}

const P = () => trap.port;
const E = () => echo.port;
const redirect = (to: string) => `http://127.0.0.1:${E()}/redirect?to=${encodeURIComponent(to)}`;

// Each row is a function so the ports are known when it runs.
const rows: [string, () => Row][] = [
  // Loopback, spelled every way WHATWG URL accepts (normalised, then classified).
  [
    '127.0.0.1',
    () => ({ url: `http://127.0.0.1:${P()}/`, why: /127\.0\.0\.1.*loopback.*not in allowHosts/ }),
  ],
  ['localhost', () => ({ url: `http://localhost:${P()}/`, why: /localhost:\d+ is not in allowHosts/ })],
  ['localhost.', () => ({ url: `http://localhost.:${P()}/`, why: /not in allowHosts/ })],
  ['decimal 2130706433', () => ({ url: `http://2130706433:${P()}/`, why: /127\.0\.0\.1.*loopback/ })],
  ['octal 0177.0.0.1', () => ({ url: `http://0177.0.0.1:${P()}/`, why: /127\.0\.0\.1.*loopback/ })],
  ['hex 0x7f.1', () => ({ url: `http://0x7f.1:${P()}/`, why: /127\.0\.0\.1.*loopback/ })],
  ['hex 0x7f000001', () => ({ url: `http://0x7f000001:${P()}/`, why: /127\.0\.0\.1.*loopback/ })],
  ['octal 017700000001', () => ({ url: `http://017700000001:${P()}/`, why: /127\.0\.0\.1.*loopback/ })],
  ['short 127.1', () => ({ url: `http://127.1:${P()}/`, why: /127\.0\.0\.1.*loopback/ })],
  ['short 127.0.1', () => ({ url: `http://127.0.1:${P()}/`, why: /127\.0\.0\.1.*loopback/ })],
  ['zero-padded 127.000.000.001', () => ({ url: `http://127.000.000.001:${P()}/`, why: /loopback/ })],
  ['trailing dot 127.0.0.1.', () => ({ url: `http://127.0.0.1.:${P()}/`, why: /loopback/ })],
  ['percent-encoded host', () => ({ url: `http://%31%32%37.0.0.1:${P()}/`, why: /loopback/ })],
  ['full-width digits', () => ({ url: `http://\uff11\uff12\uff17.0.0.1:${P()}/`, why: /loopback/ })],
  [
    '127.0.0.1 matched by a wildcard only',
    () => ({
      url: `http://127.0.0.1:${P()}/`,
      allowHosts: ['*.0.0.1'],
      why: /loopback.*names the host exactly/,
    }),
  ],
  ['[::1]', () => ({ url: `http://[::1]:${P()}/`, why: /\[::1\].*loopback.*not in allowHosts/ })],
  ['[0:0:0:0:0:0:0:1]', () => ({ url: `http://[0:0:0:0:0:0:0:1]:${P()}/`, why: /\[::1\].*loopback/ })],
  [
    '[::ffff:127.0.0.1]',
    () => ({ url: `http://[::ffff:127.0.0.1]:${P()}/`, why: /IPv4-mapped.*127\.0\.0\.1/ }),
  ],
  ['[::ffff:7f00:1]', () => ({ url: `http://[::ffff:7f00:1]:${P()}/`, why: /IPv4-mapped.*127\.0\.0\.1/ })],
  [
    '[0:0:0:0:0:ffff:127.0.0.1]',
    () => ({ url: `http://[0:0:0:0:0:ffff:127.0.0.1]:${P()}/`, why: /IPv4-mapped/ }),
  ],
  [
    '[::127.0.0.1] (IPv4-compatible)',
    () => ({ url: `http://[::127.0.0.1]:${P()}/`, why: /IPv4-compatible/ }),
  ],
  [
    '[64:ff9b::127.0.0.1] (NAT64)',
    () => ({ url: `http://[64:ff9b::127.0.0.1]:${P()}/`, why: /NAT64 of 127\.0\.0\.1/ }),
  ],
  ['[2002:7f00:1::1] (6to4)', () => ({ url: `http://[2002:7f00:1::1]:${P()}/`, why: /6to4/ })],
  ['0.0.0.0', () => ({ url: `http://0.0.0.0:${P()}/`, why: /unspecified/ })],
  ['0 (short 0.0.0.0)', () => ({ url: `http://0:${P()}/`, why: /0\.0\.0\.0.*unspecified/ })],
  [
    '0.0.0.0 named exactly',
    () => ({
      url: `http://0.0.0.0:${P()}/`,
      allowHosts: [`0.0.0.0:${P()}`],
      why: /unspecified.*never callable/,
    }),
  ],
  ['[::]', () => ({ url: `http://[::]:${P()}/`, why: /unspecified/ })],
  // Names that resolve to loopback.
  [
    'name → 127.0.0.1',
    () => ({
      url: `http://loop.example.com:${P()}/`,
      allowHosts: ['*.example.com'],
      why: /loop\.example\.com:\d+ resolves to 127\.0\.0\.1 \(loopback/,
    }),
  ],
  [
    'name → ::1',
    () => ({
      url: `http://loop6.example.com:${P()}/`,
      allowHosts: ['*.example.com'],
      why: /resolves to ::1 \(loopback/,
    }),
  ],
  [
    'name → ::ffff:127.0.0.1',
    () => ({ url: `http://mapped.example.com:${P()}/`, allowHosts: ['*.example.com'], why: /IPv4-mapped/ }),
  ],
  [
    'name → 0.0.0.0, even named exactly',
    () => ({
      url: `http://zero.example.com:${P()}/`,
      allowHosts: ['zero.example.com'],
      why: /never callable/,
    }),
  ],
  [
    '*.localhost name',
    () => ({
      url: `http://app.localhost:${P()}/`,
      allowHosts: ['*.localhost'],
      why: /resolves to 127\.0\.0\.1/,
    }),
  ],
  [
    'name → public + loopback',
    () => ({
      url: `http://mixed-loop.example.com:${P()}/`,
      allowHosts: ['*.example.com'],
      why: /127\.0\.0\.1 \(loopback/,
    }),
  ],
  // User info and parser confusion.
  [
    'userinfo allowed@127.0.0.1',
    () => ({ url: `http://api.example.com@127.0.0.1:${P()}/`, why: /user info|not in allowHosts/ }),
  ],
  [
    'userinfo allowed:pw@127.0.0.1',
    () => ({ url: `http://api.example.com:x@127.0.0.1:${P()}/`, why: /user info|not in allowHosts/ }),
  ],
  [
    'backslash 127.0.0.1\\@allowed',
    () => ({ url: `http://127.0.0.1:${P()}\\@api.example.com/`, why: /loopback.*not in allowHosts/ }),
  ],
  [
    'not on the allow-list',
    () => ({ url: `http://evil.example.org:${P()}/`, why: /evil\.example\.org:\d+ is not in allowHosts/ }),
  ],
  // Schemes other than http/https (the URL template must start with one).
  ['file:', () => ({ url: 'file:///etc/passwd', why: /"file" URLs are not allowed/ })],
  ['gopher:', () => ({ url: `gopher://127.0.0.1:${P()}/_GET`, why: /"gopher" URLs are not allowed/ })],
  ['ftp:', () => ({ url: `ftp://127.0.0.1:${P()}/`, why: /"ftp" URLs are not allowed/ })],
  ['data:', () => ({ url: 'data:text/plain,hello', why: /http:\/\/ or https:\/\//i })],
  ['ws:', () => ({ url: `ws://127.0.0.1:${P()}/`, why: /"ws" URLs are not allowed/ })],
  // Redirects from an allowed server: each target goes through the whole guard again.
  ...(
    [
      [
        'redirect → 127.0.0.1',
        () => `http://127.0.0.1:${P()}/`,
        /127\.0\.0\.1:\d+.*loopback.*not in allowHosts/,
      ],
      ['redirect → [::1]', () => `http://[::1]:${P()}/`, /\[::1\].*not in allowHosts/],
      ['redirect → localhost', () => `http://localhost:${P()}/`, /localhost:\d+ is not in allowHosts/],
      ['redirect → 2130706433', () => `http://2130706433:${P()}/`, /loopback/],
      [
        'redirect → name resolving to loopback',
        () => `http://loop.example.com:${P()}/`,
        /resolves to 127\.0\.0\.1/,
      ],
      ['redirect → [::ffff:7f00:1]', () => `http://[::ffff:7f00:1]:${P()}/`, /IPv4-mapped/],
      ['redirect → file:', () => 'file:///etc/passwd', /"file:" URLs are not allowed/],
      ['redirect → gopher:', () => `gopher://127.0.0.1:${P()}/_x`, /"gopher:" URLs are not allowed/],
      ['redirect → userinfo', () => `http://x:y@loop.example.com:${P()}/`, /user info/],
      ['redirect → 169.254.169.254', () => 'http://169.254.169.254/latest/meta-data/', /metadata/],
      ['redirect → 10.0.0.1', () => 'http://10.0.0.1/', /private/],
    ] as const
  ).map(([name, to, why]): [string, () => Row] => [
    name,
    () => ({ url: redirect(to()), allowHosts: [`127.0.0.1:${E()}`, '*.example.com'], maxRedirects: 3, why }),
  ]),
  // Private, link-local, metadata and reserved: decided by the guard (safety net behind it).
  [
    '169.254.169.254',
    () => ({ url: 'http://169.254.169.254/latest/meta-data/', why: /metadata.*not in allowHosts/ }),
  ],
  [
    '169.254.169.254 named exactly',
    () => ({
      url: 'http://169.254.169.254/',
      allowHosts: ['169.254.169.254'],
      why: /metadata.*never callable/,
    }),
  ],
  [
    '[fd00:ec2::254]',
    () => ({
      url: 'http://[fd00:ec2::254]/',
      allowHosts: ['[fd00:ec2::254]'],
      why: /metadata.*never callable/,
    }),
  ],
  [
    '100.100.100.200',
    () => ({
      url: 'http://100.100.100.200/',
      allowHosts: ['100.100.100.200'],
      why: /metadata.*never callable/,
    }),
  ],
  [
    '[::ffff:169.254.169.254]',
    () => ({ url: 'http://[::ffff:169.254.169.254]/', why: /IPv4-mapped.*metadata/ }),
  ],
  [
    'metadata.google.internal',
    () => ({
      url: 'http://metadata.google.internal/',
      allowHosts: ['metadata.google.internal'],
      why: /resolves to 169\.254\.169\.254.*never callable/,
    }),
  ],
  [
    'name → metadata via wildcard',
    () => ({
      url: 'http://metadata.example.com/',
      allowHosts: ['*.example.com'],
      why: /169\.254\.169\.254.*metadata/,
    }),
  ],
  [
    'name → 169.254/16',
    () => ({
      url: 'http://link.example.com/',
      allowHosts: ['*.example.com'],
      why: /169\.254\.10\.1 \(link-local/,
    }),
  ],
  [
    'name → fe80::1',
    () => ({ url: 'http://link6.example.com/', allowHosts: ['*.example.com'], why: /fe80::1 \(link-local/ }),
  ],
  ['10.0.0.1', () => ({ url: 'http://10.0.0.1/', why: /private \(10\.0\.0\.0\/8\)/ })],
  ['10.255.255.254', () => ({ url: 'http://10.255.255.254/', why: /private/ })],
  ['hex 0xa.0.0.1', () => ({ url: 'http://0xa.0.0.1/', why: /10\.0\.0\.1.*private/ })],
  ['172.16.0.1', () => ({ url: 'http://172.16.0.1/', why: /private \(172\.16\.0\.0\/12\)/ })],
  ['172.31.255.254', () => ({ url: 'http://172.31.255.254/', why: /private/ })],
  ['192.168.1.1', () => ({ url: 'http://192.168.1.1/', why: /private \(192\.168\.0\.0\/16\)/ })],
  ['decimal 3232235777 (192.168.1.1)', () => ({ url: 'http://3232235777/', why: /192\.168\.1\.1.*private/ })],
  ['100.64.0.1 (CGNAT)', () => ({ url: 'http://100.64.0.1/', why: /carrier-grade NAT/ })],
  ['[fc00::1]', () => ({ url: 'http://[fc00::1]/', why: /unique local/ })],
  ['[fe80::1]', () => ({ url: 'http://[fe80::1]/', why: /link-local/ })],
  ['[::ffff:10.0.0.1]', () => ({ url: 'http://[::ffff:10.0.0.1]/', why: /IPv4-mapped/ })],
  [
    '224.0.0.1 multicast, named',
    () => ({ url: 'http://224.0.0.1/', allowHosts: ['224.0.0.1'], why: /multicast.*never callable/ }),
  ],
  [
    '255.255.255.255 broadcast, named',
    () => ({
      url: 'http://255.255.255.255/',
      allowHosts: ['255.255.255.255'],
      why: /broadcast.*never callable/,
    }),
  ],
  ['[ff02::1] multicast', () => ({ url: 'http://[ff02::1]/', why: /multicast/ })],
  ['240.0.0.1 reserved', () => ({ url: 'http://240.0.0.1/', why: /reserved/ })],
  ['198.18.0.1 benchmarking', () => ({ url: 'http://198.18.0.1/', why: /benchmarking/ })],
  [
    '[2001:0:4136:e378:8000:63bf:3fff:fdd2] Teredo',
    () => ({ url: 'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/', why: /Teredo/ }),
  ],
  [
    'name → 10/8',
    () => ({
      url: 'http://internal.example.com/',
      allowHosts: ['*.example.com'],
      why: /10\.1\.2\.3 \(private/,
    }),
  ],
  [
    'name → 172.16/12',
    () => ({
      url: 'http://corp.example.com/',
      allowHosts: ['*.example.com'],
      why: /172\.20\.0\.5 \(private/,
    }),
  ],
  [
    'name → 192.168/16',
    () => ({
      url: 'http://home.example.com/',
      allowHosts: ['*.example.com'],
      why: /192\.168\.0\.10 \(private/,
    }),
  ],
  [
    'name → 100.64/10',
    () => ({ url: 'http://cgnat.example.com/', allowHosts: ['*.example.com'], why: /carrier-grade NAT/ }),
  ],
  [
    'name → fc00::/7',
    () => ({ url: 'http://ula.example.com/', allowHosts: ['*.example.com'], why: /unique local/ }),
  ],
  [
    'name → public + private',
    () => ({
      url: 'http://mixed.example.com/',
      allowHosts: ['*.example.com'],
      why: /192\.168\.0\.10 \(private/,
    }),
  ],
  [
    'name → NAT64 of 10.0.0.1',
    () => ({ url: 'http://nat64.example.com/', allowHosts: ['*.example.com'], why: /NAT64 of 10\.0\.0\.1/ }),
  ],
  [
    'name → 6to4 of 192.168.0.1',
    () => ({ url: 'http://sixtofour.example.com/', allowHosts: ['*.example.com'], why: /6to4/ }),
  ],
];

describe('SSRF guard: refused targets', () => {
  test('the table has at least 50 target forms', () => {
    expect(rows.length).toBeGreaterThanOrEqual(50);
  });

  test.each(rows)('%s is refused before any connection', async (_name, make) => {
    const row = make();
    const resolver = tableResolver(DNS);
    const executor = createHttpExecutor({ resolver, connector: loopbackOnlyConnector });
    const before = trap.connections;
    const { ctx } = httpContext({
      method: 'GET',
      url: row.url,
      allowHosts: row.allowHosts ?? ['api.example.com'],
      limits: { maxRedirects: row.maxRedirects ?? 0 },
    });
    const error: unknown = await Promise.resolve(executor.execute(ctx)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StepError);
    expect(error).toMatchObject({
      code: 'HTTP_TARGET_REFUSED',
      retryable: false,
      message: expect.stringMatching(row.why),
    });
    expect(trap.connections - before).toBe(0);
  });

  test('the trap server recorded no connection at all', () => {
    expect(trap.connections).toBe(0);
  });
});
