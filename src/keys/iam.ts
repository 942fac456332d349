/**
 * The IAM calls `awsguard keys` makes about a user's own access keys. Each throws a
 * CredentialError naming the step, with AWS's code and message, never the request.
 */
import { iamClient } from '../credentials/aws-clients.js';
import { fail, type StepContext } from '../credentials/sts.js';
import type { Credentials } from '../credentials/types.js';
import type { KeyPair } from './record.js';

export interface AccessKeyInfo {
  accessKeyId: string;
  status: 'Active' | 'Inactive';
  created: Date | undefined;
}

export interface LastUsed {
  at: Date | undefined;
  service: string | undefined;
}

async function call<T>(ctx: StepContext, step: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    fail(ctx, step, err);
  }
}

export async function listAccessKeys(ctx: StepContext, creds: Credentials): Promise<AccessKeyInfo[]> {
  return call(ctx, 'list access keys', async () => {
    const { ListAccessKeysCommand } = await import('../credentials/sdk/client-iam.js');
    const out = await (await iamClient(ctx, creds)).send(new ListAccessKeysCommand({}));
    return (out.AccessKeyMetadata ?? []).map((k) => ({ accessKeyId: k.AccessKeyId ?? '', status: k.Status === 'Inactive' ? 'Inactive' : 'Active', created: k.CreateDate }));
  });
}

export async function lastUsed(ctx: StepContext, creds: Credentials, accessKeyId: string): Promise<LastUsed> {
  return call(ctx, `get last use of ${accessKeyId}`, async () => {
    const { GetAccessKeyLastUsedCommand } = await import('../credentials/sdk/client-iam.js');
    const out = await (await iamClient(ctx, creds)).send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId }));
    const used = out.AccessKeyLastUsed;
    return { at: used?.LastUsedDate, service: used?.ServiceName && used.ServiceName !== 'N/A' ? used.ServiceName : undefined };
  });
}

export async function createAccessKey(ctx: StepContext, creds: Credentials): Promise<KeyPair & { created: Date | undefined }> {
  return call(ctx, 'create access key', async () => {
    const { CreateAccessKeyCommand } = await import('../credentials/sdk/client-iam.js');
    const out = await (await iamClient(ctx, creds)).send(new CreateAccessKeyCommand({}));
    const k = out.AccessKey;
    if (!k?.AccessKeyId || !k.SecretAccessKey) throw new Error('IAM answered CreateAccessKey without a key');
    return { accessKeyId: k.AccessKeyId, secretAccessKey: k.SecretAccessKey, created: k.CreateDate };
  });
}

export async function deactivateAccessKey(ctx: StepContext, creds: Credentials, accessKeyId: string): Promise<void> {
  await call(ctx, `deactivate access key ${accessKeyId}`, async () => {
    const { UpdateAccessKeyCommand } = await import('../credentials/sdk/client-iam.js');
    await (await iamClient(ctx, creds)).send(new UpdateAccessKeyCommand({ AccessKeyId: accessKeyId, Status: 'Inactive' }));
  });
}

export async function deleteAccessKey(ctx: StepContext, creds: Credentials, accessKeyId: string): Promise<void> {
  await call(ctx, `delete access key ${accessKeyId}`, async () => {
    const { DeleteAccessKeyCommand } = await import('../credentials/sdk/client-iam.js');
    await (await iamClient(ctx, creds)).send(new DeleteAccessKeyCommand({ AccessKeyId: accessKeyId }));
  });
}
