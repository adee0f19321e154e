<?php
// vendors.php: vectors computed by the vendors' own PHP code, run in PHP.
//
// Usage: php vendors.php <identities.json> <outdir>
//
// Writes <outdir>/crisp-php.json (Crisp's WordPress plugin, transcribed),
// tawkto-visitor-php.json (Tawk.to's WordPress plugin get_visitor_hash, transcribed: GPLv3
// code is not copied here), and talkjs-php.json, helpscout-php.json, front-php.json and
// gleap-php.json (the vendors' documented PHP samples, verbatim but for the names bound to
// the secret and the identifier). PHP core only (hash, json, pcre).

function die_with($msg) {
  fwrite(STDERR, "vendors.php: $msg\n");
  exit(1);
}

// Transcribed from WordPress wp-includes/formatting.php esc_js() (GPLv2 or later): the same
// steps in the same order, less the js_escape filter. wp_check_invalid_utf8() returns '' for
// invalid UTF-8; _wp_specialchars($text, ENT_COMPAT) HTML-escapes & < > " without encoding an
// entity twice, which is htmlspecialchars(..., ENT_COMPAT, 'UTF-8', false) for these inputs.
function esc_js($text) {
  $safe_text = preg_match('//u', $text) ? $text : '';
  $safe_text = htmlspecialchars($safe_text, ENT_COMPAT, 'UTF-8', false);
  $safe_text = preg_replace('/&#(x)?0*(?(1)27|39);?/i', "'", stripslashes($safe_text));
  $safe_text = str_replace("\r", '', $safe_text);
  $safe_text = str_replace("\n", '\\n', addslashes($safe_text));
  return $safe_text;
}

// ---------------------------------------------------------------------------------------------
// Crisp, github.com/crisp-im/crisp-plugin-wordpress crisp.php at commit
// 990f9b41fc321ae21a7f5322d41c7ed2ca6057a9, crisp_sync_wordpress_user (lines 91-120), the
// email part. TRANSCRIBED, not copied (code from the vendors' repositories is not committed
// here): the same calls in the same order. The logged-in user's email goes through esc_js,
// then, with a verification secret set, hash_hmac("sha256", $email, $website_verify) is pushed
// beside the escaped email in the $crisp script.
// ---------------------------------------------------------------------------------------------
function crisp_email_script($user_email, $website_verify) {
  $email = esc_js($user_email);
  if (empty($email)) {
    return '';
  }
  if (empty($website_verify)) {
    return '$crisp.push(["set", "user:email", "' . $email . '"]);';
  }
  $hmac = hash_hmac("sha256", $email, $website_verify);
  return '$crisp.push(["set", "user:email", ["' . $email . '", "' . $hmac . '"]]);';
}

// crisp runs the plugin's email code for one user and reads the hash out of the script it emits. It also
// returns the email as the front end pushes it: the JavaScript string literal's value, which
// differs from what was signed when esc_js escaped a quote.
function crisp($website_verify, $id) {
  if ($id['email'] === null) {
    return null;
  }
  $out = crisp_email_script($id['email'], $website_verify);
  if (!preg_match('/^\$crisp\.push\(\["set", "user:email", \["(.*)", "([0-9a-f]{64})"\]\]\);$/s', $out, $m)) {
    die_with('crisp: unexpected script: ' . $out);
  }
  $pushed = stripcslashes($m[1]); // what the JavaScript literal "..." evaluates to
  $r = array('message' => $m[1], 'signature' => $m[2], 'pushed' => $pushed);
  return $r;
}

// ---------------------------------------------------------------------------------------------
// Tawk.to, github.com/tawk/tawk-wordpress tawkto/tawkto.php at commit
// ac61e7c14c49a68398d3df91811f5d7043d4031e, TawkTo::get_current_customer_details (lines
// 699-716) and TawkTo::get_visitor_hash (lines 724-758). TRANSCRIBED, not copied (the plugin is
// GPLv3): the same checks and calls in the same order. The option's js_api_key is stored
// encrypted and get_decrypted_data() returns the key as the administrator pasted it, so the
// harness hands that text over directly; the $_SESSION cache is left out (it returns the same
// hash for the same email and config version).
// ---------------------------------------------------------------------------------------------
function tawk_get_visitor_hash($email, $security) {
  if (empty($security['js_api_key'])) {
    return null;
  }
  $key = $security['js_api_key']; // TawkTo_Settings::get_decrypted_data( $security['js_api_key'] )
  if (null === $key) {
    return null;
  }
  $hash = hash_hmac('sha256', $email, $key);
  return $hash;
}

