/**
 * A browser's cookie handling, as much as Node test devices need: Node's fetch keeps no cookies, and the
 * refresh token now lives only in an HttpOnly cookie (sync-server/routes/session.ts). Keeps each cookie
 * by name with its Path, sends it only to requests under that path, and drops it when the server expires
 * it (Max-Age=0 or an Expires in the past).
 */
interface Cookie {
  value: string;
  path: string;
  attributes: Record<string, string | true>;
}

export class CookieJar {
  private readonly cookies = new Map<string, Cookie>();

  /** A fetch that sends this jar's cookies and keeps what the server sets. */
  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = new Headers(init?.headers);
    const cookie = this.header(url.pathname);
    if (cookie) headers.set('Cookie', cookie);
    const response = await fetch(input, { ...init, headers });
    this.store(response);
    return response;
  };

  /** The Cookie header for a request to this path. */
  header(pathname: string): string {
    return [...this.cookies]
      .filter(([, c]) => pathname === c.path || pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
  }

  get(name: string): Cookie | undefined {
    return this.cookies.get(name);
  }

  /** Keeps (or removes) the cookies a response sets. */
  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...rest] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const attributes: Record<string, string | true> = {};
      for (const part of rest) {
        const [key, ...v] = part.trim().split('=');
        attributes[key!.toLowerCase()] = v.length ? v.join('=') : true;
      }
      const maxAge = typeof attributes['max-age'] === 'string' ? Number(attributes['max-age']) : null;
      const expires = typeof attributes.expires === 'string' ? Date.parse(attributes.expires) : null;
      if ((maxAge !== null && maxAge <= 0) || (expires !== null && expires <= Date.now()) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, { value, path: typeof attributes.path === 'string' ? attributes.path : '/', attributes });
    }
  }
}
