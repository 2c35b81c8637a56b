#!/usr/bin/env bash
# Installs the Debian packages the tests need (headless Chromium for the
# browser tests and PDF checks, CJK fonts so Chinese renders in PDFs, a Java
# runtime for the W3C Nu HTML checker, npm for the validators' packages). Idempotent: does nothing when all are there.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi "noto sans cjk\|wqy" || need+=(fonts-noto-cjk)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v pdfinfo >/dev/null 2>&1 || need+=(poppler-utils)
# LibreOffice (headless) opens the generated .xlsx/.docx and converts them to PDF in the tests.
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui libreoffice-writer-nogui)
# npm installs the pinned outside validators (vnu-jar, axe-core) from package-lock.json.
command -v npm >/dev/null 2>&1 || need+=(npm)
if ((${#need[@]} == 0)); then exit 0; fi
if [[ $(id -u) != 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "缺少系统软件包: ${need[*]}，请以 root 身份运行 scripts/setup-system.sh" >&2; exit 1; fi
else SUDO=; fi
echo "installing Debian packages: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
