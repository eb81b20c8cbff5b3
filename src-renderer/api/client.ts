import {
  AppError,
  type ChannelName,
  type EventName,
  type EventPayload,
  type RequestOf,
  type ResponseOf,
} from '../../src-shared/contract';
import { detectTransport, type Transport } from './transport';

/**
 * The renderer's only way to main. Typed from the contract: `api.invoke('app.info', {})` returns
 * `Promise<AppInfo>`; failures reject with an AppError carrying the wire `code`.
 */
export class ApiClient {
  constructor(private readonly transport: Transport) {}

  async invoke<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
    const result = await this.transport.invoke(channel, request);
    if (!result.ok) throw AppError.fromWire(result.error);
    return result.value as ResponseOf<C>;
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.transport.on(event, (payload) => listener(payload as EventPayload<E>));
  }
}

export const api = new ApiClient(detectTransport());
