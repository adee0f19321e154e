#!/usr/bin/env node
// Interop between usertoken (Go) and the npm jsonwebtoken package that
// Engagespot's, TalkJS's, MagicBell's, OneSignal's, SuprSend's, Nolt's,
// Usertour's and Userback's docs use.
// Test tooling only; run via check.sh.
//
//   node interop.js sign   --root DIR --out FILE   # Node signs every case
//   node interop.js verify --root DIR --in FILE --out FILE
//                                                 # Node verifies Go tokens
//
// The profile rules below are written independently from the Go code, from
// the vendor documentation cited in usertoken/SECURE_MODE.md.
'use strict';

const fs = require('fs');
const path = require('path');
const jwt = require('jsonwebtoken');

// subject: path of the user-id claim; fixed: [path, value] pairs the
// profile pins; iat: the Go issuer writes iat; kid: the param is the kid;
// fields: the claim name of each per-user field (cases' "claims", keyed by
// the Go Claims field); key: which secret signs ("usertour": the utv_ key).
const PROFILES = {
  // Engagespot secure mode: RS256, sub "user:<id>", apiKey, iat, exp.
  engagespot: { alg: 'RS256', subject: ['sub'], prefix: 'user:', fixed: (c) => [[['apiKey'], c.param]], iat: true },
  // Knock: RS256, sub, iat, exp.
  knock: { alg: 'RS256', subject: ['sub'], prefix: '', fixed: () => [], iat: true },
  // Braze: RS256, sub, exp.
  braze: { alg: 'RS256', subject: ['sub'], prefix: '', fixed: () => [], iat: false },
  // Intercom: HS256, user_id, exp (+ signed user fields).
  intercom: { alg: 'HS256', subject: ['user_id'], prefix: '', fixed: () => [], iat: false },
  // Zendesk: HS256, kid header, scope "user", external_id, exp.
  zendesk: { alg: 'HS256', subject: ['external_id'], prefix: '', fixed: () => [[['scope'], 'user']], iat: false, kid: true },
  // Drift: HS256, sub, exp.
  drift: { alg: 'HS256', subject: ['sub'], prefix: '', fixed: () => [], iat: false },
  // Stream Chat (stream-chat-go CreateToken): HS256, user_id; exp, iat optional.
  streamchat: { alg: 'HS256', subject: ['user_id'], prefix: '', fixed: () => [], iat: true },
  // TalkJS: HS256, tokenType "user", iss = app id, sub, exp.
  talkjs: { alg: 'HS256', subject: ['sub'], prefix: '', fixed: (c) => [[['tokenType'], 'user'], [['iss'], c.param]], iat: true },
  // MagicBell user JWT: HS256, user_external_id, api_key, exp.
  magicbell: { alg: 'HS256', subject: ['user_external_id'], prefix: '', fixed: (c) => [[['api_key'], c.param]], iat: true },
  // OneSignal identity verification: ES256, iss = app id, exp, identity.external_id.
  onesignal: { alg: 'ES256', subject: ['identity', 'external_id'], prefix: '', fixed: (c) => [[['iss'], c.param]], iat: true },
  // SuprSend: ES256, entity_type "subscriber", entity_id, iat, exp, scope.tenant_id.
  suprsend: {
    alg: 'ES256', subject: ['entity_id'], prefix: '', iat: true,
    fixed: (c) => [[['entity_type'], 'subscriber']].concat(c.param ? [[['scope', 'tenant_id'], c.param]] : []),
  },
  // Nolt SSO (nolt.io/help/single-sign-on): HS256, id, email, name, imageUrl?, noltUserRole?.
  nolt: {
    alg: 'HS256', subject: ['id'], prefix: '', fixed: () => [], iat: true,
    fields: { Email: 'email', Name: 'name', ImageURL: 'imageUrl', Role: 'noltUserRole' },
  },
  // UserVoice SSO (developer.uservoice.com/docs/single-sign-on): HS256, guid, email, display_name?.
  uservoice: { alg: 'HS256', subject: ['guid'], prefix: '', fixed: () => [], iat: false, fields: { Email: 'email', Name: 'display_name' } },
  // Usertour identity verification: HS256 keyed with the whole utv_ secret, sub, companyId?.
  usertour: { alg: 'HS256', subject: ['sub'], prefix: '', fixed: () => [], iat: false, fields: { CompanyID: 'companyId' }, key: 'usertour' },
  // Userback portal SSO (support.userback.io 6160423): HS256, email (the user), name, avatar_url.
  userback: { alg: 'HS256', subject: ['email'], prefix: '', fixed: () => [], iat: true, fields: { Name: 'name', ImageURL: 'avatar_url' } },
};

