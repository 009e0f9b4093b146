#!/usr/bin/env bash
# record.sh: record Parley's demo tapes (vhs/*.tape) into GIFs, then check them.
#
#   vhs/record.sh                 # every tape, then vhs/check.sh on them
#   vhs/record.sh demo sessions   # only these tapes (names or paths)
#   vhs/record.sh themes          # the parts of a joined GIF (below)
#   vhs/record.sh --setup         # only install what recording needs
#   vhs/record.sh --warn-stale demo  # check.sh only warns of stale GIFs
#
# Each tape writes vhs/out/NAME.gif, NAME.png (its last frame) and NAME.txt
# (VHS's text output, which check.sh reads), all three committed. Tapes are
# recorded one at a time, each under a timeout (VHS_TIMEOUT seconds, default
# 180), in its own process session and temporary directory; whatever a tape
# leaves running is ended by its process id, and the directory is removed.
#
# vhs/out/MANIFEST gets a line per tape recorded: its name and the commit it
# was recorded at (with "+dirty" when the files it exercises had uncommitted
# changes), so check.sh can tell a GIF the code has since changed. Commit
# what a tape exercises before recording it.
#
# Tapes with a "# part: GROUP i/n" line are joined, in order, into
# vhs/out/GROUP.gif (gifsicle) after any of them is recorded: VHS paints the
# frame around the terminal in one colour per recording, so the themes GIF
# is one recording per theme, each framed in its theme's background.
#
# What it installs when missing (apt-get needs root; the rest goes into
# vhs/.bin/, which git ignores):
#   - with apt: ffmpeg, chromium, fonts-dejavu-core, fonts-jetbrains-mono,
#     fonts-noto-color-emoji (the 📎 of an attachment), git,
#     gifsicle, procps, and what building ttyd needs.
#   - ttyd >= 1.7.2, which VHS drives: Debian 12 has no ttyd package, so it is
#     built from Debian's source tarball of ttyd 1.7.7 (checked against its
#     sha256) with bookworm's libwebsockets, libuv and json-c; about 5 s.
#   - VHS v0.10.0 from the Go module proxy, built with one fix: v0.10.0 reads
#     the screen for Wait+Screen and for its text output from the top of the
#     terminal's buffer instead of the rows on screen (charmbracelet/vhs#659),
#     so once Parley's transcript has scrolled it sees stale rows and a tape
#     can neither wait for nor check what is shown. The fix reads the rows at
#     the viewport, as VHS already does for Wait+Line. The tapes are plain
#     v0.10.0 syntax; CI validates them with a stock `go install`.
#   - Parley itself, built from this checkout into vhs/.bin/parley.
#
# Settings (environment): VHS_TIMEOUT (seconds per tape, default 180),
# GIF_BUDGET (bytes, default 2000000: a bigger GIF is squeezed with gifsicle,
# fewer colours first, then lossy, and the run fails if it stays bigger),
# TTYD_TARBALL (a saved ttyd_1.7.7.orig.tar.xz, so nothing is downloaded for
# ttyd).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BIN="$HERE/.bin"
OUT="$HERE/out"
# shellcheck source=vhs/lib.sh
. "$HERE/lib.sh"

VHS_VERSION=v0.10.0
VHS_STAMP="$VHS_VERSION+viewport"   # what vhs/.bin/vhs.version says once built
TTYD_VERSION=1.7.7
TTYD_SHA256=48eba3f76af237f4c09cceb5ddbe0f845832557819f7e5c60c88285f8822af88
TTYD_MIN=1.7.2
TIMEOUT="${VHS_TIMEOUT:-180}"
GIF_BUDGET="${GIF_BUDGET:-2000000}"

export PATH="$BIN:$PATH"
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH="$PATH:/usr/local/go/bin"
fi

log() { printf '[record] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

TMP_DIRS=()
cleanup() { local d; for d in "${TMP_DIRS[@]}"; do rm -rf "$d"; done; }
trap cleanup EXIT
new_tmp() { NEW_TMP=$(mktemp -d); TMP_DIRS+=("$NEW_TMP"); }

# ---------------------------------------------------------------- packages

RUNTIME_PKGS=(ffmpeg chromium fonts-dejavu-core fonts-jetbrains-mono fonts-noto-color-emoji git gifsicle
              procps curl xz-utils ca-certificates)
# They stay installed: ttyd loads libwebsockets' libuv plugin at run time.
TTYD_BUILD_PKGS=(build-essential cmake pkg-config libjson-c-dev libwebsockets-dev
                 libuv1-dev zlib1g-dev libssl-dev libcap-dev)

missing_pkgs() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || echo "$p"
  done
}

