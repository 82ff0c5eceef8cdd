#!/usr/bin/env bash
# Installs what the end-to-end tests need, idempotently, on a Debian machine as root:
#   - Debian's chromium (driven by playwright-core) and libkrb5-dev (for code-server's `kerberos` module);
#   - Node 24 from the npm package `node` (code-server requires exactly Node 24; the system Node stays);
#   - code-server (VS Code in the browser) built with that Node.
# Node and code-server go into a cache folder outside the repo, reused while valid:
#   ${DNN_LAB_E2E_CACHE:-$HOME/.cache/dnn-lab-e2e}
# The harness (test/e2e/harness.ts) finds them through $CACHE/paths.json.
# Needs no stdin; safe under CI=true. Re-running does only what is missing.
set -euo pipefail

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
CACHE="${DNN_LAB_E2E_CACHE:-$HOME/.cache/dnn-lab-e2e}"
NODE_DIR="$CACHE/node-$NODE_VERSION"
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
CHROMIUM="${DNN_LAB_E2E_CHROMIUM:-/usr/bin/chromium}"

START=$SECONDS
log() { printf '[e2e-install %4ss] %s\n' "$((SECONDS - START))" "$*"; }
die() { log "ERROR: $*" >&2; exit 1; }

mkdir -p "$CACHE"
# Two concurrent runs (say, a developer and a test script) must not build into the same folder.
exec 9>"$CACHE/.install.lock"
if command -v flock >/dev/null; then flock 9; fi

# ---------------------------------------------------------------- system packages
apt_missing=()
[ -x "$CHROMIUM" ] || apt_missing+=(chromium)
dpkg-query -W -f='${Status}' libkrb5-dev 2>/dev/null | grep -q 'ok installed' || apt_missing+=(libkrb5-dev)
# Without CJK fonts the lessons' Traditional Chinese renders as empty boxes in screenshots.
dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'ok installed' || apt_missing+=(fonts-noto-cjk)
# node-gyp needs these to build code-server's native modules; the node image ships them.
command -v python3 >/dev/null || apt_missing+=(python3)
command -v make >/dev/null || apt_missing+=(make)
command -v g++ >/dev/null || apt_missing+=(g++)
if [ ${#apt_missing[@]} -eq 0 ]; then
  log "apt: chromium, libkrb5-dev, fonts-noto-cjk and build tools already present, skipped"
else
  SUDO=()
  [ "$(id -u)" -eq 0 ] || SUDO=(sudo -n)
  t=$SECONDS
  log "apt: installing ${apt_missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Wait for another apt/dpkg (another job on the machine) instead of failing on its lock.
  APT=("${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=900 -qq)
  "${APT[@]}" update
  "${APT[@]}" install -y "${apt_missing[@]}" >/dev/null
  log "apt: done in $((SECONDS - t)) s"
fi
[ -x "$CHROMIUM" ] || die "no chromium at $CHROMIUM"

# ---------------------------------------------------------------- Node 24
case "$(uname -m)" in
  x86_64) NODE_ARCH=x64 ;;
  aarch64) NODE_ARCH=arm64 ;;
  *) die "unsupported machine $(uname -m)" ;;
esac
# The `node` package's preinstall fetches the arch-specific package (binary + headers) next to it.
NODE_PKG="$NODE_DIR/node_modules/node/node_modules/node-linux-$NODE_ARCH"
NODE_BIN="$NODE_PKG/bin/node"
node_valid() {
  [ -x "$NODE_BIN" ] && [ -f "$NODE_PKG/include/node/node.h" ] &&
    [ "$("$NODE_BIN" --version 2>/dev/null)" = "v$NODE_VERSION" ]
}
if node_valid; then
  log "node: v$NODE_VERSION already in $NODE_DIR, skipped"
else
  t=$SECONDS
  log "node: installing node@$NODE_VERSION into $NODE_DIR"
  rm -rf "$NODE_DIR" "$NODE_DIR.partial"
  mkdir -p "$NODE_DIR.partial"
  # Its own package.json approves the one install script npm 11 would otherwise only warn about (or block).
  cat >"$NODE_DIR.partial/package.json" <<EOF
{ "private": true, "allowScripts": { "node": true } }
EOF
  (cd "$NODE_DIR.partial" && npm install --no-audit --no-fund --save-exact --loglevel=error "node@$NODE_VERSION")
  mv "$NODE_DIR.partial" "$NODE_DIR"
  node_valid || die "node@$NODE_VERSION installed but $NODE_BIN is not v$NODE_VERSION with headers"
  log "node: done in $((SECONDS - t)) s"
fi

# ---------------------------------------------------------------- code-server
CS_PKG="$CS_DIR/node_modules/code-server"
CS_ENTRY="$CS_PKG/out/node/entry.js"
CS_MARKER="$CS_DIR/.verified"
# Loads code-server's native modules in Node 24: proves they were built (or shipped) for its ABI.
# Several are built from source by node-gyp; if one failed, npm may still have exited 0.
cs_modules_ok() {
  local dir=$1/node_modules/code-server
  [ -f "$dir/out/node/entry.js" ] || return 1
  "$NODE_BIN" -e '
    const { createRequire } = require("module");
    const dir = process.argv[1];
    const failed = [];
    const load = (from, names) => {
      const req = createRequire(from);
      for (const name of names) { try { req(name); } catch (e) { failed.push(name + ": " + e.message.split("\n")[0]); } }
    };
    load(dir + "/package.json", ["argon2"]);
    load(dir + "/lib/vscode/package.json", ["@vscode/spdlog", "node-pty", "kerberos", "@vscode/sqlite3",
      "@vscode/native-watchdog", "@vscode/deviceid", "@parcel/watcher"]);
    if (failed.length) { console.error("native modules that do not load in Node " + process.version + ":\n  " + failed.join("\n  ")); process.exit(1); }
  ' "$dir"
}

