#!/usr/bin/env python3
"""Record botocore's view of an AWS config/credentials file pair.

Usage (use an interpreter that has botocore, e.g. Debian's /usr/bin/python3):

    /usr/bin/python3 scripts/botocore-view.py CASE_DIR [CASE_DIR...]
    /usr/bin/python3 scripts/botocore-view.py --write CASE_DIR...
    /usr/bin/python3 scripts/botocore-view.py --all [--write | --check]
    /usr/bin/python3 scripts/botocore-view.py --check          # same as --check --all

A case directory holds `config` and/or `credentials` (either may be absent).
The view is printed as JSON (indent=2, insertion order kept, ensure_ascii=False)
followed by a newline:

    {"ok": true, "available_profiles": [...], "profiles": {...},
     "sso_sessions": {...}, "services": {...}}

or, when botocore cannot load the files:

    {"ok": false, "error": "<botocore exception class>",
     "file": "config" | "credentials" | null, "line": <int> | null,
     "message": "<str(exception)>, temp path replaced by the file's base name"}

A per-profile failure of get_scoped_config() is recorded as
{"__error__": "ClassName: message"} in place of that profile's values.

Interpreter: the child runs /usr/bin/python3 (Debian's botocore 1.29.27, which
recorded the committed expected.json files) when it exists, else the python
running this script; BOTOCORE_VIEW_PYTHON=/path/to/python overrides that.
Newer botocore (seen with 1.43.11) differs on this corpus only in "services":
it parses [services NAME] sections into it and ignores a bare [services].

Determinism: the script re-executes itself in a clean child interpreter
(`-I -X utf8`, an environment holding only PATH, HOME=/nonexistent..., LC_ALL and
an internal marker), so no AWS_* variable, PYTHON* variable or locale of the
calling shell can change the answer.  Files are decoded as UTF-8 (what botocore
does under a UTF-8 locale; botocore itself opens the files with the locale's
encoding).  Each case's files are copied into a fresh temporary directory
named `config` / `credentials`, and that path is replaced by the base name in
messages.

--write   write the view to CASE_DIR/expected.json instead of printing it
--check   compare with the committed CASE_DIR/expected.json; exit 1 and print
          the names (and a diff) of the cases that differ
--all     every directory directly under fixtures/config/ (sorted by name)
"""

import argparse
import configparser
import difflib
import json
import os
import shutil
import sys
import tempfile

MARKER = "_AWSGUARD_BOTOCORE_VIEW_CHILD"
REFERENCE_PYTHON = "/usr/bin/python3"
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURE_ROOT = os.path.join(REPO_ROOT, "fixtures", "config")
FILES = ("config", "credentials")


def _reexec_clean():
    """Re-run this script in a clean interpreter and environment."""
    # The committed expected.json files were recorded with Debian's botocore
    # 1.29.27 under /usr/bin/python3; prefer that interpreter whatever python
    # ran this script, so `--check` does not depend on PATH.  Another botocore
    # can be used on purpose with BOTOCORE_VIEW_PYTHON=/path/to/python.
    python = os.environ.get("BOTOCORE_VIEW_PYTHON")
    if not python:
        python = REFERENCE_PYTHON if os.path.exists(REFERENCE_PYTHON) else sys.executable
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": "/nonexistent/awsguard-botocore-view-home",
        "LC_ALL": "C.UTF-8",
        MARKER: "1",
    }
    argv = [python, "-I", "-X", "utf8", os.path.abspath(__file__)] + sys.argv[1:]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(python, argv, env)


def _configparser_line(path):
    """1-based line configparser blames when parsing `path`, or None."""
    cp = configparser.RawConfigParser()
    try:
        cp.read([path])
    except (configparser.DuplicateSectionError, configparser.DuplicateOptionError) as e:
        return e.lineno
    except configparser.MissingSectionHeaderError as e:
        return e.lineno
    except configparser.ParsingError as e:
        return e.errors[0][0] if e.errors else None
    except Exception:
        return None
    return None


def _error_file(exc, paths):
    """Which of the case's files (`config`/`credentials`) the error is about."""
    kwargs = getattr(exc, "kwargs", None) or {}
    path = kwargs.get("path")
    for name, p in paths.items():
        if path == p:
            return name
    # Fall back to whichever file botocore itself cannot parse (config first,
    # which is also the order botocore reads them in).
    import botocore.configloader

    for name in FILES:
        try:
            botocore.configloader.raw_config_parse(paths[name])
        except botocore.exceptions.ConfigNotFound:
            continue
        except Exception:
            return name
    return None


