import type { Command } from 'commander';
import { AppError } from '../../../src-shared/contract/errors';
import { currentOf, reviewLabel, reviewStateOf, roleOf, segmentationName } from '../../../src-shared/domain/review';
import { printJson, withCatalogReader } from '../context';
import type { ReadServices } from '../catalog-access';
import { formatTable } from '../text-table';
import { seriesLines, seriesRecordOf } from '../series-record';

/** The whole record of one scan: the scan, its patient, every segmentation (without label maps) and which is current. */
export function scanRecordOf(s: Pick<ReadServices, 'scans' | 'patients' | 'segmentations'>, scanId: number) {
  const scan = s.scans.require(scanId);
  const patient = scan.patientId === null ? null : s.patients.get(scan.patientId);
  const stored = s.segmentations.forScan(scanId);
  const current = currentOf(stored);
  return {
    scan,
    patient,
    reviewState: reviewStateOf(current),
    currentSegmentationId: current?.id ?? null,
    segmentations: stored.map(({ labelMapPng: _labels, ...seg }) => ({ ...seg, role: roleOf(seg), name: segmentationName(seg), current: seg.id === current?.id })),
  };
}

export function registerShow(program: Command): void {
  program
    .command('show')
    .description("Show one catalog scan's whole record: file, patient, eye, scale, tags, review state and every segmentation (read-only: works while the app is open)")
    .requiredOption('--scan <id>', 'the scan id (see `stratum list`)')
    .option('--json', 'print the record as JSON (segmentation summaries included)')
    .action(async (opts: { scan: string; json?: boolean }, command: Command) => {
      const scanId = Number(opts.scan);
      if (!Number.isInteger(scanId) || scanId <= 0) throw new AppError('VALIDATION', `--scan must be a scan id, not "${opts.scan}"`);
      await withCatalogReader(command, async (s) => {
        // the scan as a series (issue 16): kind, B-scans and their geometry, localizer, device segmentation
        const record = { ...scanRecordOf(s, scanId), series: await seriesRecordOf(s, scanId) };
        if (opts.json) return printJson(record);
        const { scan, patient } = record;
        const scale = scan.axialUmPerPx === null ? 'none (thickness in pixels)' : `${scan.axialUmPerPx} x ${scan.lateralUmPerPx} um/px (${scan.scaleProvenance}${scan.scaleSource ? `: ${scan.scaleSource}` : ''})`;
        const lines = [
          ['scan', `${scan.id}${scan.deletedAt ? ` (DELETED ${scan.deletedAt})` : ''}`],
          ['file', scan.originalPath],
          ['stored', `library/${scan.storedFile} (${scan.mime}, ${scan.bytes} bytes, sha256 ${scan.sha256})`],
          ['patient', patient ? `${patient.externalId}${patient.name ? `  ${patient.name}` : ''}${patient.birthDate ? `  born ${patient.birthDate}` : ''}` : '-'],
          ['eye', scan.eye],
          ['acquired', scan.acquiredAt ?? '-'],
          ['device', [scan.device, scan.protocol].filter(Boolean).join(', ') || '-'],
          ['size', `${scan.width} x ${scan.height} px`],
          ['scale', scale],
          ['tags', scan.tags.join(', ') || '-'],
          ['imported', scan.importedAt],
          ['review', `${reviewLabel(record.reviewState)}${scan.flagged ? ' (the quality rules flag a likely failure)' : ''}`],
          ...seriesLines(record.series),
        ];
        process.stdout.write(lines.map(([k, v]) => `${k!.padEnd(9)} ${v}`).join('\n') + '\n');
        if (record.segmentations.length === 0) return void process.stdout.write('segmentations: none\n');
        process.stdout.write('\nsegmentations:\n');
        process.stdout.write(
          formatTable(
            ['ID', 'CURRENT', 'WHAT', 'STORED', 'MEAN TRT', 'SIGNED OFF'],
            record.segmentations.map((g) => [
              String(g.id),
              g.current ? 'yes' : '',
              g.name,
              g.createdAt,
              g.summary?.total.mean == null ? '-' : `${g.summary.total.mean} ${g.summary.total.unit}`,
              g.signOff ? `${g.signOff.by} ${g.signOff.at}` : '-',
            ]),
          ),
        );
      });
    });
}
