import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { haveSharedData, sharedData } from '../../../test-support/shared-data';
import { FORMAT_FIXTURES, fixturePath } from '../../../test/hostile/formats-fixtures';
import { openSeriesFile } from '../../services/formats/open-series-file';
import { registerInspect } from './inspect';

async function run(args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number | undefined }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    const program = new Command('stratum').exitOverride();
    registerInspect(program);
    await program.parseAsync(['node', 'stratum', 'inspect', ...args]);
    return { stdout, stderr, exitCode: process.exitCode as number | undefined };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = before;
  }
}

afterEach(() => vi.restoreAllMocks());

describe.skipIf(!haveSharedData('formats'))('stratum inspect', () => {
  it('prints format, kind, sizes, scale with provenance, eye, date, device, localizer and device lines', async () => {
    const { stdout, exitCode } = await run([fixturePath(FORMAT_FIXTURES.volLine!)]);
    expect(exitCode).toBeUndefined();
    expect(stdout).toContain('format       Heidelberg VOL (HSF-OCT-103)');
    expect(stdout).toContain('kind         line, 1 B-scan of 768 x 496');
    expect(stdout).toMatch(/scale\s+axial 3\.8717 µm\/px, lateral 11\.8206 µm\/px \(provenance file: VOL header scale_y; VOL header scale_x\)/);
    expect(stdout).toContain('eye          OD (file: scan_position)');
    expect(stdout).toContain('acquired     2017-01-11T14:27:41.621Z');
    expect(stdout).toContain('localizer    768 x 768, 0.0118206 mm/px (IR (SLO))');
    expect(stdout).toContain('device lines ILM, BM (Heidelberg VOL segmentation lines, 1 B-scans)');
  });

  it('--json: one result per file; a bad file is reported with its code and the rest carry on (exit 1); no patient field anywhere', async () => {
    const files = [fixturePath(FORMAT_FIXTURES.volLine!), sharedData('formats', 'panimg', 'tests', 'resources', 'oct', 'corrupt.fds'), fixturePath(FORMAT_FIXTURES.xmlEyepy!), sharedData('formats', 'no-such.vol')];
    const { stdout, exitCode } = await run([...files, '--json']);
    expect(exitCode).toBe(1);
    const results = JSON.parse(stdout) as { file: string; ok: boolean; series?: { format: string; bscanCount: number }; error?: { code: string; message: string } }[];
    expect(results.map((r) => [r.ok, r.series?.format ?? r.error?.code])).toEqual([
      [true, 'heidelberg-vol'],
      [false, 'BAD_INPUT'],
      [true, 'heidelberg-xml'],
      [false, 'NOT_FOUND'],
    ]);
    expect(results[1]?.error?.message).toMatch(/corrupt\.fds: file: the file is empty \(0 bytes\)/);
    for (const file of [files[0]!, files[2]!]) {
      const { series, close } = await openSeriesFile(file);
      const values = Object.values(series.patient ?? {}).filter((v) => v.length >= 3 && !series.acquired?.startsWith(v));
      await close();
      expect(values.length).toBeGreaterThan(0);
      for (const v of values) expect(stdout).not.toContain(v);
    }
  });

  it('--read-all decodes every B-scan of the 145-B-scan XML volume; --dimensions and --series are checked', async () => {
    const { stdout } = await run([sharedData('formats', 'heyex-xml-volume'), '--read-all']);
    expect(stdout).toMatch(/read\s+145 B-scans in \d+ ms, mean grey \d+/);
    expect(stdout).toContain('pairing      <ImageNumber>-Input.tif');
    await expect(run([fixturePath(FORMAT_FIXTURES.zeiss!), '--dimensions', '4x512'])).rejects.toThrow(/--dimensions must be BSCANSxWIDTHxDEPTH/);
    const stated = await run([fixturePath(FORMAT_FIXTURES.zeiss!), '--dimensions', '8x512x512']);
    expect(stated.stdout).toContain('kind         volume, 8 B-scans of 512 x 512 (dimensions caller)');
  });
});
