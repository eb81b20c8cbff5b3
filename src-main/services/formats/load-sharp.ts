/**
 * sharp, loaded on first use rather than when a module that uses it is imported. Its native library
 * takes 50-200 ms to load; a cold `stratum segment` starts its inference worker first, so the worker's
 * start-up (model load) overlaps the load of sharp and the decode of the first image instead of waiting
 * behind them. Modules on that path (segmentation-service, label-map-png, pixel-budget, probe) use this.
 */
import { createRequire } from 'node:module';
import type SharpModule from 'sharp';

let sharp: typeof SharpModule | null = null;

export function loadSharp(): typeof SharpModule {
  sharp ??= createRequire(__filename)('sharp') as typeof SharpModule;
  return sharp;
}
