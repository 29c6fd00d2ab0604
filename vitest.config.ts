import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'web/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'web/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    globalSetup: ['web/test/build.global-setup.ts'],
    pool: 'forks',
    // Most files spend their time waiting (servers, exiftool, ffmpeg, Chromium, PostgreSQL,
    // object storage), so two at once keep CI's two cores busy; the default is cores − 1.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
