import { CannedIo } from './canned-io.ts';
import { CannedLibrary } from './canned-library.ts';
import { CommonFileCodec } from './tool-codecs.ts';
import { ToolGroupService } from './tool-groups.ts';
import { ToolItemService } from './tool-items.ts';
import { ToolSender } from './tool-sender.ts';
import { TopicService } from './topic-service.ts';

/** Singletons of this folder, registered in container.ts. */
export const agentToolServices = [ToolGroupService, CommonFileCodec, ToolItemService, ToolSender, TopicService, CannedLibrary, CannedIo] as const;