APT_UPDATED=0
apt_install() {
  local missing
  missing=$(missing_pkgs "$@" | tr '\n' ' ')
  [ -z "${missing// /}" ] && return 0
  command -v apt-get >/dev/null || die "missing packages ($missing) and no apt-get: install them by hand"
  [ "$(id -u)" = 0 ] || die "missing packages ($missing): run as root, or install them first"
  if [ "$APT_UPDATED" = 0 ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    APT_UPDATED=1
  fi
  log "apt-get install $missing"
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

version_ge() { [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$2" ]; }

# ---------------------------------------------------------------- ttyd

ttyd_ok() {
  command -v ttyd >/dev/null || return 1
  local v
  v=$(ttyd --version 2>/dev/null | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n1)
  [ -n "$v" ] && version_ge "$v" "$TTYD_MIN" || return 1
  # A ttyd built here loads libwebsockets' libuv plugin at run time.
  if command -v dpkg-query >/dev/null && [ -n "$(missing_pkgs ttyd)" ] &&
     [ -n "$(missing_pkgs libwebsockets-evlib-uv)" ]; then
    return 1
  fi
}

# Debian's archive, as apt on this machine reaches it (no host is named here).
debian_archive() {
  local uri
  uri=$(grep -hoE '^(URIs:[[:space:]]*|deb[[:space:]]+)[^[:space:]]+' \
          /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null |
        awk '{print $NF}' | grep -E '/debian/?$' | head -n1)
  printf '%s' "${uri%/}"
}

install_ttyd() {
  ttyd_ok && return 0
  # A later Debian may carry ttyd; use the package when apt has one.
  if [ -n "$(apt-cache policy ttyd 2>/dev/null | awk '/Candidate:/ && $2 != "(none)"')" ]; then
    apt_install ttyd
    ttyd_ok && return 0
  fi
  apt_install "${TTYD_BUILD_PKGS[@]}"
  local work tarball src archive
  new_tmp; work=$NEW_TMP
  tarball="${TTYD_TARBALL:-}"
  if [ -z "$tarball" ]; then
    archive=$(debian_archive)
    [ -n "$archive" ] || die "cannot tell Debian's archive from apt's sources; set TTYD_TARBALL"
    tarball="$work/ttyd_${TTYD_VERSION}.orig.tar.xz"
    log "downloading ttyd $TTYD_VERSION source from Debian's archive"
    curl -fsS -m 120 -o "$tarball" "$archive/pool/main/t/ttyd/ttyd_${TTYD_VERSION}.orig.tar.xz" ||
      die "cannot download ttyd's source; set TTYD_TARBALL to a saved ttyd_${TTYD_VERSION}.orig.tar.xz"
  fi
  echo "$TTYD_SHA256  $tarball" | sha256sum -c --quiet - || die "sha256 mismatch for $tarball"
  tar -xJf "$tarball" -C "$work"
  src="$work/ttyd-$TTYD_VERSION"
  [ -f "$src/src/html.h" ] || die "ttyd source has no prebuilt src/html.h"
  log "building ttyd $TTYD_VERSION"
  cmake -S "$src" -B "$src/build" -DCMAKE_BUILD_TYPE=Release >"$work/build.log" 2>&1 &&
    cmake --build "$src/build" -j"$(nproc)" >>"$work/build.log" 2>&1 ||
    { tail -n 30 "$work/build.log" >&2; die "ttyd build failed"; }
  install -m 0755 "$src/build/ttyd" "$BIN/ttyd"
  ttyd_ok || die "ttyd built but not usable"
}

# ---------------------------------------------------------------- vhs

install_vhs() {
  if [ -x "$BIN/vhs" ] && [ "$(cat "$BIN/vhs.version" 2>/dev/null)" = "$VHS_STAMP" ]; then
    return 0
  fi
  command -v go >/dev/null || die "go is not on PATH"
  log "building vhs $VHS_VERSION (with the viewport fix) into vhs/.bin"
  local dir work
  new_tmp; work="$NEW_TMP/vhs"
  # Outside any module, so this checkout's go.mod and go.sum are not touched.
  dir=$(cd "$NEW_TMP" && GOFLAGS= GO111MODULE=on go mod download -json "github.com/charmbracelet/vhs@$VHS_VERSION" |
        sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -d "$dir" ] || die "go mod download of vhs $VHS_VERSION failed"
  cp -R "$dir" "$work"
  chmod -R u+w "$work"
  # charmbracelet/vhs#659: read the rows on screen, not the buffer's first rows.
  local old='"() => Array(term.rows).fill(0).map((e, i) => term.buffer.active.getLine(i).translateToString().trimEnd())"'
  local new='"() => { const b = term.buffer.active; return Array(term.rows).fill(0).map((e, i) => b.getLine(b.viewportY + i).translateToString().trimEnd()); }"'
  grep -qF "$old" "$work/testing.go" || die "vhs $VHS_VERSION: testing.go is not what the fix expects"
  OLD="$old" NEW="$new" perl -0pi -e 's/\Q$ENV{OLD}\E/$ENV{NEW}/' "$work/testing.go"
  grep -qF 'b.viewportY + i' "$work/testing.go" || die "could not apply the viewport fix to vhs"
  (cd "$work" && GOFLAGS= go build -trimpath \
      -ldflags "-s -w -X main.Version=$VHS_STAMP" -o "$BIN/vhs" .) || die "vhs build failed"
  echo "$VHS_STAMP" >"$BIN/vhs.version"
}

setup() {
  mkdir -p "$BIN" "$OUT"
  apt_install "${RUNTIME_PKGS[@]}"
  install_ttyd
  install_vhs
  for c in ffmpeg ttyd vhs git gifsicle; do
    command -v "$c" >/dev/null || die "$c is not on PATH"
  done
  command -v chromium >/dev/null || command -v chromium-browser >/dev/null ||
    command -v google-chrome >/dev/null || die "no chromium on PATH"
}

# ---------------------------------------------------------------- recording

session_pids() { ps -eo pid=,sid= | awk -v s="$1" '$2==s {print $1}'; }

# end_session SID: end what is left of a tape's process session, by pid.
end_session() {
  local left
  for _ in $(seq 50); do   # chromium and ttyd leave about 2 s after vhs
    [ -z "$(session_pids "$1")" ] && return 0
    sleep 0.2
  done
  left=$(session_pids "$1")
  # shellcheck disable=SC2086
  [ -z "$left" ] || kill $left 2>/dev/null || true
  sleep 1
  left=$(session_pids "$1")
  # shellcheck disable=SC2086
  [ -z "$left" ] || kill -9 $left 2>/dev/null || true
}

# squeeze GIF: gifsicle passes from the original, each stronger, until it is
# under budget: lossless, then fewer colours (a theme has a few dozen; the
# rest are the edges of letters), then lossy on top (last: lossy compression
# leaves ghosts of old text around what changed).
squeeze() {
  local gif=$1 pass size
  [ "$(stat -c %s "$gif")" -le "$GIF_BUDGET" ] && return 0
  cp "$gif" "$gif.orig"
  for pass in "" "--colors 128" "--colors 64" "--colors 32" \
              "--colors 32 --lossy=20" "--colors 32 --lossy=40" "--colors 32 --lossy=80"; do
    # shellcheck disable=SC2086
    gifsicle -O3 $pass "$gif.orig" -o "$gif.tmp" && mv "$gif.tmp" "$gif"
    size=$(stat -c %s "$gif")
    log "$(basename "$gif"): gifsicle -O3 ${pass:-(lossless)}: $size bytes"
    [ "$size" -le "$GIF_BUDGET" ] && break
  done
  rm -f "$gif.orig"
  [ "$(stat -c %s "$gif")" -le "$GIF_BUDGET" ]
}

record_tape() { # record_tape NAME
  local name=$1 tmp start status secs size
  rm -f "$OUT/$name.gif" "$OUT/$name.png" "$OUT/$name.txt"
  new_tmp; tmp=$NEW_TMP
  start=$(date +%s)
  # setsid: the tape's processes form a session whose id is the subshell's
  # pid, so whatever outlives vhs can be found and ended by pid. timeout -k:
  # vhs looks at SIGTERM only between commands.
  ( cd "$HERE" && TMPDIR="$tmp" exec setsid timeout -k 10 "$TIMEOUT" vhs -q "$name.tape" ) &
  local pid=$!
  status=0
  wait "$pid" || status=$?
  end_session "$pid"
  secs=$(( $(date +%s) - start ))
  if [ "$status" -ne 0 ]; then
    case "$status" in 124|137) log "$name: timed out after $TIMEOUT s" ;; esac
    echo "FAIL $name (vhs exit $status, ${secs} s)"
    return 1
  fi
  [ -s "$OUT/$name.gif" ] || { echo "FAIL $name: no GIF"; return 1; }
  ffmpeg -v error -y -sseof -1 -i "$OUT/$name.gif" -update 1 "$OUT/$name.png" ||
    { echo "FAIL $name: no last frame"; return 1; }
  if ! squeeze "$OUT/$name.gif"; then
    echo "FAIL $name: GIF is $(stat -c %s "$OUT/$name.gif") bytes, over $GIF_BUDGET"
    return 1
  fi
  size=$(stat -c %s "$OUT/$name.gif")
  printf 'ok   %-10s recorded in %3d s, GIF %s s, %s KB\n' "$name" "$secs" \
    "$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$OUT/$name.gif" | cut -d. -f1)" \
    "$((size / 1024))"
}

# write_manifest NAME: NAME was just recorded at this checkout's HEAD.
write_manifest() {
  local name=$1 commit paths
  commit=$(git_here rev-parse HEAD 2>/dev/null) || commit=unknown
  mapfile -t paths < <(tape_paths "$name")
  if [ "$commit" != unknown ] && [ -n "$(git_here status --porcelain -- "${paths[@]}")" ]; then
    commit="$commit+dirty"
    log "$name: recorded with uncommitted changes to what it exercises; check.sh will call it stale"
  fi
  {
    echo "# The commit each recording in vhs/out was made at (vhs/record.sh writes it,"
    echo "# vhs/check.sh compares it with git log for the files each tape exercises)."
    [ -f "$MANIFEST" ] && grep -v '^#' "$MANIFEST" | awk -v n="$name" '$1 != n'
    echo "$name $commit $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  } >"$MANIFEST.tmp"
  { sed -n '1,2p' "$MANIFEST.tmp"; sed '1,2d' "$MANIFEST.tmp" | sort; } >"$MANIFEST"
  rm -f "$MANIFEST.tmp"
}

# join_group GROUP: vhs/out/GROUP.gif, its parts' GIFs one after another, and
# GROUP.png, the last part's last frame.
join_group() {
  local group=$1 parts=() p gifs=()
  mapfile -t parts < <(group_parts "$group")
  [ "${#parts[@]}" -eq "$(group_size "$group")" ] ||
    { echo "FAIL $group: the tapes name $(group_size "$group") parts, ${#parts[@]} found"; return 1; }
  for p in "${parts[@]}"; do
    [ -s "$OUT/$p.gif" ] || { echo "FAIL $group: no vhs/out/$p.gif to join (record $p)"; return 1; }
    gifs+=("$OUT/$p.gif")
  done
  gifsicle -O3 --no-warnings "${gifs[@]}" -o "$OUT/$group.gif" ||
    { echo "FAIL $group: gifsicle could not join ${parts[*]}"; return 1; }
  cp "$OUT/${parts[-1]}.png" "$OUT/$group.png"
  squeeze "$OUT/$group.gif" ||
    { echo "FAIL $group: GIF is $(stat -c %s "$OUT/$group.gif") bytes, over $GIF_BUDGET"; return 1; }
  printf 'ok   %-10s joined from %s, %s KB\n' "$group" "${parts[*]}" "$(( $(stat -c %s "$OUT/$group.gif") / 1024 ))"
}

main() {
  local only_setup=0 names=() t check_flags=() groups=() g
  for t in "$@"; do
    case "$t" in
      --setup) only_setup=1 ;;
      --warn-stale) check_flags+=(--warn-stale) ;;
      -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
      *) mapfile -t -O "${#names[@]}" names < <(tape_names "$t") ;;
    esac
  done
  setup
  [ "$only_setup" = 1 ] && { log "ready: vhs $(cat "$BIN/vhs.version"), $(ttyd --version)"; exit 0; }
  [ ${#names[@]} -gt 0 ] || mapfile -t names < <(tape_names)
  for t in "${names[@]}"; do
    [ -f "$HERE/$t.tape" ] || die "no tape vhs/$t.tape"
  done

  log "building parley"
  (cd "$ROOT" && go build -o "$BIN/parley" .)

  (cd "$HERE" && vhs validate "${names[@]/%/.tape}")

  # Chromium refuses to run as root without --no-sandbox; VHS passes it when
  # this is set. Nothing is ever published.
  [ "$(id -u)" = 0 ] && export VHS_NO_SANDBOX=true
  export VHS_PUBLISH=false
  unset PS1   # VHS gives bash the prompt "> "; an exported PS1 would win

  local rc=0
  for t in "${names[@]}"; do
    if record_tape "$t"; then write_manifest "$t"; else rc=1; fi
    g=$(tape_group "$t")
    [ -z "$g" ] || [[ " ${groups[*]} " == *" $g "* ]] || groups+=("$g")
  done
  for g in "${groups[@]}"; do
    join_group "$g" || rc=1
  done
  "$HERE/check.sh" "${check_flags[@]}" "${names[@]}" || rc=1
  exit "$rc"
}

main "$@"