def _scrub(text, paths, tmpdir):
    for name, p in paths.items():
        text = text.replace(p, name)
    return text.replace(tmpdir + os.sep, "").replace(tmpdir, "")


def _view_in(tmpdir, paths):
    import botocore.exceptions
    import botocore.session

    for var in list(os.environ):
        if var.startswith("AWS_") or var.startswith("BOTO"):
            del os.environ[var]
    os.environ["AWS_CONFIG_FILE"] = paths["config"]
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = paths["credentials"]

    try:
        session = botocore.session.Session()
        full = session.full_config
        names = list(session.available_profiles)
    except Exception as e:
        file = _error_file(e, paths)
        return {
            "ok": False,
            "error": type(e).__name__,
            "file": file,
            "line": _configparser_line(paths[file]) if file else None,
            "message": _scrub(str(e), paths, tmpdir),
        }

    profiles = {}
    for name in names:
        try:
            scoped = botocore.session.Session(profile=name).get_scoped_config()
            profiles[name] = scoped
        except Exception as e:
            profiles[name] = {
                "__error__": "%s: %s" % (type(e).__name__, _scrub(str(e), paths, tmpdir))
            }
    return {
        "ok": True,
        "available_profiles": names,
        "profiles": profiles,
        "sso_sessions": full.get("sso_sessions", {}),
        "services": full.get("services", {}),
    }


def view(case_dir):
    """botocore's view of CASE_DIR as a JSON-able dict."""
    tmpdir = tempfile.mkdtemp(prefix="botocore-view-")
    try:
        paths = {}
        for name in FILES:
            dst = os.path.join(tmpdir, name)
            src = os.path.join(case_dir, name)
            if os.path.isfile(src):
                shutil.copyfile(src, dst)
            paths[name] = dst  # does not exist when the case lacks the file
        return _view_in(tmpdir, paths)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def render(case_dir):
    return json.dumps(view(case_dir), indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def all_cases():
    if not os.path.isdir(FIXTURE_ROOT):
        return []
    return [
        os.path.join(FIXTURE_ROOT, d)
        for d in sorted(os.listdir(FIXTURE_ROOT))
        if os.path.isdir(os.path.join(FIXTURE_ROOT, d))
    ]


def main():
    ap = argparse.ArgumentParser(description="Print botocore's view of AWS config case directories.")
    ap.add_argument("cases", nargs="*", metavar="CASE_DIR")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="write CASE_DIR/expected.json")
    mode.add_argument("--check", action="store_true", help="compare with CASE_DIR/expected.json")
    ap.add_argument("--all", action="store_true", help="every directory under fixtures/config/")
    args = ap.parse_args()

    cases = list(args.cases)
    if args.all or (args.check and not cases):
        cases += all_cases()
    if not cases:
        ap.error("give CASE_DIR(s) or --all")
    for c in cases:
        if not os.path.isdir(c):
            ap.error("not a directory: %s" % c)

    import botocore

    failed = []
    out = sys.stdout
    for case in cases:
        text = render(case)
        expected_path = os.path.join(case, "expected.json")
        if args.write:
            with open(expected_path, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
        elif args.check:
            try:
                with open(expected_path, "r", encoding="utf-8", newline="") as f:
                    old = f.read()
            except FileNotFoundError:
                old = None
            if old != text:
                failed.append(case)
                out.write("DIFFERS: %s\n" % os.path.relpath(case, REPO_ROOT))
                if old is None:
                    out.write("  (no expected.json)\n")
                else:
                    out.writelines(
                        difflib.unified_diff(
                            old.splitlines(True),
                            text.splitlines(True),
                            "expected.json (committed)",
                            "botocore %s (now)" % botocore.__version__,
                        )
                    )
        else:
            out.write(text)
    if args.check:
        if failed:
            out.write(
                "%d of %d case(s) differ from botocore %s\n"
                % (len(failed), len(cases), botocore.__version__)
            )
            return 1
        out.write("all %d case(s) match botocore %s\n" % (len(cases), botocore.__version__))
    return 0


if __name__ == "__main__":
    if os.environ.get(MARKER) != "1":
        _reexec_clean()
    sys.exit(main())
