<?php
// chameleon.php: Chameleon's timestamped uid_hash, computed by Chameleon's own PHP sample.
//
// Usage: php chameleon.php <identities.json> <chameleon.json> <outdir>
//
// Writes <outdir>/chameleon-php.json, with the same vectors as chameleon.js's chameleon.json;
// regen.sh checks that they agree. The sample is github.com/chamaeleonidae/verification
// verification.php (commit 978dbec7b09623e7c2020295b2327b2bfea3310c), quoted verbatim but for
// the names bound to the secret and the user id, and the clock: the sample's
// `new DateTime()->getTimestamp()` (PHP 8.4 syntax; older PHP needs the parentheses written
// here) reads a fixed instant, a stamp from chameleon.json plus some milliseconds that
// getTimestamp drops. PHP core only (hash, json, date).

// verification.php:
//   $secret = $_ENV['CHAMELEON_VERIFICATION_SECRET'];
//   $now = strval(new DateTime()->getTimestamp());
//   $uid_hash = hash_hmac('sha256', $uid.'-'.$now , $secret).'-'.$now;
function sample($secret, $uid, $stamp, $millis) {
  $now = strval((new DateTime('@' . $stamp . '.' . sprintf('%03d', $millis)))->getTimestamp());
  $uid_hash = hash_hmac('sha256', $uid.'-'.$now , $secret).'-'.$now;
  return ['message' => $uid.'-'.$now, 'signature' => $uid_hash, 'timestamp' => $now];
}

const SHAPE = '/^[0-9a-f]{64}-[1-9][0-9]*$/';

if ($argc !== 4) {
  fwrite(STDERR, "usage: php chameleon.php <identities.json> <chameleon.json> <outdir>\n");
  exit(1);
}
$input = json_decode(file_get_contents($argv[1]), true, 512, JSON_THROW_ON_ERROR);
$cham = json_decode(file_get_contents($argv[2]), true, 512, JSON_THROW_ON_ERROR);
if (!preg_match(SHAPE, $cham['example'])) {
  fwrite(STDERR, "chameleon.php: the example is not hex-seconds\n");
  exit(1);
}
$vectors = [];
$refused = [];
$k = 0;
foreach ($input['identities'] as $ident) {
  $secret = $input['secrets'][$ident['secret']];
  $uid = $ident['userId'] ?? null;
  $rec = ['name' => $ident['name'], 'secret' => $secret, 'userId' => $uid ?? '', 'email' => $ident['email'] ?? '',
          'expires' => '', 'expiresAt' => ''];
  if ($uid === null) {
    $refused[] = $rec;
    continue;
  }
  $stamp = $cham['stamps'][$k++ % count($cham['stamps'])];
  $res = sample($secret, $uid, $stamp, $cham['millis']);
  if ($res['timestamp'] !== $stamp || !preg_match(SHAPE, $res['signature'])) {
    fwrite(STDERR, "chameleon.php: {$ident['name']}: {$res['signature']} for stamp $stamp\n");
    exit(1);
  }
  $vectors[] = $rec + $res;
}
$doc = [
  'preset' => 'chameleon',
  'source' => 'github.com/chamaeleonidae/verification verification.php (978dbec7)',
  'rule' => 'uid + "-" + unix seconds; text: hex + "-" + the same seconds',
  'encoding' => 'hex',
  'generator' => 'php internal/interop/vendors/chameleon.php',
  'vectors' => $vectors,
  'refused' => $refused,
];
file_put_contents($argv[3] . '/chameleon-php.json',
  json_encode($doc, JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR) . "\n");
