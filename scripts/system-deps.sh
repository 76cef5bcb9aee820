#!/usr/bin/env bash
# Debian packages the project needs: CJK fonts (Noto Sans CJK; Hanazono for the rare name characters of CJK
# Extensions A–F that Noto lacks) and HarfBuzz subsetting for PDFs, Pango for WeasyPrint,
# python3-venv for the virtual environment, poppler-utils and tmux for looking at PDFs and driving the TUI,
# chromium and its driver for the phone-quiz browser test, zbar-tools to read printed QR codes back.
# As root, missing packages are installed; otherwise the one apt command to run is printed.
set -euo pipefail

missing=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for pkg in fonts-noto-cjk fonts-hanazono libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils tmux chromium chromium-driver zbar-tools; do
  have_pkg "$pkg" || missing+=("$pkg")
done
python3 -c "import ensurepip" 2>/dev/null || missing+=("python3-venv")

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: please install the equivalents of: ${missing[*]}" >&2
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  echo "system-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "system-deps: missing Debian packages; run:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
