import { ExportJobs } from './export-jobs.ts';

/** Singletons of this folder, registered in container.ts. */
export const exportServices = [ExportJobs] as const;
