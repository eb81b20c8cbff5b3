import { z } from 'zod';
import { channel } from '../define';
import { MAP_KEYS, type MapKey } from '../../analysis/enface/surfaces';
import type { ColourScale } from '../../analysis/enface/colour-scale';
import type { GridStats } from '../../analysis/enface/etdrs';
import type { Fovea3d } from '../../analysis/enface/fovea-3d';
import type { EnfaceMapExport } from '../../analysis/enface/enface-map';
import type { Laterality } from '../../domain/laterality';

const scanId = z.number().int().positive();
const absolutePath = z.string().min(1).max(4096).regex(/^(\/|[A-Za-z]:[\\/]|\\\\)/, 'an absolute path');

/** One en-face map as the viewer draws it: the grid on the localizer plane, row-major, null for no data. */
export interface EnfaceMapView extends EnfaceMapExport {
  scanId: number;
  layer: MapKey;
  /** The colour scale (perceptually uniform) and its range in µm. */
  scale: ColourScale;
  /** The ETDRS grid of this map around the fovea, with coverage and partial flags; subfield names follow the eye. */
  grid: GridStats | null;
  fovea: Fovea3d;
  eye: Laterality;
  /** The maps this source has (the layer picker offers these). */
  available: MapKey[];
  /** Whose maps exist for this scan. */
  sources: ('stratum' | 'device')[];
}

export const enfaceChannels = {
  'enface.maps': channel<EnfaceMapView>()({
    description:
      "One en-face thickness map of a volume scan (`layer`: 'total' or a layer of the layer table; RPE is the RPE complex, RPE top to BM) from Stratum's segmentation or the device's lines: the grid (origin, spacing in mm, rows x cols, µm or null), the colour scale's range, the ETDRS grid (mean, volume, coverage %, partial under 80 %) and the fovea (how found, confidence). Cached per scan and segmentation state. BAD_INPUT for a scan that is no volume; NOT_FOUND when the source has no such map.",
    request: z.object({ scanId, layer: z.enum(MAP_KEYS as [MapKey, ...MapKey[]]), source: z.enum(['stratum', 'device']) }).strict(),
    errors: ['NOT_FOUND', 'BAD_INPUT'],
  }),
  'enface.setFovea': channel<{ scanId: number; fovea: { xMm: number; yMm: number; by: string; at: string } | null }>()({
    description:
      "Places a volume scan's fovea (the ETDRS grid centre; mm on the localizer, inside the scanned area) or, with `fovea: null`, returns it to automatic. Stored on the scan, audited with before and after, announced by catalog.changed; enface.maps then grades around it (how found: 'set by <user>'). VALIDATION naming the field for a position outside the scanned area.",
    request: z
      .object({ scanId, fovea: z.object({ xMm: z.number().finite().min(-1000).max(1000), yMm: z.number().finite().min(-1000).max(1000) }).strict().nullable() })
      .strict(),
    errors: ['NOT_FOUND', 'BAD_INPUT', 'VALIDATION'],
  }),
  'enface.exportReport': channel<{ path: string }>()({
    description: "Writes a volume scan's volume report (maps, ETDRS grid with coverage, device comparison, drusen, fovea B-scan) as a vector PDF to `path` (default: the data folder's reports/); returns the path.",
    request: z.object({ scanId, path: absolutePath.optional() }).strict(),
    errors: ['NOT_FOUND', 'BAD_INPUT', 'IO'],
  }),
} as const;