function tawkto_visitor($js_api_key, $id) {
  if ($id['email'] === null) {
    return null; // get_current_customer_details hashes the logged-in user's email
  }
  $hash = tawk_get_visitor_hash($id['email'], array('js_api_key' => $js_api_key));
  return $hash === null ? null : array('message' => $id['email'], 'signature' => $hash);
}

// ---------------------------------------------------------------------------------------------
// Doc samples.
// ---------------------------------------------------------------------------------------------

/* TalkJS "Identity verification", talkjs.com/docs/Features/Security_Settings/Identity_Verification:
     signature: "<?= strtoupper(hash_hmac('sha256', strval($user->id), 'YOUR_SECRET_KEY')) ?>"
   (a block comment: a line comment would end at the sample's closing tag) */
// The sample's output is upper case; TalkJS accepts either case (its own examples send lower
// case), and the preset signs lower case: the record keeps the sample's text as sampleSignature.
function talkjs($your_secret_key, $id) {
  if ($id['userId'] === null) {
    return null;
  }
  $user = (object) array('id' => $id['userId']);
  $sample = strtoupper(hash_hmac('sha256', strval($user->id), $your_secret_key));
  return array('message' => strval($user->id), 'signature' => strtolower($sample), 'sample' => $sample);
}

// Help Scout "Secure Mode", developer.helpscout.com/beacon-2/web/secure-mode, PHP sample:
//   echo hash_hmac('sha256', $user->email, 'secret_key_from_beacon_config');
function helpscout($secret_key_from_beacon_config, $id) {
  if ($id['email'] === null) {
    return null;
  }
  $user = (object) array('email' => $id['email']);
  return array('message' => $user->email, 'signature' => hash_hmac('sha256', $user->email, $secret_key_from_beacon_config));
}

// Front "Identify users", dev.frontapp.com/docs/identify-users, PHP sample:
//   $userHash = hash_hmac('sha256', $userEmail, $verificationSecret);
// The sample names the email; Front signs the userId instead when one is passed.
function front($verificationSecret, $id) {
  $userEmail = $id['userId'] !== null ? $id['userId'] : $id['email'];
  if ($userEmail === null) {
    return null;
  }
  $userHash = hash_hmac('sha256', $userEmail, $verificationSecret);
  return array('message' => $userEmail, 'signature' => $userHash);
}

// Gleap "Enforce identity verification", docs.gleap.io/documentation/guides/enforce-identity-verification,
// PHP sample:
//   $userHash = hash_hmac('sha256', $user->id, 'YOUR-SECRET');
function gleap($your_secret, $id) {
  if ($id['userId'] === null) {
    return null;
  }
  $user = (object) array('id' => $id['userId']);
  $userHash = hash_hmac('sha256', $user->id, $your_secret);
  return array('message' => $user->id, 'signature' => $userHash);
}

$PRESETS = array(
  array('crisp', 'crisp', 'email', 'github.com/crisp-im/crisp-plugin-wordpress crisp.php (990f9b41fc321ae21a7f5322d41c7ed2ca6057a9) crisp_sync_wordpress_user',
        'php internal/interop/vendors/vendors.php (Crisp WordPress plugin crisp_sync_wordpress_user, transcribed; WordPress esc_js transcribed)'),
  array('tawkto-visitor', 'tawkto_visitor', 'email', 'github.com/tawk/tawk-wordpress tawkto/tawkto.php (ac61e7c14c49a68398d3df91811f5d7043d4031e) get_visitor_hash',
        'php internal/interop/vendors/vendors.php (Tawk.to WordPress plugin get_visitor_hash, transcribed)'),
  array('talkjs', 'talkjs', 'user id', 'TalkJS, Identity verification; talkjs.com/docs/Features/Security_Settings/Identity_Verification (PHP sample)',
        "php internal/interop/vendors/vendors.php (TalkJS's PHP sample)"),
  array('helpscout', 'helpscout', 'email', 'Help Scout, Secure Mode; developer.helpscout.com/beacon-2/web/secure-mode (PHP sample)',
        "php internal/interop/vendors/vendors.php (Help Scout's PHP sample)"),
  array('front', 'front', 'userId if passed, else email', 'Front, Identify users; dev.frontapp.com/docs/identify-users (PHP sample)',
        "php internal/interop/vendors/vendors.php (Front's PHP sample)"),
  array('gleap', 'gleap', 'String(userId)', 'Gleap, Enforce identity verification; docs.gleap.io/documentation/guides/enforce-identity-verification (PHP sample)',
        "php internal/interop/vendors/vendors.php (Gleap's PHP sample)"),
);

