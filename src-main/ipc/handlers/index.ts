import type { Handlers } from '../dispatcher';
import type { Services } from '../../services/container';
import { appHandlers } from './app';
import { jobHandlers } from './jobs';
import { segmentHandlers } from './segment';
import { reportHandlers } from './reports';
import { catalogHandlers } from './catalog';
import { metadataHandlers } from './metadata';
import { importHandlers } from './import';
import { convertHandlers } from './convert';
import { seriesHandlers } from './series';
import { bulkHandlers } from './bulk';
import { enfaceHandlers } from './enface';

/** Every channel's handler, one module per domain; the `Handlers` type fails to compile if one is missing. */
export function createHandlers(services: Services): Handlers {
  return {
    ...appHandlers(services),
    ...jobHandlers(services),
    ...segmentHandlers(services),
    ...reportHandlers(services),
    ...catalogHandlers(services),
    ...metadataHandlers(services),
    ...importHandlers(services),
    ...convertHandlers(services),
    ...seriesHandlers(services),
    ...bulkHandlers(services),
    ...enfaceHandlers(services),
  };
}
