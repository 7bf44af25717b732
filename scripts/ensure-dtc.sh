#!/usr/bin/env bash
# Tests compare our DTB/DTS output with dtc (Debian's device-tree-compiler); install it when missing.
set -euo pipefail
command -v dtc >/dev/null 2>&1 && exit 0
echo "installing device-tree-compiler (dtc) for the round-trip tests" >&2
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq device-tree-compiler >/dev/null
command -v dtc >/dev/null
