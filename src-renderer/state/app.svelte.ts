import type { AppInfo } from '../../src-shared/domain/app-info';
import { api } from '../api/client';
import { describeError } from '../api/messages';

/** App-wide facts from main: versions, data folder, engine and model. */
export class AppState {
  info = $state<AppInfo | null>(null);
  connectionError = $state<string | null>(null);

  async load(): Promise<void> {
    try {
      this.info = await api.invoke('app.info', {});
      this.connectionError = null;
    } catch (error) {
      this.connectionError = describeError(error);
    }
  }
}

export const appState = new AppState();
