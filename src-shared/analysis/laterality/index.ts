/**
 * Laterality: which side of a B-scan is nasal, from the burned-in orientation marker (marker.ts) or the
 * anatomy of the segmentation (anatomy.ts), and the one precedence rule over all evidence (infer.ts).
 * Pure: grey pixels or label maps in, no Node, no DOM.
 */
export { readOrientationMarker, type MarkerReading } from './marker';
export { nasalSideFromAnatomy, type AnatomyInput, type AnatomyReading } from './anatomy';
export { currentEye, inferEye, eyeSourceRank, type EyeEvidence, type NasalSideReading } from './infer';