# Starts code-server once on a free loopback port and waits for /healthz: proof that it really runs.
cs_smoke() {
  local dir=$1 tmp pid rc=0
  tmp=$(mktemp -d)
  mkdir -p "$tmp/ws"
  XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" XDG_CACHE_HOME="$tmp/cache" TMPDIR="$tmp" \
    setsid "$NODE_BIN" "$dir/node_modules/code-server/out/node/entry.js" --config /dev/null \
    --bind-addr 127.0.0.1:0 --auth none --disable-telemetry --disable-update-check \
    --user-data-dir "$tmp/user" --extensions-dir "$tmp/ext" "$tmp/ws" >"$tmp/out.log" 2>&1 &
  pid=$!
  # Port 0: code-server picks a free port and prints "HTTP server listening on http://127.0.0.1:N/".
  "$NODE_BIN" -e '
    const fs = require("fs");
    const [log, pid] = process.argv.slice(1);
    const deadline = Date.now() + 60_000;
    (async () => {
      while (Date.now() < deadline) {
        try { process.kill(Number(pid), 0); } catch { console.error("code-server exited"); process.exit(1); }
        const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(fs.readFileSync(log, "utf8"));
        if (m) {
          try {
            const r = await fetch(m[1] + "/healthz");
            if (r.ok) { console.log("healthz " + m[1] + ": " + (await r.text())); process.exit(0); }
          } catch {}
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      console.error("timed out waiting for /healthz"); process.exit(1);
    })();' "$tmp/out.log" "$pid" || rc=$?
  kill -TERM -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ $rc -ne 0 ]; then
    log "code-server output:"; sed 's/^/    /' "$tmp/out.log" >&2
  fi
  rm -rf "$tmp"
  return $rc
}

if [ -f "$CS_MARKER" ] && [ "$(cat "$CS_MARKER")" = "$CODE_SERVER_VERSION node-v$NODE_VERSION" ] && cs_modules_ok "$CS_DIR" &&
  [ "$("$NODE_BIN" "$CS_ENTRY" --config /dev/null --version 2>/dev/null | head -1 | cut -d' ' -f1)" = "$CODE_SERVER_VERSION" ]; then
  log "code-server: $CODE_SERVER_VERSION already in $CS_DIR, skipped"
else
  t=$SECONDS
  log "code-server: installing $CODE_SERVER_VERSION into $CS_DIR (builds native modules, takes minutes)"
  rm -rf "$CS_DIR" "$CS_DIR.partial"
  mkdir -p "$CS_DIR.partial"
  # code-server's postinstall runs `npm install` in lib/vscode (which carries its own allowScripts);
  # the top level needs code-server's postinstall and argon2's install approved here.
  cat >"$CS_DIR.partial/package.json" <<EOF
{ "private": true, "allowScripts": { "code-server": true, "argon2": true } }
EOF
  # Node 24 first on PATH: npm, the postinstall's nested npm and node-gyp all run on it.
  # npm_config_nodedir beats the machine's `nodedir=/usr` (Node 20 headers); the headers cannot be downloaded.
  # The machine's `omit-lockfile-registry-resolved=true` would make the nested npm rewrite lib/vscode's
  # shrinkwrap without `resolved`, and then its pinned allowScripts ("kerberos@2.1.1": true) match nothing:
  # the native builds would run only while npm's script policy is advisory.
  (
    cd "$CS_DIR.partial"
    export PATH="$NODE_PKG/bin:$PATH" npm_config_nodedir="$NODE_PKG" npm_config_omit_lockfile_registry_resolved=false
    npm install --no-audit --no-fund --save-exact --loglevel=error "code-server@$CODE_SERVER_VERSION"
  ) >"$CACHE/code-server-install.log" 2>&1 || {
    tail -n 60 "$CACHE/code-server-install.log" >&2
    die "npm install code-server failed; full log in $CACHE/code-server-install.log"
  }
  cs_modules_ok "$CS_DIR.partial" || {
    tail -n 60 "$CACHE/code-server-install.log" >&2
    die "code-server installed without its native modules; full log in $CACHE/code-server-install.log"
  }
  log "code-server: npm install done in $((SECONDS - t)) s"
  mv "$CS_DIR.partial" "$CS_DIR"
  cs_smoke "$CS_DIR" || die "code-server was built but does not start"
  echo "$CODE_SERVER_VERSION node-v$NODE_VERSION" >"$CS_MARKER"
  log "code-server: done in $((SECONDS - t)) s"
fi

# ---------------------------------------------------------------- where things are, for the harness
cat >"$CACHE/paths.json.tmp" <<EOF
{
  "node": "$NODE_BIN",
  "codeServer": "$CS_ENTRY",
  "codeServerVersion": "$CODE_SERVER_VERSION",
  "chromium": "$CHROMIUM"
}
EOF
mv "$CACHE/paths.json.tmp" "$CACHE/paths.json"
log "ready in $((SECONDS - START)) s: $CACHE/paths.json (cache $(du -sh "$CACHE" | cut -f1))"
