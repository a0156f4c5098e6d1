import { LeaveMessageExport } from './leave-message-export.ts';
import { LeaveMessageReplies } from './leave-message-replies.ts';
import { LeaveMessageService } from './leave-message-service.ts';
import { MailOutbox } from './mail-outbox.ts';
import { MailSettingsService } from './mail-settings-service.ts';

/** Singletons of this folder, registered in container.ts. */
export const leaveMessageServices = [MailSettingsService, MailOutbox, LeaveMessageService, LeaveMessageReplies, LeaveMessageExport] as const;
