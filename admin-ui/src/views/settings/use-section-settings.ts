import { iconsApi, type RegionSettings, type TagSettings } from '@/api/icons';
import { useVersionedSettings } from '@/composables/use-versioned-settings';

/** The custom-tag and service-region documents (SPEC STYLE-STORE-2); 恢复默认 saves an empty one, which the server fills with defaults. */
export function useSectionSettings<K extends 'tags' | 'region'>(section: K) {
  type S = K extends 'tags' ? TagSettings : RegionSettings;
  const io = (section === 'tags' ? { read: iconsApi.tags, write: iconsApi.saveTags } : { read: iconsApi.region, write: iconsApi.saveRegion }) as unknown as {
    read: () => Promise<{ version: number; settings: S; updatedAt: string | null }>;
    write: (version: number, settings: S) => Promise<{ version: number; settings: S; updatedAt: string | null }>;
  };
  const s = useVersionedSettings(io);
  return { ...s, restoreDefaults: () => s.restore({} as S) };
}
