import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Which ONNX Runtime execution providers to try and whether this installation has them, without loading
 * ONNX Runtime's native library (~20 MB; 15-150 ms): `stratum info` and the status bar ask this before
 * any model loads, onnx-engine.ts when it creates a session.
 */

/**
 * Execution providers to try, best first, always ending with CPU: CUDA on Linux/Windows, DirectML on
 * Windows, CoreML on macOS. STRATUM_EP=cpu|cuda|... forces one (tests, benchmarks).
 */
export function candidateProviders(platform: NodeJS.Platform = process.platform): string[] {
  const forced = process.env.STRATUM_EP;
  if (forced) return forced === 'cpu' ? ['cpu'] : [forced, 'cpu'];
  if (platform === 'win32') return ['cuda', 'dml', 'cpu'];
  if (platform === 'darwin') return ['coreml', 'cpu'];
  if (platform === 'linux') return ['cuda', 'cpu'];
  return ['cpu'];
}

/** Provider libraries that onnxruntime-node loads at run time when the backend is not bundled. */
export const PROVIDER_LIBRARIES: Record<string, string[]> = {
  cuda: ['libonnxruntime_providers_cuda.so', 'onnxruntime_providers_cuda.dll'],
  tensorrt: ['libonnxruntime_providers_tensorrt.so', 'onnxruntime_providers_tensorrt.dll'],
};

/** Whether a provider's run-time library sits beside the onnxruntime-node binding (for providers that are not bundled). */
export function providerLibraryPresent(name: string): boolean {
  try {
    const bin = join(dirname(createRequire(__filename).resolve('onnxruntime-node')), '..', 'bin');
    const files = readdirSync(bin, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    return files.some((e) => (PROVIDER_LIBRARIES[name] ?? []).includes(e.name));
  } catch {
    return false;
  }
}

/**
 * Availability without the binding: cpu always; a provider with a run-time library when that library is
 * present; the others (dml on Windows, coreml on macOS) are bundled in those platforms' builds.
 */
export function providerLikelyAvailable(name: string): boolean {
  if (name === 'cpu') return true;
  if (name in PROVIDER_LIBRARIES) return providerLibraryPresent(name);
  return (name === 'dml' && process.platform === 'win32') || (name === 'coreml' && process.platform === 'darwin');
}
