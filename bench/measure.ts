/**
 * What the bench scripts measure with: the machine and its load, latency percentiles of HTTP
 * requests, CPU time of server processes, and query plans.
 */
import fs from 'node:fs';
import os from 'node:os';
import { sql, type Compilable } from 'kysely';
import type { Db, Dialect } from '../server/src/db/database.js';

/** The machine is shared with other work: every figure is printed next to this. */
export const loadAverage = (): string =>
  os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

export const machine = (): string =>
  `${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`;

/** Runs `fn` over 0..n-1 with at most `limit` calls in flight. */
export async function pool(
  n: number,
  limit: number,
  fn: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, worker));
}

/** The p-th percentile (nearest rank) of samples. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

export function percentiles(samples: number[]): string {
  const f = (p: number) => percentile(samples, p).toFixed(1).padStart(6);
  return `p50 ${f(50)}  p95 ${f(95)}  p99 ${f(99)}  max ${f(100)} ms  (n=${samples.length})`;
}

/** One GET with a bearer token, timed until its whole body has arrived. */
export async function timed(url: string, token: string): Promise<{ ms: number; bytes: number }> {
  const start = process.hrtime.bigint();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = await response.arrayBuffer();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
  return { ms, bytes: body.byteLength };
}

/**
 * CPU seconds used by a process and its children (exiftool's perl processes): the machine is
 * shared, so CPU per photo is reported next to wall-clock rates, which other load distorts.
 */
export function cpuSeconds(pid: number): { server: number; children: number } {
  const ticks = (file: string, fields: number[]) => {
    try {
      // fields after the ")" that ends the command name; utime is field 14 of the whole line
      const after = fs.readFileSync(file, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return fields.reduce((sum, f) => sum + Number(after[f - 3] ?? 0), 0);
    } catch {
      return 0; // the process has ended
    }
  };
  const server = ticks(`/proc/${pid}/stat`, [14, 15]);
  let children = ticks(`/proc/${pid}/stat`, [16, 17]);
  for (const child of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    const stat = (() => {
      try {
        return fs.readFileSync(`/proc/${child}/stat`, 'utf8');
      } catch {
        return '';
      }
    })();
    if (Number(stat.split(') ')[1]?.split(' ')[1]) === pid) {
      children += ticks(`/proc/${child}/stat`, [14, 15]);
    }
  }
  return { server: server / 100, children: children / 100 }; // USER_HZ
}

/**
 * Cores kept busy on the whole machine since the call, by anything (other work included): tells
 * whether a run was bounded by the CPU.
 */
export function busyCores(): () => number {
  const read = () => {
    const fields = (fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '')
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
    return { total: fields.reduce((a, b) => a + b, 0), idle };
  };
  const start = read();
  return () => {
    const now = read();
    const total = now.total - start.total;
    return total > 0 ? (os.cpus().length * (total - (now.idle - start.idle))) / total : 0;
  };
}

/** The plan of a query: EXPLAIN QUERY PLAN on SQLite, EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL. */
export async function explain(db: Db, dialect: Dialect, query: Compilable): Promise<string> {
  const compiled = query.compile();
  const prefix = dialect === 'sqlite' ? 'EXPLAIN QUERY PLAN ' : 'EXPLAIN (ANALYZE, BUFFERS) ';
  // Parameters are inlined by hand: EXPLAIN cannot take bind parameters on every driver.
  let index = 0;
  const inlined = compiled.sql.replace(/\$\d+|\?/g, () => {
    const value = compiled.parameters[index++];
    return typeof value === 'number' ? String(value) : `'${String(value).replaceAll("'", "''")}'`;
  });
  const rows = (await sql.raw<Record<string, unknown>>(prefix + inlined).execute(db)).rows;
  return rows
    .map((r) => (dialect === 'sqlite' ? String(r.detail) : String(r['QUERY PLAN'])))
    .join('\n    ');
}
