import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // e2e tests spawn real shells, the AWS CLI and boto3: two cores are shared by forks.
    pool: 'forks',
    // In CI one more try for a test that failed, as a test that spawns the AWS CLI on two loaded
    // cores can miss a deadline once; .ci/run names every test that needed it, so a flaky test
    // is seen, and one that fails twice still fails the run.
    retry: process.env.CI ? 1 : 0,
    globalSetup: ['test/support/global-setup.ts'],
    // The SDK's notice that it will need Node 22 (the CLI quiets it the same way, in
    // src/credentials/aws-clients.ts): tests that make clients themselves would print it each time.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-results.json' },
  },
});
