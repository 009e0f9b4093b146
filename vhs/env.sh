# env.sh: sourced by every tape in a hidden line, before Parley starts. It
# gives Parley an empty, private world, so a recording shows the demo backend
# and nothing from the machine that records it.

# Tapes run from vhs/ (record.sh runs them there): use the Parley record.sh
# built from this checkout, else whatever parley is on PATH.
if [ -x "$PWD/.bin/parley" ]; then
  export PATH="$PWD/.bin:$PATH"
fi

# No real provider: with no key and no base URL, Parley runs its built-in
# demo backend. None of the caller's Parley settings either.
unset OPENAI_API_KEY OPENAI_BASE_URL OPENAI_ORG_ID OPENAI_PROJECT_ID \
      AZURE_OPENAI_API_KEY AZURE_OPENAI_ENDPOINT OPENROUTER_API_KEY GROQ_API_KEY \
      DEEPSEEK_API_KEY VLLM_API_KEY OLLAMA_HOST EDITOR VISUAL
for v in $(compgen -e | grep '^PARLEY_'); do unset "$v"; done
unset v
# The demo clock tool tells this time, so every recording shows the same.
export PARLEY_DEMO_NOW=2026-03-14T15:09:26Z

# Fresh, empty home, config, data (the sessions) and state (the log)
# directories, removed when the tape's shell exits.
TAPE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/parley-tape.XXXXXX")
mkdir -p "$TAPE_DIR"/home "$TAPE_DIR"/config "$TAPE_DIR"/data "$TAPE_DIR"/state \
         "$TAPE_DIR"/cache "$TAPE_DIR"/work
export HOME="$TAPE_DIR/home" \
       XDG_CONFIG_HOME="$TAPE_DIR/config" \
       XDG_DATA_HOME="$TAPE_DIR/data" \
       XDG_STATE_HOME="$TAPE_DIR/state" \
       XDG_CACHE_HOME="$TAPE_DIR/cache"
trap 'rm -rf "$TAPE_DIR"' EXIT

# A fixed terminal: VHS's ttyd is an xterm-256color with true colour.
export TERM=xterm-256color COLORTERM=truecolor LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC
cd "$TAPE_DIR/work" || return
