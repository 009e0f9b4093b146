#!/usr/bin/env bash
# check.sh: assert on what each recorded tape showed, so that a broken feature
# fails the recording instead of producing a GIF of an error.
#
#   vhs/check.sh                 # every tape in vhs/
#   vhs/check.sh demo sessions   # only these (names or paths)
#
# It reads VHS's text output, vhs/out/NAME.txt: the screen's rows after each
# command of the tape, one frame after another, each ended by a rule of 80
# "─". Each tape says what its last frame must show, in comment lines:
#
#   # expect: REGEX    a row of the last frame matches (grep -E)
#   # reject: REGEX    no row of the last frame matches
#
# and, for every frame of every tape: no Go panic, no shell error, no
# failed reply, and nothing from the machine that recorded it (the path of
# this checkout, the recorder's home directory). It also checks that the GIF
# and the PNG of the last frame exist and that the GIF is under GIF_BUDGET
# bytes (default 2000000).
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
OUT="$HERE/out"
GIF_BUDGET="${GIF_BUDGET:-2000000}"
SEP=$(printf '─%.0s' $(seq 80))

# Never on screen, in any frame of any tape.
ANYWHERE_REJECT=(
  'panic:|goroutine [0-9]+ \['          # a Go crash
  'command not found|No such file or directory|syntax error'
  '^ ?● error '                           # the status bar after a failed request
  'OPENAI_API_KEY=|sk-[A-Za-z0-9]{8}'    # a key typed or shown
)

names=()
for t in "$@"; do t=$(basename "$t"); names+=("${t%.tape}"); done
if [ ${#names[@]} -eq 0 ]; then
  for t in "$HERE"/*.tape; do t=$(basename "$t"); names+=("${t%.tape}"); done
fi

# last_frame FILE: the rows of the last complete frame.
last_frame() {
  awk -v sep="$SEP" '$0 == sep { last = cur; cur = ""; next } { cur = cur $0 "\n" } END { printf "%s", last }' "$1"
}

fails=0
fail() { echo "FAIL $1: $2"; fails=$((fails + 1)); }

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

  if [ "$fails" -eq "$before" ]; then
    echo "ok   $name: last frame shows all $n expectations"
  fi
done

[ "$fails" -eq 0 ] || { echo "check: $fails failure(s)"; exit 1; }
