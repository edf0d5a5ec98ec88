// Jest tiers are chosen by file suffix: *.spec.ts (unit), *.int.spec.ts (real NATS + Postgres),
// *.e2e.spec.ts (the platform's processes through the gateway).
import { readFileSync } from 'node:fs';

const swcrc = JSON.parse(readFileSync(new URL('./.swcrc', import.meta.url), 'utf8'));
delete swcrc.$schema;
const tsconfig = JSON.parse(readFileSync(new URL('./tsconfig.base.json', import.meta.url), 'utf8'));

const moduleNameMapper = {
  '^(\\.{1,2}/.*)\\.js$': '$1',
  ...Object.fromEntries(Object.entries(tsconfig.compilerOptions.paths).map(([alias, [target]]) => [`^${alias.replace('/', '\\/')}$`, `<rootDir>/${target}`])),
};

const common = {
  rootDir: '.',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tools'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper,
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false, jsc: { ...swcrc.jsc, paths: undefined, baseUrl: undefined } }] },
  testEnvironment: 'node',
};

export default {
  // Several tests and hooks start worker threads, servers or whole services; on a 2-core machine under load the
  // 5 s default cuts them off. A global option: inside a project's config it is not applied.
  testTimeout: 30_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['**/*.spec.ts'], testPathIgnorePatterns: ['\\.int\\.spec\\.ts$', '\\.e2e\\.spec\\.ts$', '/node_modules/'] },
    { ...common, displayName: 'int', testMatch: ['**/*.int.spec.ts'], globalSetup: '<rootDir>/libs/testing/src/jest-global-setup.ts' },
    { ...common, displayName: 'e2e', testMatch: ['**/*.e2e.spec.ts'], globalSetup: '<rootDir>/libs/testing/src/jest-global-setup.ts' },
  ],
};
