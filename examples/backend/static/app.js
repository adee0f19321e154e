// Wires the page to flow.mjs. Text goes into the page with textContent only.
import { login, logout, fetchCredential, fetchInbox, tamperUserId, tamperSignature, HEADERS } from './flow.mjs';

const base = window.location.origin;
const $ = (id) => document.getElementById(id);
let credential = null;

function show(title, value) {
  $('output').textContent = `${title}\n\n${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}`;
}

function setCredential(c) {
  credential = c;
  $('credential').textContent = c
    ? `${HEADERS.userId}: ${c.userId}\n${HEADERS.signature}: ${c.signature}`
    : '(none: log in, then fetch the hash)';
  for (const id of ['inbox', 'tamper-id', 'tamper-sig']) $(id).disabled = !c;
}

async function guarded(title, fn) {
  try {
    show(title, await fn());
  } catch (err) {
    show(title, `failed: ${err.message}`);
  }
}

$('login-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  guarded('POST /login', async () => {
    const who = await login(fetch, base, $('username').value);
    $('who').textContent = who.userId;
    setCredential(await fetchCredential(fetch, base));
    return { loggedIn: who, 'GET /hmac': credential };
  });
});

$('logout').addEventListener('click', () => {
  guarded('POST /logout', async () => {
    await logout(fetch, base);
    $('who').textContent = 'nobody';
    setCredential(null);
    return 'logged out';
  });
});

$('hmac').addEventListener('click', () => {
  guarded('GET /hmac', async () => {
    setCredential(await fetchCredential(fetch, base));
    return credential;
  });
});

$('inbox').addEventListener('click', () => guarded('GET /api/inbox', () => fetchInbox(fetch, base, credential)));

$('tamper-id').addEventListener('click', () => {
  const forged = tamperUserId(credential);
  guarded(`GET /api/inbox as ${forged.userId} with ${credential.userId}'s hash`, () => fetchInbox(fetch, base, forged));
});

$('tamper-sig').addEventListener('click', () => {
  guarded('GET /api/inbox with one character of the hash changed', () => fetchInbox(fetch, base, tamperSignature(credential)));
});

setCredential(null);
