import type { z } from 'zod';
import { appChannels } from './channels/app';
import { jobChannels } from './channels/jobs';
import { segmentChannels } from './channels/segment';
import { reportChannels } from './channels/reports';
import { catalogChannels } from './channels/catalog';
import { metadataChannels } from './channels/metadata';
import { importChannels } from './channels/import';
import { convertChannels } from './channels/convert';
import { seriesChannels } from './channels/series';
import { bulkChannels } from './channels/bulk';
import { enfaceChannels } from './channels/enface';

/**
 * The IPC contract: every channel of the app, merged from one file per domain. The Electron preload,
 * main's registration, the WebSocket host and the renderer client are all derived from this object.
 */
export const contract = {
  ...appChannels,
  ...jobChannels,
  ...segmentChannels,
  ...reportChannels,
  ...catalogChannels,
  ...metadataChannels,
  ...importChannels,
  ...convertChannels,
  ...seriesChannels,
  ...bulkChannels,
  ...enfaceChannels,
} as const;

export type Contract = typeof contract;
export type ChannelName = keyof Contract;
export type RequestOf<C extends ChannelName> = z.input<Contract[C]['request']>;
export type ParsedRequestOf<C extends ChannelName> = z.output<Contract[C]['request']>;
export type ResponseOf<C extends ChannelName> = Exclude<Contract[C]['response'], undefined>;

export function isChannelName(value: unknown): value is ChannelName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(contract, value);
}

export * from './errors';
export * from './events';
export * from './wire';
