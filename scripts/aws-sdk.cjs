// The entry of dist/aws-sdk.cjs: the SDK modules awsguard imports, bundled into one file that
// runs from V8's code cache like dist/main.cjs. Loaded from node_modules, a cache miss spent
// more time finding, reading and compiling the SDK's hundreds of files than talking to AWS.
// Each module is evaluated when first asked for (a cache hit asks for none, a role chain for
// STS and IAM), and all of them share one copy of the SDK's core.
'use strict';
module.exports = {
  '@aws-sdk/client-sts': () => require('@aws-sdk/client-sts'),
  '@aws-sdk/client-iam': () => require('@aws-sdk/client-iam'),
  '@aws-sdk/client-sso': () => require('@aws-sdk/client-sso'),
  '@aws-sdk/client-sso-oidc': () => require('@aws-sdk/client-sso-oidc'),
  '@smithy/core/retry': () => require('@smithy/core/retry'),
};
