#!/usr/bin/env ruby
# frozen_string_literal: true

# vendors.rb: vectors computed by the vendors' own Ruby code, run in Ruby.
#
# Usage: ruby vendors.rb <identities.json> <outdir>
#
# Writes <outdir>/intercom-ruby.json, chatwoot-ruby.json, magicbell-ruby.json (the vendors'
# repository code paths, transcribed: the same calls in the same order, in Ruby, with the file
# and commit each follows) and helpscout-ruby.json, front-ruby.json,
# gleap-ruby.json (the vendors' documented Ruby samples, verbatim but for the names of the
# secret and the identifier). Needs Ruby's openssl, json and base64, and ActiveSupport
# (Debian ruby-activesupport), which intercom-rails' code calls (with_indifferent_access,
# present?).
require 'json'
require 'openssl'
require 'base64'
require 'active_support/all'

def die(msg)
  warn "vendors.rb: #{msg}"
  exit 1
end

# ---------------------------------------------------------------------------------------------
# The vendors' repository code below is TRANSCRIBED, not copied: the same calls on the same
# values in the same order, written here, with the file, commit and lines it follows. (Code from
# the vendors' repositories is not committed to this one; their documented samples further
# down are public doc text, quoted verbatim.)
# ---------------------------------------------------------------------------------------------

# intercom-rails, lib/intercom-rails/script_tag.rb at commit
# e7014914e1cbd0fa7dc0381ef43c7df106f90d8c (unchanged at b361369a88408d73d66a852b0f849dd7d67cd8a2):
# ScriptTag#user_details= (lines 144-164), the branch that sets user_hash (jwt_enabled false),
# and ScriptTag#user_hash (lines 191-193). ActiveSupport's with_indifferent_access and present?
# are the real ones, and they are what make a present-but-empty user_id emit no user_hash.
def intercom_user_details(secret, user_details)
  user_details.with_indifferent_access.tap do |u|
    %i[email name user_id].each { |k| u.delete(k) if u[k].nil? }
    if secret.present? && (u[:user_id] || u[:email]).present?
      u[:user_hash] ||= OpenSSL::HMAC.hexdigest('sha256', secret, (u[:user_id] || u[:email]).to_s)
    end
  end
end

def intercom(secret, id)
  details = {}
  details[:user_id] = id['userId'] if id['userId']
  details[:user_id] = '' if id['presentEmptyUserId']
  details[:email] = id['email'] if id['email']
  u = intercom_user_details(secret, details)
  return nil if u[:user_hash].nil?

  { message: (u[:user_id] || u[:email]).to_s, signature: u[:user_hash] }
end

# Chatwoot, app/controllers/api/v1/widget/contacts_controller.rb at commit
# 2d5aa446395b0812f6a4681655125ee70be3157f, Api::V1::Widget::ContactsController#valid_hmac?:
# the identifier_hash param compared with == to the hex HMAC of identifier.to_s under the
# widget's hmac_token. The hash is computed by the same expression; valid_hmac? must accept it
# and refuse its upper-case form (Chatwoot compares the text exactly).
def chatwoot_hmac(hmac_token, identifier)
  OpenSSL::HMAC.hexdigest('sha256', hmac_token, identifier.to_s)
end

def chatwoot_valid_hmac?(hmac_token, identifier, identifier_hash)
  identifier_hash == chatwoot_hmac(hmac_token, identifier)
end

def chatwoot(hmac_token, id)
  identifier = id['userId']
  return nil if identifier.nil?

  hash = chatwoot_hmac(hmac_token, identifier)
  die("chatwoot: valid_hmac? refuses its own hash for #{id['name']}") unless chatwoot_valid_hmac?(hmac_token, identifier, hash)
  die("chatwoot: valid_hmac? accepts upper case for #{id['name']}") if chatwoot_valid_hmac?(hmac_token, identifier, hash.upcase)
  { message: identifier.to_s, signature: hash }
end

