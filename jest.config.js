/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': '<rootDir>/test/support/esbuild-transform.js' },
  snapshotSerializers: ['<rootDir>/test/support/stable-serializer.ts'],
  // CDK synth is CPU-bound; two cores, two workers.
  maxWorkers: 2,
  testTimeout: 120000,
};
