/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60_000,
  setupFiles: ['<rootDir>/test/helpers/quiet-runtime.ts'],
  // Unit tests first: they fail fastest.
  testSequencer: '<rootDir>/test/helpers/sequencer.js',
};
