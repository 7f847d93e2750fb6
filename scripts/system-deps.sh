#!/usr/bin/env bash
# Installs the Debian packages Vanphong needs, if missing: Debian's Chromium (driven by Playwright in
# the browser tests; never a downloaded browser), the PostgreSQL client tools (pg_dump for backups),
# Noto fonts (PDF stamps, registers, ballot papers in every language), Tesseract with its Vietnamese
# model (OCR of scans), poppler (pdftoppm renders scanned PDF pages for OCR) and the Pango/HarfBuzz
# libraries WeasyPrint draws PDFs with. With --runtime (what `make run` asks for) it leaves out Chromium,
# which only the browser tests need: the app itself signs, stamps and reads documents with the rest.
set -euo pipefail
missing=()
if [ "${1:-}" != "--runtime" ]; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fi
command -v pg_dump >/dev/null 2>&1 || missing+=(postgresql-client)
fc-list 2>/dev/null | grep -qi "Noto Sans" || missing+=(fonts-noto-core)
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
[ -e /usr/share/tesseract-ocr/5/tessdata/vie.traineddata ] || missing+=(tesseract-ocr-vie)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0" || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p 2>/dev/null | grep -q "libharfbuzz-subset.so.0" || missing+=(libharfbuzz-subset0)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing Debian packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "error: need root (or sudo) to install ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
