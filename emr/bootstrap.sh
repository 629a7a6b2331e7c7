#!/bin/bash
# EMR bootstrap action, on every node before the applications start. Arguments: the SSM parameter holding the
# Earthdata token, the file to write it to.
# 1. The Earthdata token for the s3credentials provider: from SSM Parameter Store (a SecureString; the instance
#    profile needs ssm:GetParameter and kms:Decrypt on it) to a file YARN's containers can read (group hadoop).
# 2. On every node: libdeflate, the scan's fast inflater (the connector falls back to the JDK's zlib, at about half
#    the speed, and says so in its log, when the library is absent).
# 3. On the primary node only: h5py + numpy for the jobs' python side (generate, scan-bench's h5py comparison),
#    and /mnt/atl03 for the steps' work and results.
set -euo pipefail
PARAMETER="$1"
TOKEN_FILE="$2"

sudo mkdir -p "$(dirname "$TOKEN_FILE")"
if token="$(aws ssm get-parameter --with-decryption --name "$PARAMETER" --query Parameter.Value --output text)"; then
  printf '%s' "$token" | sudo tee "$TOKEN_FILE" >/dev/null
  sudo chown root:hadoop "$TOKEN_FILE"
  sudo chmod 0640 "$TOKEN_FILE"
else
  echo "bootstrap: no Earthdata token: cannot read SSM parameter $PARAMETER (NSIDC reads will be refused)" >&2
fi

if ! /sbin/ldconfig -p | grep -q 'libdeflate\.so\.0 '; then
  sudo dnf install -y -q libdeflate || sudo yum install -y -q libdeflate \
    || echo "bootstrap: libdeflate not installed: chunks inflate with the JDK's zlib" >&2
fi

if grep -q '"isMaster": *true' /mnt/var/lib/info/instance.json 2>/dev/null; then
  sudo python3 -m pip install --quiet h5py numpy
  # the steps' work and results folder on the primary node's instance store / EBS (steps run as this user)
  sudo install -d -o "$(id -un)" -g "$(id -gn)" /mnt/atl03
fi
