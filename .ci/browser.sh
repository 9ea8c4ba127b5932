#!/usr/bin/env bash
# Prepares the browser tests (tests/browser, marker `browser`): Debian's Chromium at
# /usr/bin/chromium, a CJK font so screenshots are legible, the Playwright Python package (the
# driver only: the tests launch the system Chromium, so NEVER run `playwright install`), and
# gradio for the /ui page, at the versions of constraints.txt. Idempotent; safe to call from
# .ci/run before pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
fc-list 2>/dev/null | grep -qi "wqy\|noto sans cjk" || packages+=(fonts-wqy-zenhei)
if [ "${#packages[@]}" -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q "${packages[@]}"
fi
/usr/bin/chromium --version

python3 -m pip install -q -c constraints.txt playwright -e ".[ui]"
python3 -c "import playwright, gradio; print('playwright (python driver) and gradio', gradio.__version__, 'ready')"
