import { AvatarService } from './avatar-service.ts';

/** Singletons of this folder, registered in container.ts. */
export const avatarServices = [AvatarService] as const;
