import { RegionService } from './region-service.ts';

/** Singletons of this folder, registered in container.ts. */
export const regionServices = [RegionService] as const;
