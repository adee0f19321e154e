#!/usr/bin/env ruby
# frozen_string_literal: true

# chameleon.rb: Chameleon's timestamped uid_hash, computed by Chameleon's own Ruby sample.
#
# Usage: ruby chameleon.rb <identities.json> <chameleon.json> <outdir>
#
# Writes <outdir>/chameleon-ruby.json, with the same vectors as chameleon.js's chameleon.json;
# regen.sh checks that they agree. The sample is github.com/chamaeleonidae/verification
# verification.rb (commit 978dbec7b09623e7c2020295b2327b2bfea3310c), quoted verbatim but for the
# names bound to the secret and the user id, and the clock: Time.now reads a fixed instant (a
# stamp from chameleon.json plus some milliseconds the sample's to_i drops).
require 'json'
require 'openssl'

SHAPE = /\A[0-9a-f]{64}-[1-9][0-9]*\z/

# verification.rb:
#   secret = ENV['CHAMELEON_VERIFICATION_SECRET']
#   now = Time.now.to_i.to_s # unix timestamp goes 'inside' and 'outside' the signature
#   uid_hash = [OpenSSL::HMAC.hexdigest('sha256', secret, "#{uid}-#{now}"), now].join('-')
def sample(secret, uid, time)
  now = time.now.to_i.to_s # unix timestamp goes 'inside' and 'outside' the signature
  uid_hash = [OpenSSL::HMAC.hexdigest('sha256', secret, "#{uid}-#{now}"), now].join('-')
  { 'message' => "#{uid}-#{now}", 'signature' => uid_hash, 'timestamp' => now }
end

FixedClock = Struct.new(:at) do
  def now
    at
  end
end

abort 'usage: ruby chameleon.rb <identities.json> <chameleon.json> <outdir>' unless ARGV.length == 3
input = JSON.parse(File.read(ARGV[0], encoding: 'UTF-8'))
cham = JSON.parse(File.read(ARGV[1], encoding: 'UTF-8'))
abort 'chameleon.rb: the example is not hex-seconds' unless SHAPE.match?(cham['example'])
vectors = []
refused = []
k = 0
input['identities'].each do |ident|
  secret = input['secrets'][ident['secret']]
  uid = ident['userId']
  rec = { 'name' => ident['name'], 'secret' => secret, 'userId' => uid || '', 'email' => ident['email'] || '',
          'expires' => '', 'expiresAt' => '' }
  if uid.nil?
    refused << rec
    next
  end
  stamp = cham['stamps'][k % cham['stamps'].length]
  k += 1
  res = sample(secret, uid, FixedClock.new(Time.at(Integer(stamp), cham['millis'], :millisecond)))
  abort "chameleon.rb: #{ident['name']}: #{res['signature']} for stamp #{stamp}" unless res['timestamp'] == stamp && SHAPE.match?(res['signature'])
  vectors << rec.merge(res)
end
doc = {
  'preset' => 'chameleon',
  'source' => 'github.com/chamaeleonidae/verification verification.rb (978dbec7)',
  'rule' => 'uid + "-" + unix seconds; text: hex + "-" + the same seconds',
  'encoding' => 'hex',
  'generator' => 'ruby internal/interop/vendors/chameleon.rb',
  'vectors' => vectors,
  'refused' => refused
}
File.write(File.join(ARGV[2], 'chameleon-ruby.json'), "#{JSON.pretty_generate(doc)}\n")
