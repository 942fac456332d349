// The entry of dist/aws-sdk.cjs: the SDK modules awsguard imports, bundled into one file that
// runs from V8's code cache like dist/main.cjs. Loaded from node_modules, a cache miss spent
// more time finding, reading and compiling the SDK's hundreds of files than talking to AWS.
// Each module is evaluated when first asked for (a cache hit asks for none, a role chain for
// STS and IAM), and all of them share one copy of the SDK's core. A client's module is the list
// of what awsguard uses of it (src/credentials/sdk/), each name from its own module of the SDK
// (scripts/build.mjs, sdkParts).
'use strict';
module.exports = {
  '@aws-sdk/client-sts': () => require('../src/credentials/sdk/client-sts.ts'),
  '@aws-sdk/client-iam': () => require('../src/credentials/sdk/client-iam.ts'),
  '@aws-sdk/client-sso': () => require('../src/credentials/sdk/client-sso.ts'),
  '@aws-sdk/client-sso-oidc': () => require('../src/credentials/sdk/client-sso-oidc.ts'),
  '@smithy/core/retry': () => require('@smithy/core/retry'),
  '@smithy/core/config': () => require('@smithy/core/config'),
};
