"""A long-running child for `awsguard exec --server`: keeps calling AWS across several
credential expiries with boto3 and the AWS CLI, probes the endpoint without and with a
wrong token, and reports what it saw as JSON on stdout.

It runs for at least `seconds`, and on until it has made six calls with each client and seen
four sessions (or 45 seconds have passed): on a loaded machine one AWS CLI start can take
seconds, and a fixed time would then measure the machine rather than the renewals."""
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import boto3

seconds = float(sys.argv[1])
url = os.environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"]
report = {"url": url, "boto3_ok": 0, "boto3_errors": [], "cli_ok": 0, "cli_errors": [], "keys": [], "static_keys_in_env": "AWS_ACCESS_KEY_ID" in os.environ}

def status(headers):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code

report["no_token"] = status({})
report["wrong_token"] = status({"Authorization": "not-the-token"})

sts = boto3.Session().client("sts", endpoint_url=os.environ["AWS_ENDPOINT_URL_STS"], region_name="us-east-1")
start = time.time()
def done():
    elapsed = time.time() - start
    enough = report["boto3_ok"] >= 6 and report["cli_ok"] >= 6 and len(report["keys"]) >= 4
    return elapsed >= 45 or (elapsed >= seconds and enough)
while not done():
    try:
        sts.get_caller_identity()
        report["boto3_ok"] += 1
        key = sts._request_signer._credentials.get_frozen_credentials().access_key
        if key not in report["keys"]:
            report["keys"].append(key)
    except Exception as e:  # noqa: BLE001 - the report is the point
        report["boto3_errors"].append(str(e)[:200])
    r = subprocess.run(["/usr/bin/aws", "sts", "get-caller-identity", "--endpoint-url", os.environ["AWS_ENDPOINT_URL_STS"], "--output", "json"], capture_output=True, text=True)
    if r.returncode == 0:
        report["cli_ok"] += 1
    else:
        report["cli_errors"].append(r.stderr[-200:])
    time.sleep(0.3)
print(json.dumps(report))
