import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // e2e tests spawn real shells, the AWS CLI and boto3: two cores are shared by forks.
    pool: 'forks',
    globalSetup: ['test/support/global-setup.ts'],
    // The SDK's notice that it will need Node 22 (the CLI quiets it the same way, in
    // src/credentials/aws-clients.ts): tests that make clients themselves would print it each time.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-results.json' },
  },
});
