#!/usr/bin/python3
"""A stand-in MFA helper: prints the RFC 6238 code (HMAC-SHA-1, 30 s, 6 digits) of the base32
secret in $STANDIN_TOTP_SECRET, written apart from the fake AWS's TypeScript TOTP so each checks
the other. $STANDIN_TOTP_OFFSET_FILE, when set, holds seconds added to the clock (tests move time
instead of sleeping). `--fail` exits 3 with a message on stderr; `--hang` never answers.
Used as `mfa_process` and, through the `ykman` wrapper beside it, as a YubiKey."""
import base64, hashlib, hmac, os, struct, sys, time

def code(secret, now):
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    mac = hmac.new(key, struct.pack(">Q", int(now // 30)), hashlib.sha1).digest()
    o = mac[-1] & 0x0F
    n = struct.unpack(">I", mac[o:o + 4])[0] & 0x7FFFFFFF
    return "%06d" % (n % 1000000)

def main(argv):
    if "--fail" in argv:
        sys.stderr.write("the password manager is locked\nrun: pm unlock\n")
        return 3
    if "--hang" in argv:
        time.sleep(3600)
    offset = 0.0
    path = os.environ.get("STANDIN_TOTP_OFFSET_FILE")
    if path and os.path.exists(path):
        offset = float(open(path).read().strip() or 0)
    print(code(os.environ["STANDIN_TOTP_SECRET"], time.time() + offset))
    return 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
