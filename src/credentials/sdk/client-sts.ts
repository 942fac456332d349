// The parts of each AWS SDK client that awsguard uses, and only those: dist/aws-sdk.cjs
// bundles each name from its own module (scripts/build.mjs, sdkParts), so a cache miss does not
// load every command of a service, and a name used but not listed here fails the type check.
export { STSClient, AssumeRoleCommand, AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, GetFederationTokenCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