$DEFECTS = array(
  'crisp' => array('esc-js' => "the plugin signs the email after WordPress's esc_js, which puts a backslash before a single quote; the front end's JavaScript literal drops it again, so Crisp receives the email unescaped and the signature does not match it. usersig signs the email as the front end sends it"),
  'talkjs' => array('upper-hex' => "not a defect: TalkJS's PHP sample upper-cases the hex, TalkJS accepts either case, and usersig signs lower case"),
);

function record($id, $secret, $res) {
  $r = array('name' => $id['name'], 'secret' => $secret,
             'userId' => $id['userId'] === null ? '' : $id['userId'],
             'email' => $id['email'] === null ? '' : $id['email'],
             'expires' => '', 'expiresAt' => '');
  if ($res !== null) {
    $r['message'] = $res['message'];
    $r['signature'] = $res['signature'];
  }
  return $r;
}

function main($argv, $PRESETS, $DEFECTS) {
  if (count($argv) !== 3) {
    die_with('usage: php vendors.php <identities.json> <outdir>');
  }
  $input = json_decode(file_get_contents($argv[1]), true, 512, JSON_THROW_ON_ERROR);
  if (hash_hmac('sha256', 'Message', 'secret') !== 'aa747c502a898200f9e4fa21bac68136f886a0e27aec70ba06daf2e2a5cb5597') {
    die_with('KNOWN ANSWER MISMATCH: hash_hmac(sha256, Message, secret)');
  }
  foreach ($PRESETS as list($preset, $fn, $rule, $source, $generator)) {
    $vectors = array();
    $refused = array();
    foreach ($input['identities'] as $id) {
      $id += array('userId' => null, 'email' => null);
      $secret = $input['secrets'][$id['secret']];
      $res = $fn($secret, $id);
      if ($res === null) {
        $refused[] = record($id, $secret, null);
        continue;
      }
      $rec = record($id, $secret, $res);
      if ($preset === 'crisp' && $res['pushed'] !== $res['message']) {
        // What Crisp checks: the HMAC of the email it receives, by the plugin's own hash line.
        $rec['message'] = $res['pushed'];
        $rec['signature'] = hash_hmac("sha256", $res['pushed'], $secret);
        $rec['sampleMessage'] = $res['message'];
        $rec['sampleSignature'] = $res['signature'];
        $rec['sampleDefect'] = 'esc-js';
      }
      if ($preset === 'talkjs') {
        $rec['sampleSignature'] = $res['sample'];
        $rec['sampleDefect'] = 'upper-hex';
      }
      $vectors[] = $rec;
    }
    foreach ($vectors as $v) {
      if (!preg_match('/^[0-9a-f]{64}$/', $v['signature'])) {
        die_with("$preset: {$v['name']}: bad hex {$v['signature']}");
      }
    }
    $doc = array('preset' => $preset, 'source' => $source, 'rule' => $rule, 'encoding' => 'hex', 'generator' => $generator);
    if (isset($DEFECTS[$preset])) {
      $doc['sampleDefects'] = $DEFECTS[$preset];
    }
    $doc['vectors'] = $vectors;
    $doc['refused'] = $refused;
    $json = json_encode($doc, JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR);
    file_put_contents($argv[2] . '/' . $preset . '-php.json', $json . "\n");
  }
}

main($argv, $PRESETS, $DEFECTS);
