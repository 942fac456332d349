// What awsguard uses of the SSO portal client (client-sts.ts says why it is listed).
export { SSOClient, GetRoleCredentialsCommand, ListAccountsCommand, ListAccountRolesCommand } from '@aws-sdk/client-sso';
