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
            AWSGUARD_SHELL=fish command $_awsguard_bin $argv # tells `awsguard doctor` it is loaded
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

# Prints e.g. "aws:ci@acme-dev 42m"; protected "!aws:prod@acme-prod 42m" in red; "... expired"
# once past AWSGUARD_EXPIRES; nothing without a session. Builtins only, so no process starts;
# and few command substitutions, as each costs fish about 50 µs.
function awsguard_prompt --description 'awsguard: the session in this shell, for a prompt'
    test -n "$AWSGUARD_PROFILE"; or return 0
    set -l id $AWSGUARD_ACCOUNT_ALIAS
    test -n "$id"; or set id $AWSGUARD_ACCOUNT_ID
    set -l text "aws:$AWSGUARD_PROFILE@$id"
    # Names come from config files and the environment: nothing but these may reach the terminal.
    string match -qr '^[A-Za-z0-9._@:/+=-]*\z' -- $text
    or set text (string replace -ra '[^A-Za-z0-9._@:/+=-]' '?' -- $text)
    set -l colour cyan
    if test "$AWSGUARD_PROTECTED" = 1
        set text "!$text"
        set colour red
    end
    # Up to 12 digits (\z: not even a newline after them), else no time: math would complain.
    if string match -qr '^[0-9]{1,12}\z' -- "$AWSGUARD_EXPIRES"; and builtin -q path
        # fish has no $EPOCHSECONDS. The path builtin gives a file's mtime and, with --relative,
        # the seconds since then: their sum is now. Any file that exists will do; / always does.
        set -l mtime (path mtime /; path mtime --relative /)
        set -l left (math "$AWSGUARD_EXPIRES - $mtime[1] - $mtime[2]")
        # Minutes round down, as the identity line's (src/guard/banner.ts): no time promised that is not there.
        if test $left -ge 60
            set text "$text "(math "floor($left / 60)")"m"
        else if test $left -gt 0
            set text "$text <1m"
        else
            set text "$text expired"
            test $colour = red; or set colour yellow
        end
    end
    if test -n "$NO_COLOR"
        printf '%s' $text
    else
        set_color $colour
        printf '%s' $text
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
        if test "$AWSGUARD_TITLE" = 1; and test -n "$AWSGUARD_PROFILE"
            NO_COLOR=1 awsguard_prompt
            printf ' '
        end
        functions -q _awsguard_user_fish_title; and _awsguard_user_fish_title $argv
    end
end
# <<< prompt
