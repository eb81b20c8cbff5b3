import { CIRRUS_750x500_PROFILE } from '../../../src-shared/analysis/scale';
import type { ScanScale } from '../../../src-shared/domain/segmentation';

/**
 * Device profiles: when a file carries no pixel spacing, a known export format supplies an estimated
 * one, marked provenance 'device-profile' so the UI can say "estimated".
 *
 * OCTID (Gholami et al. 2018) images are Zeiss Cirrus HD-OCT B-scans exported at 750x500; the scale
 * itself (and why) lives in src-shared/analysis/scale.ts, shared with the engine for bare images.
 */
export interface DeviceProfile {
  id: string;
  device: string;
  matches(input: { device: string | null; width: number; height: number; octidLayout: boolean }): boolean;
  scale: ScanScale;
}

export const CIRRUS_750x500: DeviceProfile = {
  id: 'zeiss-cirrus-750x500',
  device: 'Zeiss Cirrus HD-OCT',
  matches: ({ device, width, height, octidLayout }) =>
    width === 750 && height === 500 && (octidLayout || (device !== null && /cirrus/i.test(device))),
  scale: CIRRUS_750x500_PROFILE,
};

export const DEVICE_PROFILES: readonly DeviceProfile[] = [CIRRUS_750x500];

export function profileFor(input: { device: string | null; width: number; height: number; octidLayout: boolean }): DeviceProfile | null {
  return DEVICE_PROFILES.find((p) => p.matches(input)) ?? null;
}
