#!/usr/bin/env bash
# Makes a throwaway CA and an HTTPS gateway certificate for docker-compose.https.yml, in this folder (or $1):
#   ca.crt, ca.key        the CA (trust ca.crt in clients: curl --cacert, neuromesh.Client(cafile=...), browsers)
#   gateway.crt, .key     the silos' certificate, for localhost, 127.0.0.1, silo1, silo2 and silo3, valid 90 days
# For development and tests only: a real deployment uses certificates from its own CA. Existing files are kept unless
# --force is given. Needs openssl.
set -euo pipefail
force=0
if [ "${1:-}" = "--force" ]; then force=1; shift; fi
dir=${1:-$(cd "$(dirname "$0")" && pwd)}
mkdir -p "$dir"
cd "$dir"
if [ -e gateway.crt ] && [ "$force" = 0 ]; then
  echo "make-dev-certs.sh: $dir/gateway.crt exists; --force replaces it" >&2
  exit 1
fi

openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 365 -subj "/CN=NeuroMesh development CA" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout ca.key -out ca.crt 2>/dev/null
openssl req -newkey rsa:2048 -nodes -sha256 -subj "/CN=neuromesh-gateway" -keyout gateway.key -out gateway.csr 2>/dev/null
cat > gateway.ext <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1,DNS:silo1,DNS:silo2,DNS:silo3
EXT
openssl x509 -req -in gateway.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 90 -sha256 -extfile gateway.ext \
  -out gateway.crt 2>/dev/null
rm -f gateway.csr gateway.ext ca.srl
# The image runs as a non-root user, which must read the key through the bind mount.
chmod 644 gateway.key
chmod 600 ca.key
echo "make-dev-certs.sh: wrote ca.crt, ca.key, gateway.crt, gateway.key in $dir"
