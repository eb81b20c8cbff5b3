import { createRequire } from 'node:module';
import type { EngineStatus } from '../../../src-shared/domain/app-info';

export type ExpectedProvider = NonNullable<EngineStatus['expectedProvider']>;

/**
 * The execution provider the engine will use when the model first loads, by what this installation
 * offers: for ONNX the providers tried in order (onnx-engine.ts) that this onnxruntime-node build can run,
 * for TF.js the first backend package installed. Loads neither ONNX Runtime (onnx-providers.ts) nor a
 * model, so `stratum info` and the status bar can say it at once. A GPU provider that the build has
 * can still fail at load (no driver): the engine then falls back to cpu and says so once loaded.
 */
export async function expectedProvider(engine: string): Promise<ExpectedProvider | null> {
  if (engine === 'onnx') {
    const { candidateProviders, providerLikelyAvailable } = await import('../segmentation/onnx-providers');
    const skipped: string[] = [];
    for (const ep of candidateProviders()) {
      if (providerLikelyAvailable(ep)) return { provider: ep, skipped };
      skipped.push(`${ep}: not available in this onnxruntime-node build`);
    }
    return { provider: 'cpu', skipped };
  }
  if (engine === 'tfjs') {
    const { TFJS_BACKENDS } = await import('../segmentation/tfjs-engine');
    const req = createRequire(__filename);
    const only = process.env.STRATUM_TFJS_BACKEND;
    const skipped: string[] = [];
    for (const b of TFJS_BACKENDS) {
      if (only && b.pkg !== only) continue;
      try {
        req.resolve(b.pkg);
        return { provider: b.label, skipped };
      } catch {
        skipped.push(`${b.pkg}: not installed`);
      }
    }
    return null;
  }
  return null;
}
