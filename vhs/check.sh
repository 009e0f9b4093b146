#!/usr/bin/env bash
# check.sh: assert on what each recorded tape showed, so that a broken feature
# fails the recording instead of producing a GIF of an error.
#
#   vhs/check.sh                 # every tape in vhs/
#   vhs/check.sh demo sessions   # only these (names or paths; "themes" = its parts)
#   vhs/check.sh --warn-stale    # a stale GIF is a warning, not a failure
#                                # (also VHS_STALE=warn): before recording
#
# It reads VHS's text output, vhs/out/NAME.txt: the screen's rows after each
# command of the tape, one frame after another, each ended by a rule of 80
# "─". Each tape says what its last frame must show, in comment lines:
#
#   # expect: REGEX    a row of the last frame matches (grep -E)
#   # reject: REGEX    no row of the last frame matches
#   # rows: RX ;; RX ;; RX    consecutive rows of the last frame match these,
#                      in order (what sits right above or below what)
#   # live: RX && RX && !RX   some frame (not only the last) has a row
#                      matching each RX and none matching a !RX: what the
#                      screen showed mid-way, e.g. while a reply streams
#
# and, for every frame of every tape: no Go panic, no shell error, no
# failed reply, and nothing from the machine that recorded it (the path of
# this checkout, the recorder's home directory). The frame around the
# terminal must be the background the tape's Set Theme gives it. It also
# checks that the GIF
# and the PNG of the last frame exist and that the GIF is under GIF_BUDGET
# bytes (default 2000000).
#
# Staleness: vhs/out/MANIFEST names the commit each tape was recorded at
# (record.sh writes it). A GIF is stale, and fails, when a later commit in
# this branch changed a file the tape exercises (its "# exercises:" line,
# see lib.sh), or when it was recorded from uncommitted changes or at a
# commit this history does not have. A joined GIF (vhs/out/themes.gif) is
# checked through its parts, and must exist whole.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
OUT="$HERE/out"
# shellcheck source=vhs/lib.sh
. "$HERE/lib.sh"
GIF_BUDGET="${GIF_BUDGET:-2000000}"
SEP=$(printf '─%.0s' $(seq 80))

# Never on screen, in any frame of any tape.
ANYWHERE_REJECT=(
  'panic:|goroutine [0-9]+ \['          # a Go crash
  'command not found|No such file or directory|syntax error'
  '^ ?● error '                           # the status bar after a failed request
  'OPENAI_API_KEY=|sk-[A-Za-z0-9]{8}'    # a key typed or shown
)

STALE="${VHS_STALE:-fail}"
args=()
for t in "$@"; do
  case "$t" in
    --warn-stale) STALE=warn ;;
    -h|--help) sed -n '2,/^set -uo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) args+=("$t") ;;
  esac
done
mapfile -t names < <(tape_names "${args[@]}")

# last_frame FILE: the rows of the last complete frame.
last_frame() {
  awk -v sep="$SEP" '$0 == sep { last = cur; cur = ""; next } { cur = cur $0 "\n" } END { printf "%s", last }' "$1"
}

# frames FILE: every complete frame, each as one line with its rows joined
# by a NUL-free separator ("\x1f"), so grep can test a frame at a time.
frames() {
  awk -v sep="$SEP" '$0 == sep { print cur; cur = ""; next } { cur = cur $0 "\x1f" }' "$1"
}

# live_ok FILE SPEC: some frame satisfies SPEC ("RX && RX && !RX").
live_ok() {
  local frame rx ok terms=()
  mapfile -t terms < <(sed 's/ && /\n/g' <<<"$2")
  while IFS= read -r frame; do
    ok=1
    for rx in "${terms[@]}"; do
      if [[ $rx == '!'* ]]; then
        tr '\037' '\n' <<<"$frame" | grep -qE -- "${rx#!}" && { ok=0; break; }
      else
        tr '\037' '\n' <<<"$frame" | grep -qE -- "$rx" || { ok=0; break; }
      fi
    done
    [ "$ok" = 1 ] && return 0
  done < <(frames "$1")
  return 1
}

