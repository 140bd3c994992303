#!/usr/bin/env bash
# Generates a self-signed certificate for HTTPS: <dir>/server.pem holds the private key followed by the
# certificate (the file the gateway looks for), and <dir>/.gitignore keeps both out of git.
#   ./scripts/generate-cert.sh [-d DIR] [-n HOSTNAME] [--days N] [--force]
# Defaults: DIR=certs (at the repo root), HOSTNAME=localhost, N=365. For production use a real certificate.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/certs"
NAME="localhost"
DAYS=365
FORCE=0

die() {
  echo "generate-cert: $*" >&2
  exit 1
}

usage() {
  sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
  case "$1" in
    -d | --dir) [ $# -ge 2 ] || die "$1 needs a value"; DIR="$2"; shift 2 ;;
    -n | --name) [ $# -ge 2 ] || die "$1 needs a value"; NAME="$2"; shift 2 ;;
    --days) [ $# -ge 2 ] || die "$1 needs a value"; DAYS="$2"; shift 2 ;;
    -f | --force) FORCE=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done

command -v openssl >/dev/null 2>&1 || die "openssl is not installed (Debian: apt-get install openssl)"
if ! [[ "$DAYS" =~ ^[1-9][0-9]*$ ]]; then die "--days must be a positive integer, got: $DAYS"; fi
if ! [[ "$NAME" =~ ^[A-Za-z0-9.*-]+$ ]]; then die "--name must be a hostname, got: $NAME"; fi

PEM="$DIR/server.pem"
if [ -e "$PEM" ] && [ "$FORCE" -ne 1 ]; then
  die "$PEM already exists (use --force to replace it)"
fi

mkdir -p "$DIR"
umask 077
WORK="$(mktemp -d "$DIR/.generate-cert.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

SAN="DNS:$NAME"
[ "$NAME" = "localhost" ] || SAN="$SAN,DNS:localhost"
SAN="$SAN,IP:127.0.0.1,IP:::1"

openssl req -x509 -newkey rsa:2048 -sha256 -nodes \
  -days "$DAYS" \
  -subj "/CN=$NAME" \
  -addext "subjectAltName=$SAN" \
  -addext "keyUsage=digitalSignature,keyEncipherment" \
  -addext "extendedKeyUsage=serverAuth" \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>"$WORK/openssl.log" \
  || { cat "$WORK/openssl.log" >&2; die "openssl failed"; }

cat "$WORK/key.pem" "$WORK/cert.pem" >"$WORK/server.pem"
mv -f "$WORK/server.pem" "$PEM"
chmod 600 "$PEM"

if [ ! -e "$DIR/.gitignore" ]; then
  printf '%s\n' '# Certificates and keys never go into git.' '*' '!.gitignore' >"$DIR/.gitignore"
  chmod 644 "$DIR/.gitignore"
fi

echo "wrote $PEM (self-signed for $NAME, valid $DAYS days)"
openssl x509 -in "$PEM" -noout -fingerprint -sha256
