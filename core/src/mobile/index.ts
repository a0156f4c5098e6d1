import { MobileService } from './mobile-service.ts';

/** Singletons of this folder, registered in container.ts. */
export const mobileServices = [MobileService] as const;
