import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { haveSharedData, sharedData } from '../../../test-support/shared-data';
import { openSeriesFile } from '../formats/open-series-file';
import { analyseVolume } from '../enface/analyse-volume';
import { volumeReportInput } from '../enface/volume-report-data';
import { sourceFromSeries } from '../enface/volume-source';
import { SegmentationService } from '../segmentation/segmentation-service';
import { svgPagesToPdf, svgToPng } from './render';
import { composeVolumeReportSvg } from './volume-layout';

const XML = sharedData('formats', 'eyepy', 'tests', 'data', 'filetypes', 'heyex_xml', 'test_volume', 'test_dummy.xml');

describe.skipIf(!haveSharedData('formats', 'eyepy'))('volume report', () => {
  it('composes one page from the real export (Stratum segmented now + the device lines): PDF and PNG from one SVG', async () => {
    const { series, close } = await openSeriesFile(XML);
    const service = new SegmentationService({});
    try {
      const source = sourceFromSeries(series, 'test_dummy.xml');
      const r = await analyseVolume(source, { service });
      expect(r.segmentation!.segmented).toBe(10);
      const input = await volumeReportInput(r, { service, appVersion: '9.9.9', reportDate: '2026-01-02T03:04:05Z' });
      const svg = composeVolumeReportSvg(input);
      // the sections a reader looks for, with this volume's facts
      for (const s of ['OCT volume report', 'Localizer, B-scan lines and ETDRS grid', 'ETDRS grid per layer', 'Device comparison, total retina', 'RPE elevation and drusen', 'Segmentation', 'Review', 'Flags', 'Heidelberg Engineering Spectralis', 'OD (right) · file', '3.872 µm/px axial']) {
        expect(svg).toContain(s);
      }
      expect(svg).toMatch(/B-scan \d+ of 10, \d+ µm from the fovea/);
      expect(svg).toContain('partial coverage (under 80 % of the subfield scanned)');
      expect(svg).toContain('Not reviewed (not in the catalog)');
      expect(svg).toContain('Stratum 9.9.9');
      // the localizer of this export is embedded, and so are the map and the B-scan
      expect(svg.match(/xlink:href="data:image\/png;base64,/g)?.length).toBe(3);
      expect(input.foveaBscan!.difference!.map((d) => d.name)).toEqual(expect.arrayContaining(['ILM', 'BM']));
      const pdf = await svgPagesToPdf([svg], { title: 'volume' });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdf.toString('latin1').match(/\/Type \/Page\b/g)).toHaveLength(1);
      const png = await svgToPng(svg);
      expect((await sharp(png).metadata()).width).toBe(1654);
    } finally {
      await service.close();
      await close();
    }
  });
});
