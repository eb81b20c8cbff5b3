import type { LayerOrderFinding } from './layer-order-audit';

/** What a conversion did, image by image; the same object for the CLI (--json), IPC and tests. */
export interface ImageConversionReport {
  readonly image: string;
  /** The mask written (absent when the image was missing and its size unknown). */
  readonly mask?: string;
  readonly preview?: string;
  readonly width?: number;
  readonly height?: number;
  readonly polygons: number;
  /** Class indices present in the mask, and layer classes (1-8) absent from it. */
  readonly classesPresent: number[];
  readonly classesMissing: number[];
  /** Pixels claimed by polygons of two classes (the later polygon wins); shared outlines count too. */
  readonly overlaps: { classes: [number, number]; pixels: number }[];
  /** Polygons with points outside the image (clipped). */
  readonly outside: { entry: string; label: string }[];
  /** Polygons out of anatomical layer order (after any corrections), with the relabel that fixes each. */
  readonly layerOrder: LayerOrderFinding[];
  /** The image listed in the annotation file is not on disk. */
  readonly imageMissing: boolean;
  /** Agreement with a reference mask, when one was asked for. */
  readonly agreement?: number;
  /** With "into the catalog": the scan and manual segmentation it was attached to, or why not. */
  readonly catalog?: { scanId: number; segmentationId: number } | { skipped: string };
  /** Why this image could not be converted (unreadable or too large an image, a write error); the others were. */
  readonly error?: string;
}

export interface ConversionReport {
  readonly source: string[];
  readonly outDir: string;
  readonly dictionary: string;
  readonly images: ImageConversionReport[];
  readonly masksWritten: number;
  /** Annotated images not found on disk. */
  readonly imagesMissing: string[];
  /** Images on disk that no annotation mentions. */
  readonly imagesWithoutAnnotation: string[];
  /** Images whose conversion failed (each has `error`). */
  readonly imagesFailed: number;
  /** Annotation files refused as a whole (COCO takes several), with the reason; the others were converted. */
  readonly filesRefused?: { file: string; error: string }[];
  /** The corrections file applied to the labels, and how many regions it relabelled. */
  readonly corrections?: { file: string; applied: number };
  /** Where proposed corrections were written (`--propose-corrections`), and how many. */
  readonly proposedCorrections?: { file: string; count: number };
  /** min / mean agreement with the reference masks (when compared). */
  readonly agreement?: { min: number; mean: number; compared: number };
}

export interface GreyMaskReport {
  readonly inDir: string;
  readonly outDir: string;
  readonly masks: { file: string; mask?: string; encoding?: string; error?: string; agreement?: number }[];
  readonly decoded: number;
  readonly refused: number;
  readonly agreement?: { min: number; mean: number; compared: number };
}

export interface ToVggReport {
  readonly masksDir: string;
  readonly out: string;
  readonly images: { image: string; polygons: number; roundTrip: number }[];
  readonly roundTrip: { min: number; mean: number };
}
