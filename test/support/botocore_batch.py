"""Botocore's view of many config/credentials pairs at once, for differential tests.

stdin: JSON list of {"config": base64|null, "credentials": base64|null}
stdout: JSON list of views: {"ok": true, "available_profiles": [...], "profiles": {...},
        "sso_sessions": {...}} or {"ok": false, "file": "config"|"credentials", "line": int|null}
"""
import base64
import configparser
import json
import os
import sys
import tempfile

for name in list(os.environ):
    if name.startswith("AWS_"):
        del os.environ[name]

import botocore.session  # noqa: E402
from botocore.exceptions import ConfigParseError  # noqa: E402


def blamed_line(path):
    cp = configparser.RawConfigParser()
    try:
        cp.read([path])
    except (configparser.DuplicateSectionError, configparser.DuplicateOptionError,
            configparser.MissingSectionHeaderError) as e:
        return e.lineno
    except configparser.ParsingError as e:
        return e.errors[0][0]
    except Exception:
        return None
    return None


def view(tmp, case):
    paths = {}
    for kind in ("config", "credentials"):
        path = os.path.join(tmp, kind)
        if os.path.exists(path):
            os.unlink(path)
        if case.get(kind) is not None:
            with open(path, "wb") as f:
                f.write(base64.b64decode(case[kind]))
        paths[kind] = path
    os.environ["AWS_CONFIG_FILE"] = paths["config"]
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = paths["credentials"]
    session = botocore.session.Session()
    try:
        full = session.full_config
    except ConfigParseError as e:
        kind = "credentials" if str(e).find(paths["credentials"]) != -1 else "config"
        return {"ok": False, "file": kind, "line": blamed_line(paths[kind])}
    profiles = {}
    for name in session.available_profiles:
        profiles[name] = botocore.session.Session(profile=name).get_scoped_config()
    return {
        "ok": True,
        "available_profiles": list(session.available_profiles),
        "profiles": profiles,
        "sso_sessions": full.get("sso_sessions", {}),
    }


def main():
    cases = json.load(sys.stdin)
    with tempfile.TemporaryDirectory() as tmp:
        out = [view(tmp, case) for case in cases]
    json.dump(out, sys.stdout, ensure_ascii=False)


main()
