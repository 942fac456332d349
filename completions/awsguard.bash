# shellcheck shell=bash
# bash completion for awsguard: commands, their flags, and profile names for -p/--profile and
# `use`. Included by `eval "$(awsguard init bash)"`, printed by `awsguard completion bash`, or
# copied to /usr/share/bash-completion/completions/awsguard.

# >>> generated from the command registry by src/shell/completions.ts; edit those, not this
_awsguard_commands='exec use console profiles whoami export login logout pick init completion sso keys audit doctor off help'
_awsguard_command_flags() {
  case $1 in
    exec) flags='-h --help -p --profile --region --policy --policy-arn --read-only --duration --mfa-code --refresh --confirm -q --quiet --nest --server' ;;
    use) flags='-h --help -p --profile --region --policy --policy-arn --read-only --duration --mfa-code --refresh --confirm -q --quiet --nest --off --sso' ;;
    console) flags='-h --help -p --profile --region --policy --policy-arn --read-only --duration --mfa-code --refresh --confirm -q --quiet --nest -s --service -d --destination --open --print --copy' ;;
    profiles) flags='-h --help --json --names --show-origin' ;;
    whoami) flags='-h --help -p --profile --region --policy --policy-arn --read-only --duration --mfa-code --refresh --json' ;;
    export) flags='-h --help -p --profile --region --policy --policy-arn --read-only --duration --mfa-code --refresh --confirm -q --quiet --nest --format' ;;
    login) flags='-h --help -p --profile --sso-session --no-browser' ;;
    logout) flags='-h --help -p --profile --all --sso' ;;
    pick) flags='-h --help --query --json --sso --refresh' ;;
    init) flags='-h --help --no-prompt' ;;
    completion) flags='-h --help' ;;
    sso) flags='-h --help --sso-session --refresh --region --json' ;;
    keys) flags='-h --help --json --from-env --all --backup --yes --resume --keep-inactive --mfa-code --wait' ;;
    audit) flags='-h --help --json --since --account' ;;
    doctor) flags='-h --help --json' ;;
    *) flags='' ;;
  esac
}
_awsguard_flag_value() {
  case $1 in
    -p | --profile) kind='profile' ;;
    --region | --policy-arn | --duration | --mfa-code | --confirm | -s | --service | -d | --destination | --format | --sso-session | --query | --wait | --since | --account) kind='any' ;;
    --policy) kind='file' ;;
    *) kind='' ;;
  esac
}
_awsguard_subcommands() {
  case $1 in
    sso) words='accounts sync' ;;
    keys) words='add import list remove export-plaintext rotate' ;;
    *) words='' ;;
  esac
}
# How many profile names follow a subcommand: one, many, or none.
_awsguard_subcommand_operand() {
  case "$1 $2" in
    'keys add' | 'keys remove' | 'keys export-plaintext' | 'keys rotate') operand=one ;;
    'keys import') operand=many ;;
    *) operand='' ;;
  esac
}
# <<< generated

_awsguard_profiles() {
  # The exact binary `awsguard init` filled in, else the one on PATH; fast, loads no SDK.
  command "${_awsguard_bin:-awsguard}" profiles --names 2>/dev/null
}

# The operands typed before the cursor (flags and their values skipped) into `operands`, up to a
# `--`, whose index goes into `dashdash`.
_awsguard_operands() {
  local i=2 kind
  operands=() dashdash=''
  while ((i < COMP_CWORD)); do
    case ${COMP_WORDS[i]} in
      --) dashdash=$i && return 0 ;;
      =) i=$((i + 1)) ;; # --flag=value, split by bash
      -*)
        _awsguard_flag_value "${COMP_WORDS[i]}"
        if [[ -n $kind && ${COMP_WORDS[i + 1]-} != = ]]; then i=$((i + 1)); fi
        ;;
      *) operands+=("${COMP_WORDS[i]}") ;;
    esac
    i=$((i + 1))
  done
}

# exec: the first word that is neither a flag nor a flag's value names the child command;
# after it, bash's own completion (-o default) takes over.
_awsguard_exec_positional() {
  _awsguard_operands
  ((${#operands[@]} == 0)) || return 1
  [[ -z $dashdash || $dashdash == $((COMP_CWORD - 1)) ]] || return 1
  words=$(compgen -c -- "$cur")
}

# Commands with subcommands (`keys rotate NAME`): the first operand is the subcommand, then
# profile names where it takes them.
_awsguard_subcommand_words() {
  _awsguard_subcommands "$cmd"
  [[ -n $words ]] || return 1
  _awsguard_operands
  ((${#operands[@]} == 0)) && return 0
  _awsguard_subcommand_operand "$cmd" "${operands[0]}"
  words=''
  if [[ $operand == many ]] || [[ $operand == one && ${#operands[@]} == 1 ]]; then words=$(_awsguard_profiles); fi
}

_awsguard_complete() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]-} cmd=${COMP_WORDS[1]-}
  local flags kind words operand dashdash
  local -a operands
  COMPREPLY=()
  # `--profile=pr<TAB>`: bash splits at the =.
  if [[ $prev == = ]] && ((COMP_CWORD >= 3)); then prev=${COMP_WORDS[COMP_CWORD - 2]}; fi
  if ((COMP_CWORD == 1)); then
    words=$_awsguard_commands
  else
    _awsguard_flag_value "$prev"
    case $kind in
      profile) words=$(_awsguard_profiles) ;;
      shell) words='bash zsh fish' ;;
      file) return 1 ;; # bash's own file names (complete -o default)
      any) return 0 ;;  # a value only you know
      *)
        if [[ $cur == -* ]]; then
          _awsguard_command_flags "$cmd"
          words=$flags
        else
          case $cmd in
            use) words=$(_awsguard_profiles) ;;
            help) words=$_awsguard_commands ;;
            init | completion) words='bash zsh fish' ;;
            exec) _awsguard_exec_positional || return 1 ;;
            *) _awsguard_subcommand_words || return 1 ;;
          esac
        fi
        ;;
    esac
  fi
  mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
}

complete -o default -F _awsguard_complete awsguard
