import { LeaveMessageService } from './leave-message-service.ts';
import { MailOutbox } from './mail-outbox.ts';
import { MailSettingsService } from './mail-settings-service.ts';

/** Singletons of this folder, registered in container.ts. */
export const leaveMessageServices = [MailSettingsService, MailOutbox, LeaveMessageService] as const;
