#!/usr/bin/env bash
# Installs the Debian packages Escale needs to build and test on a fresh Debian machine:
# a C++ toolchain and Python for better-sqlite3's native build; socat (real pty pairs for the serial
# reader and printer simulators); libusb-1.0-0 (node-hid at run time); postgresql (the server: the
# hub's PostgreSQL store and scale-out tests start their own throwaway cluster with its initdb and
# pg_ctl, so nothing needs to be started here); chromium (browser tests); poppler-utils (pdftoppm
# and pdftotext: tests render the statement PDFs to images and read their text back);
# fonts-liberation (the hub embeds Liberation Sans in its PDFs, so every name and "€" prints);
# pcscd, libpcsclite-dev and vsmartcard-vpcd (PC/SC readers: the service, the headers
# @pokusew/pcsclite builds against, and the virtual reader driver the PC/SC tests insert virtual
# cards into — the tests start pcscd themselves when it is not running). Later capabilities add
# theirs here (one list, so the README's two commands stay two). Idempotent: installs only what
# is missing.
set -euo pipefail

packages=(build-essential python3 openssl socat libusb-1.0-0 postgresql chromium poppler-utils fonts-liberation pcscd libpcsclite-dev vsmartcard-vpcd)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "debian-packages: all present (${packages[*]})"
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "debian-packages: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
