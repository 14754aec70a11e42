#!/usr/bin/env bash
# Debian packages the test suite uses as independent oracles and real parts:
#   chromium (browser-mode e2e, PDF printing), poppler-utils (PDF pages to PNG/text), gdal-bin (ogrinfo,
#   ogr2ogr, gdaltransform), python3-networkx/numpy/scipy (peer catchments and the peers' generator),
#   fonts for Thai, Japanese and Indic place names in maps and reports,
#   PostgreSQL with PostGIS (the shared team store; tests start their own server on loopback) and pgRouting (oracle).
# Idempotent: installs only what is missing. Uses sudo when not root.
set -euo pipefail
PKGS=(chromium poppler-utils gdal-bin sqlite3 python3-networkx python3-numpy python3-scipy fonts-thai-tlwg fonts-noto-cjk fonts-noto-core postgresql-15 postgresql-15-postgis-3 postgresql-15-pgrouting)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-test-deps: all Debian packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "install-test-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
