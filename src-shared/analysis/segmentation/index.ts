/**
 * Post-network analysis of a B-scan segmentation, one stage a file, in the order they run:
 * argmax, confidence and entropy -> islands (2D components) -> anatomical order from the probabilities
 * (layer-order.ts; order-repair.ts is the hard-label repair for maps without probabilities) -> per-column
 * boundaries and thickness -> fovea -> ETDRS-style zones -> quality flags (anatomy and the network's doubt); `summary.ts` puts them together. Pure functions (no Node, no DOM)
 * so the viewer, the CLI and the reports compute the same numbers.
 *
 * Label maps are row-major Uint8Array (index = row * width + column) holding canonical class indices
 * (0 background, 1..8 NFL..Choroid, see domain/layers.ts).
 */
export { argmaxLabels, argmaxLogits, type ArgmaxResult } from './argmax';
export { repairOrder } from './order-repair';
export { layerBoundaries, layerThicknessPx, totalThicknessPx, type LayerBoundaries } from './boundaries';
export { findFovea, smoothProfile, type FoveaResult } from './fovea';
export { thicknessRecord, zoneKeyOf, zoneLabel, zoneName, zoneSpans } from './zones';
export { upgradeSummary } from './legacy-summary';
export { findIslands, labelRuns, ISLAND_RULES, type IslandResult } from './islands';
export { orderWithProbabilities, ORDER_RULES, type LayerOrderInput, type LayerOrderResult } from './layer-order';
export { bandEntropy, bandGapShare, flipDisagreement, retinaBand, type RetinaBand } from './uncertainty';
export { fovealWindowPx, missingLayers, surfaceJumps } from './anatomy-measures';
export {
  QUALITY_RULES, LOW_CONFIDENCE_PIXEL, addFinding, briefOf, findingsOf, needsReview, networkMeasuresOf, qualityFlags, retinalConfidence,
  type NetworkMeasures, type QualityInput, type QualityRule,
} from './quality';
export { FLIP_GATE, applyFlipCheck, needsFlipCheck } from './flip-gate';
export { summariseSegmentation, type SummariseInput } from './summary';
export { labelsFromLogits, mirroredArgmax, type FromLogitsInput, type FromLogitsResult, type LogitsView } from './from-logits';
