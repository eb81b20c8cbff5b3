/**
 * Post-network analysis of a B-scan segmentation, one stage a file, in the order they run:
 * argmax and confidence -> anatomical order repair -> per-column boundaries and thickness -> fovea ->
 * ETDRS-style zones -> quality flags; `summary.ts` puts them together. Pure functions (no Node, no DOM)
 * so the viewer, the CLI and the reports compute the same numbers.
 *
 * Label maps are row-major Uint8Array (index = row * width + column) holding canonical class indices
 * (0 background, 1..8 NFL..Choroid, see domain/layers.ts).
 */
export { argmaxLogits, type ArgmaxResult } from './argmax';
export { repairOrder } from './order-repair';
export { layerBoundaries, layerThicknessPx, totalThicknessPx, type LayerBoundaries } from './boundaries';
export { findFovea, smoothProfile, type FoveaResult } from './fovea';
export { thicknessRecord, zoneKeyOf, zoneLabel, zoneName, zoneSpans } from './zones';
export { upgradeSummary } from './legacy-summary';
export { QUALITY_RULES, missingLayerShares, qualityFlags, retinalConfidence, type QualityInput } from './quality';
export { summariseSegmentation, type SummariseInput } from './summary';
