/** Unit tests sit next to the code (src/**\/*.spec.ts); e2e tests in test/ (*.e2e-spec.ts). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test', '<rootDir>/sandbox'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Type checking is done once by `npm run typecheck`; transpiling per file keeps Jest fast.
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
  testTimeout: 30000,
};
