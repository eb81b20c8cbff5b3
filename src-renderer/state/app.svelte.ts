import type { AppInfo } from '../../src-shared/domain/app-info';
import { api } from '../api/client';
import { describeError } from '../api/messages';
import { hostTokenMissing } from '../api/transport';

/** App-wide facts from main: versions, data folder, engine and model. */
export class AppState {
  info = $state<AppInfo | null>(null);
  connectionError = $state<string | null>(null);
  /** The page was opened without its access token: nothing here can work until it is opened with one. */
  tokenMissing = $state(false);

  async load(): Promise<void> {
    this.tokenMissing = hostTokenMissing();
    try {
      this.info = await api.invoke('app.info', {});
      this.connectionError = null;
    } catch (error) {
      this.connectionError = describeError(error);
    }
  }
}

export const appState = new AppState();
