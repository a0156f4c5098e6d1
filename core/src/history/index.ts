import { HistoryDelete } from './history-delete.ts';
import { HistoryExport } from './history-export.ts';
import { HistorySaved } from './history-saved.ts';
import { HistoryService } from './history-service.ts';

/** Singletons of this folder, registered in container.ts. */
export const historyServices = [HistoryService, HistoryExport, HistoryDelete, HistorySaved] as const;
