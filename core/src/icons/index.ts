import { EntryScope } from './entry-scope.ts';
import { IconService } from './icon-service.ts';
import { SectionStore } from './section-store.ts';
import { TagService } from './tag-service.ts';
import { WidgetSetup } from './widget-setup.ts';

/** Singletons of this folder, registered in container.ts. */
export const iconServices = [SectionStore, IconService, TagService, WidgetSetup, EntryScope] as const;
