import type { LookupAddress, LookupOptions } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { Agent, fetch as undiciFetch, type RequestInit as UndiciInit } from 'undici';

/**
 * Addresses a URL given by a user must not reach from the API: loopback, private networks,
 * link-local (cloud metadata services), carrier-grade NAT, multicast and reserved ranges.
 */
const NOT_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv6');

export function isPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return isPublicAddress(mapped);
  const family = isIP(address);
  if (family === 0) return false;
  return !NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

class NotPublic extends Error {
  readonly code = 'ENOTPUBLIC';
  constructor(host: string) {
    super(`${host} is not a public address`);
  }
}

/** Every address of a name, as `dns.lookup(name, { all: true })` gives them. */
export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

const resolveAll: Resolve = (hostname) => lookup(hostname, { all: true });

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * The lookup of the connection itself (undici's `connect.lookup`): the name's addresses, refused
 * unless every one is public. The address checked is the address connected to, so a DNS answer
 * that changes between a check and the connection (DNS rebinding) cannot slip through.
 */
function publicLookup(resolve: Resolve = resolveAll) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolve(hostname).then(
      (found) => {
        const addresses = options.family === 4 || options.family === 6 ? found.filter((a) => a.family === options.family) : found;
        if (addresses.length === 0 || !addresses.every((a) => isPublicAddress(a.address))) return callback(new NotPublic(hostname), []);
        if (options.all) return callback(null, addresses);
        callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, []),
    );
  };
}

const MAX_REDIRECTS = 3;

/**
 * `fetch` for addresses a person typed (a council's calendar URL): only public hosts, checked
 * at each redirect and at the moment of connecting, so that the API cannot be made to read its
 * own network (a metadata service, Temporal's port, the database).
 */
export function publicOnlyFetchWith(resolve: Resolve): typeof fetch {
  // A literal IP is not looked up: it is checked before the request.
  const dispatcher = new Agent({ connect: { lookup: publicLookup(resolve) } });
  return (input, init) => fetchPublic(dispatcher, input, init);
}

export const publicOnlyFetch = publicOnlyFetchWith(resolveAll);

async function fetchPublic(dispatcher: Agent, input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  let url = new URL(input instanceof Request ? input.url : String(input));
  for (let hop = 0; ; hop++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${url.protocol} is not http or https`);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && !isPublicAddress(host)) throw new NotPublic(host);
    let response: Response;
    try {
      response = (await undiciFetch(url, { ...(init as UndiciInit), redirect: 'manual', dispatcher })) as unknown as Response;
    } catch (err) {
      // undici says "fetch failed"; what failed is in its cause.
      const cause = (err as { cause?: unknown }).cause;
      throw cause instanceof NotPublic ? cause : err;
    }
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) return response;
    if (hop >= MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`);
    url = new URL(location, url);
  }
}