# rows_ok FRAME SPEC: consecutive rows of FRAME match SPEC's "RX ;; RX ...".
rows_ok() {
  local rows=() rxs=() i j
  mapfile -t rows <<<"$1"
  mapfile -t rxs < <(sed 's/ ;; /\n/g' <<<"$2")
  for ((i = 0; i + ${#rxs[@]} <= ${#rows[@]}; i++)); do
    for ((j = 0; j < ${#rxs[@]}; j++)); do
      grep -qE -- "${rxs[j]}" <<<"${rows[i + j]}" || continue 2
    done
    return 0
  done
  return 1
}

# frame_bg NAME: the frame around the terminal (VHS's padding) is the
# background the tape gives its terminal (Set Theme), so no theme sits in a
# frame of another colour. Checked on the last frame's top-left pixel, within
# 3 per channel (the GIF's palette rounds colours).
frame_bg() {
  local want got w g i
  want=$(sed -n 's/^Set Theme .*"background": *"#\([0-9a-fA-F]\{6\}\)".*/\1/p' "$HERE/$1.tape" | head -n1)
  [ -n "$want" ] || { fail "$1" "the tape sets no Set Theme background, so VHS frames it in its own colour"; return; }
  [ -s "$OUT/$1.png" ] || return
  command -v ffmpeg >/dev/null || { fail "$1" "ffmpeg is needed to check the frame's colour (vhs/record.sh --setup installs it)"; return; }
  got=$(ffmpeg -v error -i "$OUT/$1.png" -vf crop=1:1:2:2 -f rawvideo -pix_fmt rgb24 - | od -An -tx1 | tr -d ' \n')
  for i in 0 2 4; do
    w=$((16#${want:i:2})); g=$((16#${got:i:2}))
    if [ $((w - g)) -gt 3 ] || [ $((g - w)) -gt 3 ]; then
      fail "$1" "the frame around the terminal is #$got, not the theme's background #$want"
      return
    fi
  done
}

fails=0
warns=0
fail() { echo "FAIL $1: $2"; fails=$((fails + 1)); }
warn() { echo "warn $1: $2"; warns=$((warns + 1)); }

# stale NAME: why NAME's GIF no longer shows what the code does ("" if it does).
stale() {
  local name=$1 rec commit paths=() log n
  rec=$(manifest_commit "$name")
  [ -n "$rec" ] || { echo "no line in vhs/out/MANIFEST: record it with vhs/record.sh $name"; return; }
  git_here rev-parse -q --verify HEAD >/dev/null 2>&1 ||
    { echo "recorded at ${rec:0:12}, but this is not a git checkout, so it cannot be compared"; return; }
  commit=${rec%+dirty}
  [ "$commit" = "$rec" ] ||
    { echo "recorded at ${commit:0:12} with uncommitted changes to what it exercises: commit them, then record again"; return; }
  git_here cat-file -e "$commit^{commit}" 2>/dev/null ||
    { echo "recorded at ${commit:0:12}, a commit this clone does not have (shallow clone, or rewritten history)"; return; }
  git_here merge-base --is-ancestor "$commit" HEAD ||
    { echo "recorded at ${commit:0:12}, which is not in this branch's history"; return; }
  mapfile -t paths < <(tape_paths "$name")
  log=$(git_here log --format='%h %s' "$commit..HEAD" -- "${paths[@]}")
  [ -z "$log" ] && return
  n=$(wc -l <<<"$log")
  echo "stale: recorded at ${commit:0:12}; $n later commit(s) change what it exercises, e.g. $(head -n1 <<<"$log" | cut -c1-100); record it again (vhs/record.sh $name)"
}

# joined GIFs whose parts are checked here
groups=()

for name in "${names[@]}"; do
  tape="$HERE/$name.tape"
  txt="$OUT/$name.txt"
  before=$fails
  [ -f "$tape" ] || { fail "$name" "no tape vhs/$name.tape"; continue; }
  [ -s "$txt" ] || { fail "$name" "no text output vhs/out/$name.txt (record it first)"; continue; }
  frame=$(last_frame "$txt")
  [ -n "$frame" ] || { fail "$name" "the text output has no complete frame"; continue; }

  n=0
  while IFS= read -r rx; do
    n=$((n + 1))
    grep -qE -- "$rx" <<<"$frame" || fail "$name" "last frame does not show /$rx/"
  done < <(sed -n 's/^# expect: //p' "$tape")
  [ "$n" -gt 0 ] || fail "$name" "the tape has no '# expect:' lines"
  while IFS= read -r rx; do
    grep -qE -- "$rx" <<<"$frame" && fail "$name" "last frame shows /$rx/"
  done < <(sed -n 's/^# reject: //p' "$tape")
  while IFS= read -r spec; do
    n=$((n + 1))
    rows_ok "$frame" "$spec" || fail "$name" "last frame has no rows /${spec// ;; /\/ then \/}/"
  done < <(sed -n 's/^# rows: //p' "$tape")
  while IFS= read -r spec; do
    n=$((n + 1))
    live_ok "$txt" "$spec" || fail "$name" "no frame shows /$spec/"
  done < <(sed -n 's/^# live: //p' "$tape")

  for rx in "${ANYWHERE_REJECT[@]}"; do
    hit=$(grep -m1 -E -- "$rx" "$txt") && fail "$name" "a frame shows /$rx/: ${hit:0:120}"
  done
  for leak in "$ROOT" "${HOME:-/nonexistent}" "$(id -un 2>/dev/null)@"; do
    [ ${#leak} -ge 3 ] || continue
    hit=$(grep -m1 -F -- "$leak" "$txt") && fail "$name" "a frame shows the recording machine's '$leak': ${hit:0:120}"
  done

  gif="$OUT/$name.gif"
  if [ ! -s "$gif" ]; then
    fail "$name" "no GIF vhs/out/$name.gif"
  elif [ "$(stat -c %s "$gif")" -gt "$GIF_BUDGET" ]; then
    fail "$name" "GIF is $(stat -c %s "$gif") bytes, over $GIF_BUDGET"
  fi
  [ -s "$OUT/$name.png" ] || fail "$name" "no PNG of the last frame vhs/out/$name.png"
  frame_bg "$name"

  why=$(stale "$name")
  if [ -n "$why" ]; then
    if [ "$STALE" = warn ]; then warn "$name" "$why"; else fail "$name" "$why"; fi
  fi
  mapfile -t paths < <(tape_paths "$name")
  changed=$(git_here status --porcelain -- "${paths[@]}" 2>/dev/null | head -n3 | cut -c4- | tr '\n' ' ')
  [ -z "$changed" ] || warn "$name" "uncommitted changes to what it exercises (${changed% }), not in the recording"
  g=$(tape_group "$name")
  [ -z "$g" ] || [[ " ${groups[*]} " == *" $g "* ]] || groups+=("$g")

  if [ "$fails" -eq "$before" ]; then
    echo "ok   $name: shows all $n expectations; recorded at $(manifest_commit "$name" | cut -c1-12)"
  fi
done

# gif_cs GIF: how long it plays, in hundredths of a second (the sum of its
# frames' delays; gifsicle folds identical frames, never time).
gif_cs() { gifsicle --info "$1" 2>/dev/null | sed -n 's/.*delay \([0-9.]*\)s.*/\1/p' | awk '{t += $1 * 100} END {printf "%d\n", t + 0.5}'; }

# A joined GIF is its parts, whole: it plays as long as they do together.
if [ ${#groups[@]} -gt 0 ] && ! command -v gifsicle >/dev/null; then
  fail "${groups[*]}" "gifsicle is needed to check a joined GIF (vhs/record.sh --setup installs it)"
  groups=()
fi
for g in "${groups[@]}"; do
  gif="$OUT/$g.gif"
  want=0
  for p in $(group_parts "$g"); do
    [ -s "$OUT/$p.gif" ] && want=$((want + $(gif_cs "$OUT/$p.gif")))
  done
  if [ ! -s "$gif" ]; then
    fail "$g" "no joined GIF vhs/out/$g.gif (vhs/record.sh $g)"
  elif [ "$(stat -c %s "$gif")" -gt "$GIF_BUDGET" ]; then
    fail "$g" "GIF is $(stat -c %s "$gif") bytes, over $GIF_BUDGET"
  elif got=$(gif_cs "$gif") && [ "$got" -ne "$want" ]; then
    fail "$g" "vhs/out/$g.gif plays $got cs, its parts $want cs: it was not joined from them (vhs/record.sh $g)"
  else
    echo "ok   $g: joined from $(group_parts "$g" | tr '\n' ' ')"
  fi
done

[ "$warns" -eq 0 ] || echo "check: $warns warning(s)"
[ "$fails" -eq 0 ] || { echo "check: $fails failure(s)"; exit 1; }
