// The front-end flow of the usersig demo, as Proficient's docs describe it:
// the page logs in, asks its own backend for the user's HMAC (/hmac), and
// calls the protected API with the user id and the HMAC in headers.
//
// Every function takes the fetch to use and the backend's base URL, so the
// same code runs in the page (window.fetch; the session cookie rides along
// same-origin) and in Node 20 (internal/interop/web/e2e.mjs, which gives it a
// fetch with a small cookie jar). No dependencies.

/** The headers Proficient's widget sends (usersig.Proficient().Headers). */
export const HEADERS = Object.freeze({
  userId: 'X-PROFICIENT-USER-EXTERNAL-ID',
  signature: 'X-PROFICIENT-USER-HMAC',
});

/** Logs in as username (demo: no password). Returns {userId}. */
export async function login(fetch, base, username) {
  const res = await fetch(new URL('/login', base), {
    method: 'POST',
    body: new URLSearchParams({ username }),
    credentials: 'same-origin',
  });
  if (!res.ok) throw new Error(`login: HTTP ${res.status}`);
  return res.json();
}

/** Logs out. */
export async function logout(fetch, base) {
  await fetch(new URL('/logout', base), { method: 'POST', credentials: 'same-origin' });
}

/**
 * Fetches the logged-in user's credential from the backend:
 * {userId, signature} (and expires, email when the scheme has them).
 * Throws with the HTTP status when the backend refuses (401: not logged in).
 */
export async function fetchCredential(fetch, base) {
  const res = await fetch(new URL('/hmac', base), { credentials: 'same-origin', cache: 'no-store' });
  if (!res.ok) {
    const err = new Error(`/hmac: HTTP ${res.status}`);
    err.status = res.status;
    throw err;
  }
  return res.json();
}

/**
 * Calls the protected API with the credential in Proficient's headers. The
 * session cookie is deliberately left out: the API trusts the signature only.
 * Returns {status, body}.
 */
export async function fetchInbox(fetch, base, credential) {
  const res = await fetch(new URL('/api/inbox', base), {
    headers: {
      [HEADERS.userId]: credential.userId,
      [HEADERS.signature]: credential.signature,
    },
    credentials: 'omit',
    cache: 'no-store',
  });
  let body = null;
  try {
    body = await res.json();
  } catch {
    // not JSON: leave body null
  }
  return { status: res.status, body };
}

/** The credential claiming another user, with the same signature. */
export function tamperUserId(credential, otherUser = 'bob') {
  const userId = credential.userId === otherUser ? `${otherUser}2` : otherUser;
  return { ...credential, userId };
}

/**
 * The credential with one character of the signature changed: still
 * well-formed base64, no longer the MAC.
 */
export function tamperSignature(credential) {
  const sig = credential.signature;
  const first = sig[0] === 'A' ? 'B' : 'A';
  return { ...credential, signature: first + sig.slice(1) };
}
