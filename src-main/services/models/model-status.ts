import type { EngineStatus } from '../../../src-shared/domain/app-info';
import { engineForModel, type EngineKind } from '../segmentation/engine';
import type { ModelRegistry } from './registry';

/**
 * Which model and engine would run, before anything is loaded: from the cards alone (no ONNX Runtime,
 * no worker), so `stratum info` and the app's status bar can say it at once. Never throws.
 */
export function modelStatus(registry: ModelRegistry, options: { modelId?: string; engine?: EngineKind } = {}): EngineStatus {
  try {
    const model = registry.resolve(options.modelId);
    const card = model.card;
    return {
      engine: options.engine ?? engineForModel(model),
      executionProvider: null,
      model: { id: card.id, name: card.name, version: card.version, trained: card.trained },
      ...(card.trained ? {} : { problem: 'untrained placeholder model: outputs are not meaningful' }),
    };
  } catch (error) {
    return { engine: options.engine ?? 'onnx', executionProvider: null, model: null, problem: (error as Error).message };
  }
}
