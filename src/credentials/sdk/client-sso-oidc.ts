// What awsguard uses of the SSO-OIDC client (client-sts.ts says why it is listed).
export { SSOOIDCClient, CreateTokenCommand, RegisterClientCommand, StartDeviceAuthorizationCommand } from '@aws-sdk/client-sso-oidc';