// The vendors' own recipes: each signs exactly as the vendor's docs or SDK
// do, with only the clock pinned (payload iat, which jsonwebtoken uses as
// "now" for expiresIn). Go must accept every one with the right user id.
const RECIPES = {
  // Nolt "Single sign-on": jwt.sign({id, email, name, imageUrl, noltUserRole}, key, {algorithm:'HS256'}).
  nolt: (id, k, iat, _, c) =>
    jwt.sign({ id, email: c.Email, name: c.Name, imageUrl: c.ImageURL, noltUserRole: c.Role, iat }, k.secret, { algorithm: 'HS256' }),
  // UserVoice "Single Sign-On with JSON Web Tokens" (Ruby JWT.encode({guid:, email:, display_name:}, key, 'HS256')):
  // no iat, no expiry.
  uservoice: (id, k, iat, _, c) =>
    jwt.sign({ guid: id, email: c.Email, display_name: c.Name }, k.secret, { algorithm: 'HS256', noTimestamp: true }),
  // ... with the documented expiry text, "YYYY-MM-DD HH:MM:SS" in GMT, one hour out.
  uservoice_expires: (id, k, iat, _, c) => {
    const expires = new Date((iat + 3600) * 1000).toISOString().replace('T', ' ').slice(0, 19);
    return jwt.sign({ guid: id, email: c.Email, expires }, k.secret, { algorithm: 'HS256', noTimestamp: true });
  },
  // ... or with exp, which UserVoice also accepts (Unix seconds).
  uservoice_exp: (id, k, iat, _, c) => jwt.sign({ guid: id, email: c.Email, iat }, k.secret, { algorithm: 'HS256', expiresIn: 3600 }),
  // Usertour "Identity Verification": jwt.sign({sub: userId, companyId}, secret, {algorithm:'HS256'}), the full utv_ key.
  usertour: (id, k, iat, _, c) => jwt.sign({ sub: id, companyId: c.CompanyID, iat }, k.usertourSecret, { algorithm: 'HS256' }),
  // Userback "Single Sign-On (SSO)": jwt.sign({email, name, avatar_url}, private_key, {algorithm:'HS256'}).
  userback: (id, k, iat, _, c) =>
    jwt.sign({ email: id, name: c.Name, avatar_url: c.ImageURL, iat }, k.secret, { algorithm: 'HS256' }),
  // stream-chat-go CreateToken(userID, time.Time{}): {user_id} alone.
  streamchat_go_sdk: (id, k, iat) => jwt.sign({ user_id: id }, k.secret, { algorithm: 'HS256', noTimestamp: true }),
  // jsonwebtoken's default adds iat: {user_id, iat}.
  streamchat_jsonwebtoken: (id, k, iat) => jwt.sign({ user_id: id, iat }, k.secret, { algorithm: 'HS256' }),
  // TalkJS "Authentication": jwt.sign({tokenType:'user'}, secret, {issuer, subject, expiresIn:'1d'}).
  talkjs: (id, k, iat, app) => jwt.sign({ tokenType: 'user', iat }, k.secret, { issuer: app, subject: id, expiresIn: '1d' }),
  // MagicBell "User JWT": {user_email: null, user_external_id, api_key}, HS256, expiresIn '1y'.
  magicbell: (id, k, iat, apiKey) =>
    jwt.sign({ user_email: null, user_external_id: id, api_key: apiKey, iat }, k.secret, { algorithm: 'HS256', expiresIn: '1y' }),
  // OneSignal "Identity Verification": {iss, exp: now + 3600, identity: {external_id}}, ES256.
  onesignal: (id, k, iat, app) =>
    jwt.sign({ iss: app, exp: iat + 3600, identity: { external_id: id }, iat }, k.ecPrivateKey, { algorithm: 'ES256' }),
  // SuprSend client authentication: the base64 signing key converted to PEM,
  // {entity_type:'subscriber', entity_id, exp, scope:{tenant_id}}, ES256.
  suprsend: (id, k, iat, tenant) => {
    const secret = Buffer.from(k.ecPrivateKeyB64, 'base64').toString('utf-8');
    return jwt.sign({ entity_type: 'subscriber', entity_id: id, exp: iat + 3600, scope: { tenant_id: tenant }, iat }, secret, { algorithm: 'ES256' });
  },
};