# magicbell-ruby, lib/magicbell/client.rb at commit 3978a847429e3a328a23612465c38833a09bdcef
# (unchanged at 775f0b7fe1781103c57881ff98d7d205abd8f0d6), MagicBell::Client#hmac and
# #sha256_digest (lines 35-46): OpenSSL::HMAC.digest with OpenSSL::Digest.new('sha256'), then
# Base64.encode64 (which ends in a newline) and strip.
def magicbell_hmac(api_secret, message)
  Base64.encode64(OpenSSL::HMAC.digest(OpenSSL::Digest.new('sha256'), api_secret, message)).strip
end

# MagicBell's rule (external id if present, else email) is the JavaScript client's; the gem's
# hmac signs whatever it is given, and its README passes the email.
def magicbell(api_secret, id)
  value = id['userId'] || id['email']
  return nil if value.nil?

  { message: value, signature: magicbell_hmac(api_secret, value) }
end

# ---------------------------------------------------------------------------------------------
# Doc samples, verbatim but for the names bound to the secret and the identifier.
# ---------------------------------------------------------------------------------------------

# Help Scout "Secure Mode", developer.helpscout.com/beacon-2/web/secure-mode, Rails sample:
#   OpenSSL::HMAC.hexdigest('sha256', 'secret_key_from_beacon_config', user.email)
def helpscout(secret_key_from_beacon_config, id)
  user = Struct.new(:email).new(id['email'])
  return nil if user.email.nil?

  { message: user.email, signature: OpenSSL::HMAC.hexdigest('sha256', secret_key_from_beacon_config, user.email) }
end

# Front "Identify users", dev.frontapp.com/docs/identify-users, Ruby sample:
#   userHash = OpenSSL::HMAC.hexdigest(OpenSSL::Digest.new('sha256'), verificationSecret, userEmail)
# The sample names the email; Front signs the userId instead when one is passed.
def front(verificationSecret, id) # rubocop:disable Naming/VariableName
  userEmail = id['userId'] || id['email'] # rubocop:disable Naming/VariableName
  return nil if userEmail.nil?

  userHash = OpenSSL::HMAC.hexdigest(OpenSSL::Digest.new('sha256'), verificationSecret, userEmail) # rubocop:disable Naming/VariableName
  { message: userEmail, signature: userHash }
end

# Gleap "Enforce identity verification", docs.gleap.io/documentation/guides/enforce-identity-verification,
# Rails (Ruby) sample:
#   OpenSSL::HMAC.hexdigest('sha256', 'YOUR-SECRET', current_user.id.to_s)
def gleap(your_secret, id)
  current_user = Struct.new(:id).new(id['userId'])
  return nil if current_user.id.nil?

  { message: current_user.id.to_s, signature: OpenSSL::HMAC.hexdigest('sha256', your_secret, current_user.id.to_s) }
end

PRESETS = [
  ['intercom', :intercom, 'user_id if present, else email', 'hex',
   'github.com/intercom/intercom-rails lib/intercom-rails/script_tag.rb (e7014914e1cbd0fa7dc0381ef43c7df106f90d8c) ScriptTag#user_details= and #user_hash',
   'ruby internal/interop/vendors/vendors.rb (intercom-rails ScriptTag#user_details= and #user_hash, transcribed, with ActiveSupport)'],
  ['chatwoot', :chatwoot, 'identifier (userId)', 'hex',
   'github.com/chatwoot/chatwoot app/controllers/api/v1/widget/contacts_controller.rb (2d5aa446395b0812f6a4681655125ee70be3157f) valid_hmac?',
   'ruby internal/interop/vendors/vendors.rb (Chatwoot ContactsController#valid_hmac?, transcribed)'],
  ['magicbell', :magicbell, 'external id (userId) if present, else email', 'base64',
   'github.com/magicbell/magicbell-ruby lib/magicbell/client.rb (3978a847429e3a328a23612465c38833a09bdcef) MagicBell::Client#hmac',
   'ruby internal/interop/vendors/vendors.rb (magicbell-ruby MagicBell::Client#hmac, transcribed)'],
  ['helpscout', :helpscout, 'email', 'hex',
   'Help Scout, Secure Mode; developer.helpscout.com/beacon-2/web/secure-mode (Rails sample)',
   "ruby internal/interop/vendors/vendors.rb (Help Scout's Rails sample)"],
  ['front', :front, 'userId if passed, else email', 'hex',
   'Front, Identify users; dev.frontapp.com/docs/identify-users (Ruby sample)',
   "ruby internal/interop/vendors/vendors.rb (Front's Ruby sample)"],
  ['gleap', :gleap, 'String(userId)', 'hex',
   'Gleap, Enforce identity verification; docs.gleap.io/documentation/guides/enforce-identity-verification (Rails sample)',
   "ruby internal/interop/vendors/vendors.rb (Gleap's Rails sample)"]
].freeze

