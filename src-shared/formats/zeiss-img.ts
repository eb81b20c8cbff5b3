import { checkCount, checkImageSize, readRange } from './binary';
import { FormatError } from './errors';
import { checkIndex, kindFromCount, makeScale } from './series-parts';
import type { ByteSource, FormatReader, GreyImage, OctSeries, StatedDimensions } from './types';

/**
 * Zeiss Cirrus raw cube (.img): no header at all, only uint8 samples. Each B-scan is `depth` rows of
 * `width` A-scan samples, stored bottom row first (the choroid comes before the vitreous), so rows are
 * flipped for display. The dimensions come from the caller, or from the byte count of the two cube
 * sizes Cirrus writes; any other multiple of 512 x 1024 is read as N B-scans of 512 x 1024 and says so.
 * Nothing else (scale, eye, date) is in the file.
 */

const DEPTH = 1024;
const KNOWN_CUBES: readonly { label: string; bscans: number; width: number; height: number }[] = [
  { label: '512 x 128 macular cube', bscans: 128, width: 512, height: DEPTH },
  { label: '200 x 200 cube', bscans: 200, width: 200, height: DEPTH },
];

interface Layout {
  dims: StatedDimensions;
  source: OctSeries['dimensionsSource'];
  note: string;
}

function layoutFor(file: string, size: number, stated: StatedDimensions | undefined): Layout {
  if (stated) {
    checkCount(file, 'stated B-scan count', stated.bscans);
    checkImageSize(file, 'stated width/height', stated.width, stated.height);
    const needed = stated.bscans * stated.width * stated.height;
    if (needed !== size) {
      throw new FormatError(file, 'stated dimensions', `${stated.bscans} x ${stated.width} x ${stated.height} = ${needed} bytes but the file has ${size}`, 'needs-input');
    }
    return { dims: stated, source: 'caller', note: 'Dimensions stated by the caller.' };
  }
  for (const cube of KNOWN_CUBES) {
    if (cube.bscans * cube.width * cube.height === size) {
      return { dims: cube, source: 'inferred from size', note: `Dimensions inferred from size: ${size} bytes is the Cirrus ${cube.label} (${cube.width} A-scans x ${cube.height} deep x ${cube.bscans} B-scans).` };
    }
  }
  const bscanBytes = 512 * DEPTH;
  if (size > 0 && size % bscanBytes === 0) {
    const bscans = size / bscanBytes;
    checkCount(file, 'B-scan count inferred from size', bscans);
    return {
      dims: { bscans, width: 512, height: DEPTH },
      source: 'inferred from size',
      note: `Dimensions inferred from size: ${size} bytes read as ${bscans} B-scans of 512 A-scans x ${DEPTH} deep (not a full Cirrus cube: state the dimensions if this is wrong).`,
    };
  }
  throw new FormatError(
    file,
    'dimensions',
    `a Zeiss .img has no header and ${size} bytes match no known cube (512 x 128 x 1024, 200 x 200 x 1024): state B-scans, width and depth`,
    'needs-input',
  );
}

async function detect({ source }: { source: ByteSource }): Promise<boolean> {
  return /\.img$/i.test(source.name) && source.size > 0;
}

async function open({ source, dimensions }: { source: ByteSource; dimensions?: StatedDimensions }): Promise<OctSeries> {
  const file = source.name;
  const layout = layoutFor(file, source.size, dimensions);
  const { bscans, width, height } = layout.dims;
  const bscanBytes = width * height;
  const bscan = async (index: number): Promise<GreyImage> => {
    checkIndex(file, index, bscans);
    const raw = await readRange(source, index * bscanBytes, bscanBytes, `B-scan ${index}`);
    const pixels = new Uint8Array(bscanBytes);
    for (let row = 0; row < height; row++) pixels.set(raw.subarray((height - 1 - row) * width, (height - row) * width), row * width);
    return { width, height, pixels };
  };
  return {
    format: 'zeiss-img',
    formatLabel: 'Zeiss Cirrus IMG',
    version: null,
    kind: kindFromCount(bscans),
    bscanCount: bscans,
    width,
    height,
    dimensionsSource: layout.source,
    bscan,
    bscanMeta: Array.from({ length: bscans }, () => ({ geometry: null, quality: null })),
    localizer: null,
    scale: makeScale({ axial: null, lateral: null, betweenBscans: null }),
    eye: null,
    acquired: null,
    device: 'Zeiss Cirrus',
    protocol: null,
    deviceBoundaries: null,
    notes: [
      layout.note,
      'A Cirrus .img holds no scale, eye, date or localizer: those must come from elsewhere (the manifest).',
      'Rows are flipped so the vitreous is at the top; the lateral direction is as stored (not verified).',
    ],
  };
}

export const zeissImgReader: FormatReader = { id: 'zeiss-img', label: 'Zeiss Cirrus IMG', detect, open };
