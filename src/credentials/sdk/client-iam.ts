// What awsguard uses of the IAM client (client-sts.ts says why it is listed).
export { IAMClient, ListAccountAliasesCommand, ListAccessKeysCommand, GetAccessKeyLastUsedCommand, CreateAccessKeyCommand, UpdateAccessKeyCommand, DeleteAccessKeyCommand } from '@aws-sdk/client-iam';
