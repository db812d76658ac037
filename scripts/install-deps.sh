#!/usr/bin/env bash
# Installs the Debian packages Faultline needs to build, test and benchmark, if any are missing.
#   build:  libpcre2-dev libarchive-dev libsqlite3-dev pkg-config
#   tests:  gzip bzip2 xz-utils zstd lz4 zip libarchive-tools (bsdtar, bsdcat) make fixtures with the real tools
set -euo pipefail
packages=(pkg-config libpcre2-dev libarchive-dev libsqlite3-dev gzip bzip2 xz-utils zstd lz4 zip libarchive-tools)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
