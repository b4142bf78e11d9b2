import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runValuationCli } from '../../../src/cli/valuation.ts';
import type { Sale } from '../../../src/domain/valuation/index.ts';
import { syntheticSales, toKcCsv } from './fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'valuation-cli-'));
const sales = syntheticSales(120);
const salesPath = join(dir, 'sales.csv');
writeFileSync(salesPath, toKcCsv(sales));

function subjects(): Sale[] {
  return [
    { ...sales[100]!, id: 'late', date: new Date(Date.UTC(2014, 6, 1)) },
    { ...sales[5]!, id: 'too-early', date: new Date(Date.UTC(2013, 0, 1)) },
    { ...sales[50]!, id: 'mid', date: new Date(Date.UTC(2014, 2, 1)) },
  ];
}

describe('valuation CLI contract', () => {
  it('writes the exact header, one row per subject in input order, empty estimate when unvaluable', () => {
    const subjectsPath = join(dir, 'subjects.csv');
    const outPath = join(dir, 'out.csv');
    writeFileSync(subjectsPath, toKcCsv(subjects(), false));
    runValuationCli(['--sales', salesPath, '--subjects', subjectsPath, '--out', outPath]);
    const lines = readFileSync(outPath, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('id,date,estimate,low,high,comps_used');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['late', 'too-early', 'mid']);
    expect(lines[1]).toMatch(/^late,20140701T000000,\d+,\d+,\d+,\d+$/);
    expect(lines[2]).toBe('too-early,20130101T000000,,,,0');
    const [, , est, low, high, used] = lines[3]!.split(',');
    expect(Number(low)).toBeLessThan(Number(est));
    expect(Number(high)).toBeGreaterThan(Number(est));
    expect(Number(used)).toBeGreaterThan(0);
  });

  it('values each subject only from sales strictly before its date', () => {
    const subjectsPath = join(dir, 'subjects2.csv');
    const outA = join(dir, 'a.csv');
    const outB = join(dir, 'b.csv');
    const subj = [{ ...sales[60]!, id: 'x', date: new Date(Date.UTC(2014, 3, 1)) }];
    writeFileSync(subjectsPath, toKcCsv(subj, false));
    runValuationCli(['--sales', salesPath, '--subjects', subjectsPath, '--out', outA]);
    const withFuture = join(dir, 'sales-future.csv');
    writeFileSync(
      withFuture,
      toKcCsv([
        ...sales,
        { ...subj[0]!, id: 'future', price: 99_000_000 },
        { ...subj[0]!, id: 'f2', date: new Date(Date.UTC(2014, 3, 2)), price: 99_000_000 },
      ]),
    );
    runValuationCli(['--sales', withFuture, '--subjects', subjectsPath, '--out', outB]);
    expect(readFileSync(outB, 'utf8')).toBe(readFileSync(outA, 'utf8'));
  });

  it('fails with the line number of a malformed row, on stderr, with a non-zero exit and no stdout', () => {
    const subjectsPath = join(dir, 'bad.csv');
    const text = toKcCsv(subjects(), false).split('\n');
    text[2] = text[2]!.replace(/,1200,|,\d+,5000,/, ',not-a-number,5000,');
    writeFileSync(subjectsPath, text.join('\n'));
    expect(() =>
      runValuationCli(['--sales', salesPath, '--subjects', subjectsPath, '--out', join(dir, 'bad-out.csv')]),
    ).toThrow(/line 3/);
    const res = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/valuation.ts',
        '--sales',
        salesPath,
        '--subjects',
        subjectsPath,
        '--out',
        join(dir, 'x.csv'),
      ],
      { encoding: 'utf8' },
    );
    expect(res.status).not.toBe(0);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(/bad\.csv: line 3: invalid sqft_living/);
  });

  it('rejects missing arguments', () => {
    expect(() => runValuationCli(['--sales', salesPath])).toThrow(/usage/);
  });
});
