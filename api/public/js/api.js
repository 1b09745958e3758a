// The API client: the same HTTP API as curl, with the credential kept in this tab only
// (sessionStorage) — an API key typed in, or the session an action link was exchanged for.

const CREDENTIAL = 'entente-credential';

/**
 * Where this tab keeps its credential: `{ bearer, via }`, `via` saying how it was obtained
 * ('key' typed in, or 'link' from an email), so that an ended session can say what to do.
 */
export function credentialStore(storage = sessionStorage) {
  return {
    get() {
      try {
        const saved = JSON.parse(storage.getItem(CREDENTIAL) || 'null');
        return saved && typeof saved.bearer === 'string' ? saved : undefined;
      } catch {
        return undefined;
      }
    },
    set(bearer, via) {
      storage.setItem(CREDENTIAL, JSON.stringify({ bearer, via }));
    },
    forget() {
      storage.removeItem(CREDENTIAL);
    },
  };
}

/**
 * `call(method, path, { body, accept, anonymous, headers })` answers `{ status, body, type }`; the body is
 * parsed when it is JSON and text otherwise. Network failures answer status 0 with a problem.
 */
export function apiClient(credentials) {
  return async function call(method, path, { body, accept, anonymous = false, headers: extra = {} } = {}) {
    const headers = { ...extra };
    const credential = anonymous ? undefined : credentials.get();
    if (credential) headers.authorization = `Bearer ${credential.bearer}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (accept) headers.accept = accept;
    try {
      const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), referrerPolicy: 'no-referrer' });
      const type = res.headers.get('content-type') || '';
      return { status: res.status, body: type.includes('json') ? await res.json() : await res.text(), type };
    } catch (err) {
      return { status: 0, body: { title: 'Network error', detail: err instanceof Error ? err.message : String(err) }, type: '' };
    }
  };
}

/** A problem+json as a person reads it: the title, the reason, and each field that failed. */
export function problemText(problem) {
  if (!problem || typeof problem !== 'object') return String(problem ?? '');
  const fields = (problem.errors || []).map((e) => `${e.pointer}: ${e.detail}`);
  return [problem.title, problem.detail, ...fields].filter(Boolean).join(' — ');
}

// getRandomValues, not randomUUID: the latter exists only on https or localhost pages.
export const newRequestId = () => `web-${Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('')}`;

/** A file from an authenticated route, saved by the browser (a plain link cannot send the credential). */
export async function download(call, path, accept, filename) {
  const res = await call('GET', path, { accept });
  if (res.status !== 200) return res;
  const url = URL.createObjectURL(new Blob([res.body], { type: accept }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  return res;
}

/** An authenticated text or document in a new tab, as a blob the browser shows as it is. */
export async function openInTab(call, path, accept = 'text/plain') {
  const tab = window.open('', '_blank');
  const res = await call('GET', path, { accept });
  if (res.status !== 200) {
    if (tab) tab.close();
    return res;
  }
  const url = URL.createObjectURL(new Blob([res.body], { type: `${accept};charset=utf-8` }));
  if (tab) tab.location = url;
  else location.assign(url);
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return res;
}