function getPath(obj, path) {
  return path.reduce((o, k) => (o && typeof o === 'object' ? o[k] : undefined), obj);
}

function setPath(obj, path, value) {
  let o = obj;
  for (const k of path.slice(0, -1)) o = o[k] = o[k] || {};
  o[path[path.length - 1]] = value;
}

function hmacKey(p, keys) {
  return p.key === 'usertour' ? keys.usertourSecret : keys.secret;
}

function signingKey(p, keys) {
  return p.alg === 'RS256' ? keys.privateKey : p.alg === 'ES256' ? keys.ecPrivateKey : hmacKey(p, keys);
}

function verifyingKey(p, keys) {
  return p.alg === 'RS256' ? keys.publicKey : p.alg === 'ES256' ? keys.ecPublicKey : hmacKey(p, keys);
}

function args() {
  const a = { cmd: process.argv[2] };
  for (let i = 3; i < process.argv.length; i += 2) a[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
  if (!a.root) throw new Error('--root is required');
  return a;
}

function sorted(obj) {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return obj;
  const out = {};
  for (const k of Object.keys(obj).sort()) out[k] = sorted(obj[k]);
  return out;
}

function decodeSegment(seg) {
  return JSON.parse(Buffer.from(seg, 'base64url').toString('utf8'));
}

function load(root) {
  const spec = JSON.parse(fs.readFileSync(path.join(root, 'internal/interop/jwt/cases.json'), 'utf8'));
  const keys = {
    privateKey: fs.readFileSync(path.join(root, spec.rsaPrivateKey), 'utf8'),
    publicKey: fs.readFileSync(path.join(root, spec.rsaPublicKey), 'utf8'),
    // The secret is used as its raw bytes, exactly like the Go side.
    secret: fs.readFileSync(path.join(root, spec.hmacSecret)),
    ecPrivateKey: fs.readFileSync(path.join(root, spec.ecPrivateKey), 'utf8'),
    ecPrivateKeyB64: fs.readFileSync(path.join(root, spec.ecPrivateKeyB64), 'utf8'),
    ecPublicKey: fs.readFileSync(path.join(root, spec.ecPublicKey), 'utf8'),
    // Usertour's key is the whole utv_ text, as given.
    usertourSecret: fs.readFileSync(path.join(root, spec.usertourSecret), 'utf8'),
  };
  return { spec, keys };
}

function write(file, obj) {
  fs.writeFileSync(file, JSON.stringify(obj, null, 2) + '\n');
}

const jwtVersion = require('jsonwebtoken/package.json').version;

function sign(root, out) {
  const { spec, keys } = load(root);
  const results = spec.cases.map((c) => {
    const p = PROFILES[c.profile];
    const payload = Object.assign({}, c.extra || {});
    for (const [fp, v] of p.fixed(c)) setPath(payload, fp, v);
    setPath(payload, p.subject, p.prefix + c.userId);
    for (const [f, v] of Object.entries(c.claims || {})) payload[p.fields[f]] = v;
    if (p.iat) payload.iat = spec.iat;
    payload.exp = spec.iat + spec.ttlSeconds;
    const opts = { algorithm: p.alg, noTimestamp: !p.iat };
    if (p.kid) opts.keyid = c.param;
    const key = signingKey(p, keys);
    // Keys sorted so the JSON matches Go's map encoding byte for byte.
    const token = jwt.sign(sorted(payload), key, opts);
    const [h, b] = token.split('.');
    return {
      name: c.name, profile: c.profile, param: c.param || '', userId: c.userId, extra: c.extra || {}, fields: c.claims || {},
      alg: p.alg, header: decodeSegment(h), claims: decodeSegment(b), token,
    };
  });
  const recipes = spec.recipes.map((r) => {
    const token = RECIPES[r.recipe](r.userId, keys, spec.iat, r.param || '', r.claims || {});
    const [h, b] = token.split('.');
    return {
      name: r.recipe, profile: r.profile, param: r.param || '', userId: r.userId, fields: r.claims || {},
      header: decodeSegment(h), claims: decodeSegment(b), token,
    };
  });
  write(out, {
    comment: 'Tokens signed by Node jsonwebtoken from internal/interop/jwt/cases.json with TEST-ONLY keys: cases in the shape the Go Issuer makes, recipes exactly as each vendor documents. ES256 signatures are randomized. Generated by internal/interop/jwt/check.sh --write; do not edit.',
    jsonwebtoken: jwtVersion, iat: spec.iat, ttlSeconds: spec.ttlSeconds, verifyAt: spec.verifyAt, cases: results, recipes,
  });
}

function tamper(token) {
  // Change one character of the payload segment (keeps it valid base64url).
  const parts = token.split('.');
  const s = parts[1];
  const i = Math.floor(s.length / 2);
  parts[1] = s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  return parts.join('.');
}

function verify(root, inFile, out) {
  const { spec, keys } = load(root);
  const minted = JSON.parse(fs.readFileSync(inFile, 'utf8'));
  const byName = Object.fromEntries(spec.cases.map((c) => [c.name, c]));
  const results = minted.cases.map((m) => {
    const c = byName[m.name];
    const p = PROFILES[c.profile];
    const key = verifyingKey(p, keys);
    const opts = { algorithms: [p.alg], clockTimestamp: spec.verifyAt, complete: true };
    const r = { name: m.name, profile: c.profile, ok: false };
    try {
      const dec = jwt.verify(m.token, key, opts);
      const claims = dec.payload;
      const problems = [];
      for (const [fp, v] of p.fixed(c)) if (getPath(claims, fp) !== v) problems.push(fp.join('.'));
      if (getPath(claims, p.subject) !== p.prefix + c.userId) problems.push(p.subject.join('.'));
      if (p.iat && claims.iat !== spec.iat) problems.push('iat');
      if (claims.exp !== spec.iat + spec.ttlSeconds) problems.push('exp');
      if (p.kid && dec.header.kid !== c.param) problems.push('kid');
      for (const [k, v] of Object.entries(c.extra || {})) if (claims[k] !== v) problems.push(k);
      for (const [f, v] of Object.entries(c.claims || {})) if (claims[p.fields[f]] !== v) problems.push(p.fields[f]);
      r.ok = problems.length === 0;
      if (problems.length) r.problems = problems;
      r.header = dec.header;
      r.claims = claims;
    } catch (e) {
      r.error = e.name + ': ' + e.message;
    }
    // A tampered payload and a token past exp must both be refused by Node.
    try { jwt.verify(tamper(m.token), key, opts); r.tamperedRejected = false; } catch (e) { r.tamperedRejected = true; }
    try {
      jwt.verify(m.token, key, Object.assign({}, opts, { clockTimestamp: spec.iat + spec.ttlSeconds + 1 }));
      r.expiredRejected = false;
    } catch (e) { r.expiredRejected = e.name === 'TokenExpiredError'; }
    return r;
  });
  write(out, {
    comment: 'Node jsonwebtoken verifying the tokens minted by Go (go_signed.json). Generated by internal/interop/jwt/check.sh --write; do not edit.',
    jsonwebtoken: jwtVersion, verifyAt: spec.verifyAt, cases: results,
  });
}

// same: exit 0 when two interop files agree once the signature of every
// ES256 token is dropped (ECDSA signatures are randomized).
function same(committed, fresh) {
  const mask = (v) => {
    if (Array.isArray(v)) return v.map(mask);
    if (v === null || typeof v !== 'object') return v;
    const out = {};
    for (const [k, e] of Object.entries(v)) {
      if (k === 'token' && typeof e === 'string' && e.split('.').length === 3 && decodeSegment(e.split('.')[0]).alg === 'ES256') {
        out[k] = e.split('.').slice(0, 2).join('.');
      } else out[k] = mask(e);
    }
    return out;
  };
  const read = (f) => mask(JSON.parse(fs.readFileSync(f, 'utf8')));
  process.exit(JSON.stringify(read(committed)) === JSON.stringify(read(fresh)) ? 0 : 1);
}

const a = args();
if (a.cmd === 'sign') sign(a.root, a.out);
else if (a.cmd === 'verify') verify(a.root, a.in, a.out);
else if (a.cmd === 'same') same(a.in, a.out);
else { console.error('usage: interop.js sign|verify|same --root DIR ...'); process.exit(2); }
