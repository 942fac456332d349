# awsguard for zsh. In ~/.zshrc, after your own prompt set-up (and compinit, if you run it):
#   eval "$(awsguard init zsh)"               # or: awsguard init zsh --no-prompt
#
# Defines:
#   awsguard                 `use` and `off` switch this shell; everything else runs the binary
#   awsguard_prompt_update   sets $awsguard_prompt to the session's prompt segment (or nothing);
#                            reads only AWSGUARD_* and $EPOCHSECONDS, so it starts no process
# and, unless --no-prompt or AWSGUARD_NO_PROMPT=1, shows the segment in front of RPROMPT.
# Functions run under `emulate -L zsh`, so your options neither break them nor are changed by
# them; only names starting with awsguard or _awsguard are ours. Sourcing it twice is harmless.

typeset -g _awsguard_bin='awsguard'
typeset -g awsguard_prompt=''
zmodload zsh/datetime # $EPOCHSECONDS, without starting `date`

awsguard() {
  emulate -L zsh
  case ${1-} in
    (use|off) ;;
    (*) AWSGUARD_SHELL=zsh command $_awsguard_bin "$@"; return ;; # tells `awsguard doctor` it is loaded
  esac
  local arg code
  local -i rc=0
  for arg in "$@"; do
    # Help is for reading, not for eval.
    if [[ $arg == (-h|--help) ]]; then command $_awsguard_bin "$@"; return; fi
  done
  if [[ $1 == off ]]; then set -- --off "${@:2}"; else shift; fi
  # The binary asks its questions on the terminal; its stdout is only code for this shell.
  code=$(command $_awsguard_bin use --shell zsh "$@") || rc=$?
  (( rc == 0 )) || return $rc
  eval "$code"
}

# Sets the caller's $text (e.g. "aws:ci@acme-dev 42m", protected "!aws:prod@acme-prod 42m",
# "... expired" once past AWSGUARD_EXPIRES; empty without a session) and $colour.
_awsguard_segment() {
  emulate -L zsh
  text='' colour=cyan
  [[ -n ${AWSGUARD_PROFILE-} ]] || return 0
  text="aws:$AWSGUARD_PROFILE@${AWSGUARD_ACCOUNT_ALIAS:-${AWSGUARD_ACCOUNT_ID-}}"
  # Names come from config files and the environment: nothing but these may reach the prompt
  # (so no %, $ or ` for prompt expansion either).
  text=${text//[^A-Za-z0-9._@:\/+=-]/?}
  if [[ ${AWSGUARD_PROTECTED-} == 1 ]]; then text="!$text" colour=red; fi
  local expires=${AWSGUARD_EXPIRES-}
  local -i left
  # Up to 12 digits only: anything else is no time to show (and no arithmetic to evaluate).
  if [[ -n $expires && $expires != *[^0-9]* && ${#expires} -le 12 ]]; then
    left=$(( expires - EPOCHSECONDS ))
    # Minutes round down, as the identity line's (src/guard/banner.ts): no time promised that is not there.
    if (( left >= 60 )); then
      text+=" $(( left / 60 ))m"
    elif (( left > 0 )); then
      text+=' <1m'
    else
      text+=' expired'
      [[ $colour == red ]] || colour=yellow
    fi
  fi
  return 0
}

awsguard_prompt_update() {
  # Read before emulate resets it: with prompt_bang a lone ! would show the history number.
  local bang=0
  [[ -o prompt_bang ]] && bang=1
  emulate -L zsh
  local text colour
  _awsguard_segment
  if [[ -z $text ]]; then
    awsguard_prompt=''
  elif [[ -n ${NO_COLOR-} ]]; then
    awsguard_prompt=$text
  else
    awsguard_prompt="%F{$colour}$text%f"
  fi
  (( bang )) && awsguard_prompt=${awsguard_prompt//!/!!}
  return 0
}

# With AWSGUARD_TITLE=1: the session in the terminal title (cleared again after `awsguard off`).
_awsguard_title() {
  emulate -L zsh
  [[ ${AWSGUARD_TITLE-} == 1 ]] || return 0
  local text colour
  _awsguard_segment
  if [[ -n $text ]]; then
    print -rn -- $'\e]0;'"$text"$'\a'
    typeset -g _awsguard_titled=1
  elif [[ -n ${_awsguard_titled-} ]]; then
    print -rn -- $'\e]0;\a'
    typeset -g _awsguard_titled=''
  fi
  return 0
}

# >>> prompt: left out by `awsguard init zsh --no-prompt`
# Puts the segment in front of your RPROMPT, replacing the one it put there last time; what
# you or your theme put in RPROMPT stays, and comes back as it was after `awsguard off`.
_awsguard_precmd() {
  awsguard_prompt_update
  emulate -L zsh
  _awsguard_title
  local rest=$RPROMPT
  if [[ -n $_awsguard_rprompt && $rest == "$_awsguard_rprompt"* ]]; then
    rest=${rest#"$_awsguard_rprompt"}
  fi
  typeset -g _awsguard_rprompt=$awsguard_prompt
  [[ -n $awsguard_prompt && -n $rest ]] && _awsguard_rprompt+=' '
  RPROMPT=$_awsguard_rprompt$rest
  return 0
}

() {
  emulate -L zsh
  [[ ${AWSGUARD_NO_PROMPT-} == 1 ]] && return
  typeset -g _awsguard_rprompt=${_awsguard_rprompt-}
  typeset -ga precmd_functions
  precmd_functions=(${precmd_functions:#_awsguard_precmd} _awsguard_precmd)
}
# <<< prompt
