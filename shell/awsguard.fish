# awsguard for fish. In ~/.config/fish/config.fish, after your own prompt set-up:
#   awsguard init fish | source               # or: awsguard init fish --no-prompt | source
#
# Defines:
#   awsguard           `use` and `off` switch this shell; everything else runs the binary
#   awsguard_prompt    prints the session's prompt segment (or nothing); only builtins, so it
#                      starts no process
# and, unless --no-prompt or AWSGUARD_NO_PROMPT=1, wraps fish_right_prompt (and fish_title, for
# AWSGUARD_TITLE=1), keeping yours. Only names starting with awsguard or _awsguard are ours;
# sourcing it twice is harmless.

set -g _awsguard_bin 'awsguard'

function awsguard --description 'awsguard: `use` and `off` switch this shell'
    switch "$argv[1]"
        case use off
        case '*'
            command $_awsguard_bin $argv
            return
    end
    # Help is for reading, not for eval.
    if contains -- --help $argv; or contains -- -h $argv
        command $_awsguard_bin $argv
        return
    end
    set -l args use --shell fish $argv[2..-1]
    test "$argv[1]" = off; and set args use --shell fish --off $argv[2..-1]
    # The binary asks its questions on the terminal; its stdout is only code for this shell.
    set -l code (command $_awsguard_bin $args)
    set -l rc $status
    test $rc -eq 0; or return $rc
    string join \n -- $code | source
end

# Prints two lines: the colour, and the text (e.g. "aws:ci@acme-dev 42m", protected
# "!aws:prod@acme-prod 42m", "... expired" once past AWSGUARD_EXPIRES); nothing without a session.
function _awsguard_segment
    test -n "$AWSGUARD_PROFILE"; or return 0
    set -l colour cyan
    set -l id $AWSGUARD_ACCOUNT_ALIAS
    test -n "$id"; or set id $AWSGUARD_ACCOUNT_ID
    # Names come from config files and the environment: nothing but these may reach the terminal.
    set -l text (string replace -ra '[^A-Za-z0-9._@:/+=-]' '?' -- "aws:$AWSGUARD_PROFILE@$id")
    if test "$AWSGUARD_PROTECTED" = 1
        set text "!$text"
        set colour red
    end
    # fish has no $EPOCHSECONDS. The path builtin gives a file's mtime and, with --relative, the
    # seconds since then: their sum is now. Any file that exists will do; / always does.
    if string match -qr '^[0-9]+$' -- "$AWSGUARD_EXPIRES"; and builtin -q path
        set -l left (math "$AWSGUARD_EXPIRES - $(path mtime /) - $(path mtime --relative /)")
        if test $left -gt 0
            set text "$text "(math "ceil($left / 60)")m
        else
            set text "$text expired"
            test $colour = red; or set colour yellow
        end
    end
    printf '%s\n' $colour $text
end

function awsguard_prompt --description 'awsguard: the session in this shell, for a prompt'
    set -l segment (_awsguard_segment)
    set -q segment[2]; or return 0
    if test -n "$NO_COLOR"
        printf '%s' $segment[2]
    else
        set_color $segment[1]
        printf '%s' $segment[2]
        set_color normal
    end
end

# >>> prompt: left out by `awsguard init fish --no-prompt`
if test "$AWSGUARD_NO_PROMPT" != 1
    # Keep your own function under another name, unless it is already ours (sourced twice).
    for name in fish_right_prompt fish_title
        if functions -q $name; and not string match -q 'awsguard:*' -- (functions --details --verbose $name)[5]
            functions --erase _awsguard_user_$name
            functions --copy $name _awsguard_user_$name
        end
    end

    function fish_right_prompt --description 'awsguard: the session, then your right prompt'
        awsguard_prompt
        if functions -q _awsguard_user_fish_right_prompt
            test -n "$AWSGUARD_PROFILE"; and printf ' '
            _awsguard_user_fish_right_prompt
        end
    end

    function fish_title --description 'awsguard: with AWSGUARD_TITLE=1 the session, then your title'
        if test "$AWSGUARD_TITLE" = 1
            set -l segment (_awsguard_segment)
            set -q segment[2]; and printf '%s ' $segment[2]
        end
        functions -q _awsguard_user_fish_title; and _awsguard_user_fish_title $argv
    end
end
# <<< prompt