def record(id, secret, res)
  r = { 'name' => id['name'], 'secret' => secret, 'userId' => id['userId'] || '', 'email' => id['email'] || '',
        'expires' => '', 'expiresAt' => '' }
  if res
    r['message'] = res[:message]
    r['signature'] = res[:signature]
  end
  r
end

def main
  in_file, out_dir = ARGV
  die('usage: ruby vendors.rb <identities.json> <outdir>') unless in_file && out_dir
  input = JSON.parse(File.read(in_file, encoding: 'UTF-8'))
  secrets = input['secrets']

  # The published known answer, hard-coded: HMAC("secret", "Message"), Intercom's sample.
  ka = intercom('secret', { 'userId' => 'Message' })
  die("KNOWN ANSWER MISMATCH: intercom-rails gave #{ka && ka[:signature]}") unless
    ka && ka[:signature] == 'aa747c502a898200f9e4fa21bac68136f886a0e27aec70ba06daf2e2a5cb5597'

  PRESETS.each do |preset, fn, rule, encoding, source, generator|
    vectors = []
    refused = []
    input['identities'].each do |id|
      secret = secrets.fetch(id['secret'])
      plain = id.reject { |k, _| k == 'presentEmptyUserId' }
      res = send(fn, secret, plain)
      rec = record(id, secret, res)
      if preset == 'intercom' && id['presentEmptyUserId']
        # The same code with user_id: "" emits no user_hash at all.
        sample = send(fn, secret, id)
        rec['sampleSignature'] = sample ? sample[:signature] : ''
        rec['sampleDefect'] = 'empty-user-id' if sample.nil?
      end
      (res ? vectors : refused) << rec
    end
    input['knownAnswers'].select { |k| k['preset'] == preset }.each do |k|
      res = send(fn, k['secret'], k)
      die("KNOWN ANSWER MISMATCH (#{k['from']})") unless res && res[:signature] == k['signature']
      vectors << record(k, k['secret'], res).merge('knownAnswer' => true)
    end
    re = encoding == 'hex' ? /\A[0-9a-f]{64}\z/ : %r{\A[A-Za-z0-9+/]{43}=\z}
    vectors.each { |v| die("#{preset}: #{v['name']}: bad #{encoding} #{v['signature']}") unless re.match?(v['signature']) }
    doc = { 'preset' => preset, 'source' => source, 'rule' => rule, 'encoding' => encoding, 'generator' => generator }
    if preset == 'intercom'
      doc['sampleDefects'] = {
        'empty-user-id' => 'intercom-rails emits no user_hash when user_id is present but empty ("" is truthy in Ruby, ' \
                           'so it never falls back to the email, and "".present? is false); usersig treats "" as absent ' \
                           'and signs the email, as intercom-rails does when user_id is nil'
      }
    end
    doc['vectors'] = vectors
    doc['refused'] = refused
    File.write(File.join(out_dir, "#{preset}-ruby.json"), "#{JSON.pretty_generate(doc)}\n", encoding: 'UTF-8')
  end
end

main
