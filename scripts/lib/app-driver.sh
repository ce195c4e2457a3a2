# Sourced by scripts/e2e and scripts/bench-app: what drives the real app from outside — Xvfb,
# WebKitWebDriver, tauri-driver and WebdriverIO — installed when missing, and a display.

# Installs Xvfb and WebKitWebDriver (apt), tauri-driver (into target/tools) and the WebdriverIO
# packages of tests/e2e (npm). Sets RONDA_TAURI_DRIVER and RONDA_NATIVE_DRIVER.
install_app_driver() {
  local need_apt=() pkg
  for pkg in xvfb webkit2gtk-driver; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need_apt+=("$pkg")
  done
  if [ ${#need_apt[@]} -gt 0 ]; then
    echo "== apt-get install ${need_apt[*]}"
    local sudo_=""
    [ "$(id -u)" -eq 0 ] || sudo_="sudo"
    $sudo_ apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq "${need_apt[@]}"
  fi
  local tools="$PWD/target/tools"
  if [ ! -x "$tools/bin/tauri-driver" ]; then
    echo "== cargo install tauri-driver (into target/tools)"
    cargo install tauri-driver --locked --version '^2' --root "$tools"
  fi
  (cd tests/e2e && { [ -d node_modules ] || npm ci --no-audit --no-fund; })
  export RONDA_TAURI_DRIVER="$tools/bin/tauri-driver"
  RONDA_NATIVE_DRIVER="$(command -v WebKitWebDriver)"
  export RONDA_NATIVE_DRIVER
  export RONDA_E2E_DRIVER_PORT="$((4400 + RANDOM % 500))"
}

# Starts Xvfb on a free display unless there is one already; logs go to $1, and the screen is
# kept as a file beside it (RONDA_E2E_FRAMEBUFFER), where the end-to-end tests take their
# screenshots. The caller stops it with `stop_display`.
start_display() {
  if [ -n "${DISPLAY:-}" ]; then
    return
  fi
  local display=":$((90 + RANDOM % 100))"
  local screen_dir
  screen_dir="$(dirname "$1")"
  Xvfb "$display" -screen 0 1280x1024x24 -nolisten tcp -fbdir "$screen_dir" > "$1" 2>&1 &
  xvfb_pid=$!
  export DISPLAY="$display"
  # Xvfb is ready when its socket exists.
  for _ in $(seq 1 50); do
    [ -e "/tmp/.X11-unix/X${display#:}" ] && break
    sleep 0.1
  done
  export RONDA_E2E_FRAMEBUFFER="$screen_dir/Xvfb_screen0"
  # Software rendering: there is no GPU under Xvfb.
  export LIBGL_ALWAYS_SOFTWARE=1
}

stop_display() {
  if [ -n "${xvfb_pid:-}" ]; then
    kill "$xvfb_pid" 2>/dev/null || true
  fi
}
