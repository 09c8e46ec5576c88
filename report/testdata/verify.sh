#!/usr/bin/env bash
# verify.sh: verify a signed gcrun report without gcrun.
#
#   usage: verify.sh SIGNED-REPORT.json PUBLIC-KEY.pem > report.json
#
# Needs bash, jq, base64, sha256sum, wc (coreutils) and OpenSSL >= 3.0
# (for pkeyutl -rawin). On success prints the verified report on stdout and
# exits 0; otherwise explains on stderr and exits 1. Use only what it
# prints: nothing else in the envelope is signed.
set -euo pipefail

envelope=$1
pubkey=$2
want_type='application/vnd.gcrun.report+json'
die() { echo "verify.sh: $*" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. The payload type is signed too; accept only ours.
type=$(jq -er '.payloadType | strings' "$envelope") || die "no payloadType"
[ "$type" = "$want_type" ] || die "payloadType is '$type', want '$want_type'"

# 2. The key ID is the SHA-256 of the public key in DER (SubjectPublicKeyInfo).
keyid=$(openssl pkey -pubin -in "$pubkey" -outform DER | sha256sum | cut -d' ' -f1) ||
  die "cannot read public key $pubkey"

# 3. Exactly one signature must carry our key ID; others are ignored.
jq -er --arg k "$keyid" \
  '[.signatures[]? | select(.keyid == $k)] | if length == 1 then .[0].sig | strings else empty end' \
  "$envelope" > "$tmp/sig.b64" || die "no single signature with keyid $keyid"
base64 -d < "$tmp/sig.b64" > "$tmp/sig.bin" || die "signature is not base64"

# 4. Decode the payload and build the DSSE pre-authentication encoding,
#    "DSSEv1" SP LEN(type) SP type SP LEN(payload) SP payload.
jq -er '.payload | strings' "$envelope" | base64 -d > "$tmp/payload.bin" ||
  die "payload is missing or not base64"
printf 'DSSEv1 %d %s %d ' "${#type}" "$type" "$(wc -c < "$tmp/payload.bin")" > "$tmp/pae.bin"
cat "$tmp/payload.bin" >> "$tmp/pae.bin"

# 5. Check the ed25519 signature over the PAE.
openssl pkeyutl -verify -pubin -inkey "$pubkey" -rawin \
  -in "$tmp/pae.bin" -sigfile "$tmp/sig.bin" >&2 || die "BAD SIGNATURE"

# 6. Only now is the payload trustworthy.
cat "$tmp/payload.bin"
