# lib.sh: what record.sh and check.sh both read from a tape's header and
# from vhs/out/MANIFEST. Sourced; HERE (vhs/), ROOT and OUT are set by the
# caller.
#
# A tape's header names, in comment lines:
#
#   # exercises: ui/ themes/ stream/mock/   what it shows, as git pathspecs
#                                           from the repository's root
#   # part: themes 2/4                      it is the 2nd of 4 recordings
#                                           joined into vhs/out/themes.gif
#
# Every tape also exercises main.go, go.mod, go.sum, vhs/env.sh and itself.
# Tests and test data never change a screen, so changes to them are not
# counted.

MANIFEST="$OUT/MANIFEST"

# tape_names [NAME...]: the tapes named (NAME.tape, a path, or the name of a
# joined GIF such as "themes", which stands for its parts), or every tape.
tape_names() {
  local t parts
  if [ $# -eq 0 ]; then
    for t in "$HERE"/*.tape; do t=$(basename "$t"); echo "${t%.tape}"; done
    return
  fi
  for t in "$@"; do
    t=$(basename "$t"); t=${t%.tape}
    if [ ! -f "$HERE/$t.tape" ] && parts=$(group_parts "$t") && [ -n "$parts" ]; then
      echo "$parts"
    else
      echo "$t"
    fi
  done
}

# tape_paths NAME: the pathspecs whose commits can change what NAME shows.
tape_paths() {
  local extra
  extra=$(sed -n 's/^# exercises: //p' "$HERE/$1.tape" | tr '\n' ' ')
  # shellcheck disable=SC2086
  printf '%s\n' main.go go.mod go.sum vhs/env.sh "vhs/$1.tape" $extra \
    ':(exclude,glob)**/*_test.go' ':(exclude,glob)**/testdata/**'
}

# tape_group NAME: the joined GIF a part belongs to ("" for a whole tape).
tape_group() { sed -n 's/^# part: \([a-z0-9-]*\) [0-9]*\/[0-9]*$/\1/p' "$HERE/$1.tape" | head -n1; }

# group_parts GROUP: its parts, in their order.
group_parts() {
  local t
  for t in "$HERE"/*.tape; do
    sed -n "s|^# part: $1 \([0-9]*\)/[0-9]*\$|\1 $(basename "${t%.tape}")|p" "$t"
  done | sort -n | awk '{print $2}'
}

# group_size GROUP: how many parts its tapes say it has.
group_size() { cat "$HERE"/*.tape | sed -n "s|^# part: $1 [0-9]*/\([0-9]*\)\$|\1|p" | head -n1; }

# manifest_commit NAME: the commit NAME was recorded at, as the manifest
# says ("" if it has no line).
manifest_commit() { [ -f "$MANIFEST" ] && awk -v n="$1" '$1 == n {print $2}' "$MANIFEST" | tail -n1; }

# git_here ARGS: git in the repository, with no pager and no prompts.
git_here() { GIT_PAGER=cat git -C "$ROOT" "$@"; }
