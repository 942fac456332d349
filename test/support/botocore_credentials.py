"""Which credential provider botocore picks, without calling AWS: its web identity and assume
role providers defer the STS call, so the fetcher they build says what they would ask for.

stdin: a JSON list of {"profile": NAME | null, "env": {...}}; stdout: a JSON list of
{"method", "role_arn"?, "session_name"?, "token_file"?} or {"error": CLASS}. Every AWS_* variable
of the calling process is removed first; each case sets its own (AWS_CONFIG_FILE & co.)."""
import json
import os
import sys

import botocore.session


def choice(case):
    for name in list(os.environ):
        if name.startswith("AWS_"):
            del os.environ[name]
    os.environ.update(case["env"])
    try:
        creds = botocore.session.Session(profile=case["profile"]).get_credentials()
    except Exception as e:  # noqa: BLE001 - the class is the answer
        return {"error": type(e).__name__}
    if creds is None:
        return {"method": None}
    out = {"method": creds.method}
    fetcher = getattr(getattr(creds, "_refresh_using", None), "__self__", None)
    if fetcher is not None and hasattr(fetcher, "_role_arn"):
        out["role_arn"] = fetcher._role_arn
        if not fetcher._using_default_session_name:
            out["session_name"] = fetcher._role_session_name
        loader = getattr(fetcher, "_web_identity_token_loader", None)
        if loader is not None:
            out["token_file"] = loader._web_identity_token_path
    return out


print(json.dumps([choice(c) for c in json.load(sys.stdin)]))
