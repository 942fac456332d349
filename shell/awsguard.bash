# shellcheck shell=bash
# awsguard for bash. In ~/.bashrc, after your own prompt set-up:
#   eval "$(awsguard init bash)"              # or: awsguard init bash --no-prompt
#
# Defines:
#   awsguard                 `use` and `off` switch this shell; everything else runs the binary
#   awsguard_prompt_update   sets $awsguard_prompt to the session's prompt segment (or nothing);
#                            reads only AWSGUARD_* and bash's clock, so it starts no process
# and, unless --no-prompt or AWSGUARD_NO_PROMPT=1, shows the segment at the start of PS1.
# It sets no shell option and only names starting with awsguard or _awsguard; it works under
# set -euo pipefail and can be sourced twice.

_awsguard_bin='awsguard'

awsguard() {
  case ${1-} in
    use | off) ;;
    *)
      AWSGUARD_SHELL=bash command "$_awsguard_bin" "$@" # tells `awsguard doctor` the integration is loaded
      return
      ;;
  esac
  local arg code rc=0
  for arg in "$@"; do
    # Help is for reading, not for eval.
    case $arg in -h | --help)
      command "$_awsguard_bin" "$@"
      return
      ;;
    esac
  done
  if [[ $1 == off ]]; then set -- --off "${@:2}"; else shift; fi
  # The binary asks its questions on the terminal; its stdout is only code for this shell.
  code=$(command "$_awsguard_bin" use --shell bash "$@") || rc=$?
  if ((rc != 0)); then return "$rc"; fi
  eval "$code"
}

# Sets the caller's $text (e.g. "aws:ci@acme-dev 42m", protected "!aws:prod@acme-prod 42m",
# "... expired" once past AWSGUARD_EXPIRES; empty without a session) and $colour.
_awsguard_segment() {
  text='' colour='36'
  [[ -n ${AWSGUARD_PROFILE-} ]] || return 0
  text="aws:$AWSGUARD_PROFILE@${AWSGUARD_ACCOUNT_ALIAS:-${AWSGUARD_ACCOUNT_ID-}}"
  # Names come from config files and the environment: nothing but these may reach the terminal.
  text=${text//[!A-Za-z0-9._@:\/+=-]/?}
  if [[ ${AWSGUARD_PROTECTED-} == 1 ]]; then text="!$text" colour='1;31'; fi
  local expires=${AWSGUARD_EXPIRES-} now=${EPOCHSECONDS-} left
  # Up to 12 digits only: bash arithmetic would evaluate anything else as an expression.
  if [[ -n $expires && $expires != *[!0-9]* && ${#expires} -le 12 ]]; then
    [[ -n $now ]] || printf -v now '%(%s)T' -1 # bash < 5.0 has no EPOCHSECONDS; printf is a builtin
    left=$((10#$expires - now))
    # Minutes round down, as the identity line's (src/guard/banner.ts): no time promised that is not there.
    if ((left >= 60)); then
      text+=" $((left / 60))m"
    elif ((left > 0)); then
      text+=' <1m'
    else
      text+=' expired'
      if [[ $colour == 36 ]]; then colour='33'; fi
    fi
  fi
  return 0
}

# shellcheck disable=SC2034 # awsguard_prompt is read by PS1
awsguard_prompt_update() {
  local text colour
  _awsguard_segment
  if [[ -z $text ]]; then
    awsguard_prompt=''
  elif [[ -n ${NO_COLOR-} ]]; then
    awsguard_prompt="$text "
  else
    # \001 and \002 tell readline the colour codes take no room (\[ \] only work in PS1 itself).
    awsguard_prompt=$'\001\e['"${colour}m"$'\002'"$text"$'\001\e[0m\002 '
  fi
  return 0
}

# With AWSGUARD_TITLE=1: the session in the terminal title (cleared again after `awsguard off`).
_awsguard_title() {
  [[ ${AWSGUARD_TITLE-} == 1 ]] || return 0
  local text colour
  _awsguard_segment
  if [[ -n $text ]]; then
    printf '\e]0;%s\a' "$text"
    _awsguard_titled=1
  elif [[ -n ${_awsguard_titled-} ]]; then
    printf '\e]0;\a'
    _awsguard_titled=''
  fi
  return 0
}

# >>> prompt: left out by `awsguard init bash --no-prompt`
_awsguard_prompt_hook() {
  awsguard_prompt_update
  _awsguard_title
  # PS1 refers to the variable, so the value is never parsed as prompt code; re-added if
  # something set PS1 after us.
  # shellcheck disable=SC2016 # the reference is meant to stay unexpanded in PS1
  [[ ${PS1-} == *'${awsguard_prompt-}'* ]] || PS1='${awsguard_prompt-}'${PS1-}
  return 0
}

if [[ ${AWSGUARD_NO_PROMPT-} != 1 && ${PROMPT_COMMAND[*]-} != *_awsguard_prompt_hook* ]]; then
  if ((BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] >= 501)); then
    PROMPT_COMMAND+=(_awsguard_prompt_hook) # bash 5.1+: a list, the existing command stays as it is
  else
    # shellcheck disable=SC2128,SC2178 # before bash 5.1 PROMPT_COMMAND is one string
    PROMPT_COMMAND="${PROMPT_COMMAND:+$PROMPT_COMMAND$'\n'}_awsguard_prompt_hook"
  fi
fi
# <<< prompt
