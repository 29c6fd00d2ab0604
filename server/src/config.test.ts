import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('has embedded defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.dataDir).toBe(path.resolve('./data'));
    expect(config.databaseUrl).toBeNull();
    expect(config.sqlitePath).toBe(path.resolve('./data/pixelunion.sqlite'));
    expect(config.heapGrowthPercent).toBe(50);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    ['PORT', 'eighty', /PORT must be a whole number/],
    ['PORT', '70000', /PORT must be between 0 and 65535/],
    ['DATABASE_URL', 'mysql://localhost/db', /DATABASE_URL must start with postgres:\/\//],
    ['DATABASE_URL', 'not a url', /DATABASE_URL is not a URL/],
    ['PIXELUNION_JOB_CONCURRENCY', '0', /PIXELUNION_JOB_CONCURRENCY must be between 1 and 64/],
    ['PIXELUNION_LOG_LEVEL', 'loud', /PIXELUNION_LOG_LEVEL must be one of/],
    ['PIXELUNION_HEAP_GROWTH_PERCENT', '500', /must be between 0 and 300/],
  ])('refuses %s=%s, naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('stops the server with a message naming the variable', () => {
    const bin = path.resolve(import.meta.dirname, '../../bin/pixelunion.mjs');
    const result = spawnSync(process.execPath, [bin, 'serve'], {
      env: { ...process.env, PORT: 'eighty' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('PORT must be a whole number');
  });
});
