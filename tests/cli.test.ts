// The `nianjian` command as a user runs it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { seed, SEED_DIR } from './support/seeds.js';

const BIN = fileURLToPath(new URL('../bin/nianjian.mjs', import.meta.url));
const seedPath = (prefix: string) => fileURLToPath(new URL(seed(prefix).file, SEED_DIR));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('nianjian parse', () => {
  it('prints a Chinese summary: agency, year, format, § 三 totals, findings', () => {
    const r = run('parse', seedPath('003'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('机构：郏县人民政府　年度：2024　格式：2021 年格式　状态：完整报告');
    expect(r.out).toMatch(/一、本年新收　*\t35\t0\t0\t0\t0\t1\t36/);
    expect(r.out).toContain('未发现问题。');
  });

  it('prints exactly the report JSON with --json: one object, or an array for several files', () => {
    const one = JSON.parse(run('parse', seedPath('002'), '--json').out);
    expect(one).toMatchObject({ parser: expect.stringMatching(/^nianbao /), agency: '偃师区工业和信息化局', year: 2023, format: '2021' });
    expect(one.values['s3.new.commercial']).toBe(1);
    expect(one.source).toMatchObject({ file: seed('002').file, mediaType: 'text/plain', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const many = JSON.parse(run('parse', seedPath('000'), seedPath('004'), '--json').out);
    expect(many.map((r: { year: number }) => r.year)).toEqual([2024, 2023]);
  });

  it('lists findings in the summary', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nianjian-'));
    const file = join(dir, 'wrong.txt');
    const text = readFileSync(seedPath('003'), 'utf8').replace('1\t2\t2\t2\t7', '1\t2\t2\t2\t8');
    writeFileSync(file, text);
    const r = run('parse', file);
    expect(r.code).toBe(0);
    expect(r.out).toContain('[错误] S4.GROUP_TOTAL　第四部分“行政复议”：结果维持、结果纠正、其他结果、尚未审结之和为 7，但总计填报 8');
  });

  it('exits non-zero with a clear message when a file cannot be read, and goes on with the next', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nianjian-'));
    writeFileSync(join(dir, 'empty.txt'), '');
    const r = run('parse', join(dir, 'empty.txt'), join(dir, 'none.txt'), seedPath('001'), '--json');
    expect(r.code).toBe(1);
    expect(r.err).toContain('empty.txt：文件为空');
    expect(r.err).toContain('none.txt：文件不存在');
    expect(JSON.parse(r.out)).toHaveLength(1);
  });

  it('explains its usage', () => {
    expect(run('parse').code).toBe(2);
    expect(run('frobnicate')).toMatchObject({ code: 2, err: expect.stringContaining('未知命令') });
    expect(run('--help')).toMatchObject({ code: 0, out: expect.stringContaining('parse FILE') });
  });
});
