# Shared by the scripts behind the README's two commands. Each ensure_* installs what is
# missing and is quick when everything is already there.

step() { printf '\n==> %s\n' "$*"; }

wasm_bindgen_version() {
  grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p'
}

ensure_web_tools() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown || {
    step "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  }
  local want
  want=$(wasm_bindgen_version)
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    step "installing wasm-bindgen-cli $want (a few minutes, once)"
    cargo install wasm-bindgen-cli --version "$want" --force
  fi
  ensure_npm
}

ensure_npm() {
  if [ ! -x tests/node_modules/.bin/wasm-opt ] || [ tests/package-lock.json -nt tests/node_modules/.installed ]; then
    step "installing npm packages (tests/package-lock.json)"
    # `npm install`, not `npm ci`: npm 11 leaves cbor-x's optional native helpers out of the lock
    # file and `npm ci` then refuses it. Versions still come from the lock file.
    (cd tests && npm install --no-audit --no-fund && touch node_modules/.installed)
  fi
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    step "installing Debian's chromium"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium fonts-noto-core fonts-dejavu-core >/dev/null
  fi
}

ensure_postgres() {
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    step "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
}
