// End-to-end check of the demo backend (examples/backend) with Node 20's
// built-in fetch and no dependencies. It runs the page's own flow code —
// flow.mjs, fetched from the running server, so it is exactly what the page
// serves — and checks that a good request gets 200 and tampered ones 401.
//
//   node internal/interop/web/e2e.mjs http://127.0.0.1:8080
//
// Exits non-zero on any failure. check.sh starts the backend and runs this.
import assert from 'node:assert/strict';

const base = process.argv[2];
if (!base) {
  console.error('usage: node e2e.mjs <backend base URL>');
  process.exit(2);
}

// A fetch with a cookie jar, which Node's fetch lacks: it stores Set-Cookie
// and sends the cookies back unless the request says credentials: 'omit',
// as a browser does for a same-origin page.
function fetchWithCookies(fetchImpl) {
  const jar = new Map();
  return async (input, init = {}) => {
    const headers = new Headers(init.headers);
    if (jar.size > 0 && init.credentials !== 'omit') {
      headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    }
    const res = await fetchImpl(input, { ...init, headers });
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';', 1)[0];
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /max-age=(0|-\d+)/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  };
}

async function loadFlow() {
  const res = await fetch(new URL('/flow.mjs', base));
  assert.equal(res.status, 200, 'GET /flow.mjs');
  assert.match(res.headers.get('content-type') ?? '', /javascript/, 'flow.mjs content type');
  const src = await res.text();
  return import(`data:text/javascript;charset=utf-8,${encodeURIComponent(src)}`);
}

const flow = await loadFlow();
const browserFetch = fetchWithCookies(fetch);
let failures = 0;

async function check(name, fn) {
  try {
    await fn();
    console.log(`ok   ${name}`);
  } catch (err) {
    failures++;
    console.log(`FAIL ${name}\n     ${err.message.split('\n').join('\n     ')}`);
  }
}

let credential;

await check('no hash before login (401)', async () => {
  await assert.rejects(flow.fetchCredential(browserFetch, base), (err) => err.status === 401);
});

await check('log in as alice', async () => {
  assert.deepEqual(await flow.login(browserFetch, base, 'alice'), { userId: 'alice' });
});

await check('GET /hmac gives alice a base64 HMAC-SHA256', async () => {
  credential = await flow.fetchCredential(browserFetch, base);
  assert.equal(credential.userId, 'alice');
  assert.match(credential.signature, /^[A-Za-z0-9+/]{43}=$/);
});

await check('good request: 200 with alice\'s inbox', async () => {
  const { status, body } = await flow.fetchInbox(browserFetch, base, credential);
  assert.equal(status, 200);
  assert.equal(body.userId, 'alice');
  assert.ok(Array.isArray(body.messages) && body.messages.length > 0, 'messages');
});

await check('tampered user id: 401', async () => {
  const { status, body } = await flow.fetchInbox(browserFetch, base, flow.tamperUserId(credential));
  assert.equal(status, 401);
  assert.deepEqual(body, { error: 'unauthorized' });
});

await check('tampered signature: 401', async () => {
  const forged = flow.tamperSignature(credential);
  assert.notEqual(forged.signature, credential.signature);
  const { status, body } = await flow.fetchInbox(browserFetch, base, forged);
  assert.equal(status, 401);
  assert.deepEqual(body, { error: 'unauthorized' });
});

await check('no signature: 401', async () => {
  const { status } = await flow.fetchInbox(browserFetch, base, { ...credential, signature: '' });
  assert.equal(status, 401);
});

await check('bob\'s hash opens bob\'s inbox only', async () => {
  await flow.login(browserFetch, base, 'bob');
  const bob = await flow.fetchCredential(browserFetch, base);
  assert.equal((await flow.fetchInbox(browserFetch, base, bob)).status, 200);
  assert.equal((await flow.fetchInbox(browserFetch, base, { ...bob, userId: 'alice' })).status, 401);
});

await check('after logout, no hash (401)', async () => {
  await flow.logout(browserFetch, base);
  await assert.rejects(flow.fetchCredential(browserFetch, base), (err) => err.status === 401);
});

if (failures > 0) {
  console.log(`${failures} check(s) failed`);
  process.exit(1);
}
console.log('ok   all checks passed');
