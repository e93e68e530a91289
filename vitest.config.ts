import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  resolve: { alias: { 'virtual:pwa-register/react': new URL('./src/test/pwaRegister.ts', import.meta.url).pathname } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          setupFiles: ['tests/support/nodeSetup.ts'],
          include: ['domain/**/*.test.ts', 'sync-server/**/*.test.ts', 'eslint/**/*.test.ts', 'recordModel/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/fault/**/*.test.ts', 'tests/security/**/*.test.ts', 'tests/build/**/*.test.ts', 'src/lib/document/**/*.test.ts', 'src/lib/pdf/**/*.test.ts', 'tests/pdf/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: ['src/**/*.test.{ts,tsx}'],
          exclude: ['src/lib/document/**', 'src/lib/pdf/**'],
          setupFiles: ['src/test/setup.ts'],
          testTimeout: 20_000,
        },
      },
    ],
  },
});
