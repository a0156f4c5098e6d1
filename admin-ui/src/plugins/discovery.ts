import type { AdminPluginDefinition } from './define-admin-plugin';

type PluginModule = { default: AdminPluginDefinition };

/**
 * First-party plugin screens, found at build time and loaded only when a company has the plugin
 * (`@kefu-plugins` is the repo's `plugins/` folder, see vite.config.ts).
 */
const modules = import.meta.glob<PluginModule>('@kefu-plugins/*/admin/index.ts');

const loaders = new Map<string, () => Promise<PluginModule>>();
for (const [path, load] of Object.entries(modules)) {
  const id = /\/([^/]+)\/admin\/index\.ts$/.exec(path)?.[1];
  if (id) loaders.set(id, load);
}

/** Plugin ids whose screens this console build carries. */
export const bundledPluginIds = (): string[] => [...loaders.keys()];

let fullStyles: Promise<unknown> | null = null;

/** Loads a plugin's screen definition, or null when this build does not carry it. */
export async function loadAdminPlugin(id: string): Promise<AdminPluginDefinition | null> {
  const load = loaders.get(id);
  if (!load) return null;
  // The console ships styles only for the Element Plus components it uses itself; plugin screens may
  // use any, so the complete sheet comes along (once) with the first plugin.
  fullStyles ??= import('element-plus/theme-chalk/index.css');
  await fullStyles;
  const definition = (await load()).default;
  if (!definition || definition.id !== id) {
    throw new Error(`plugins/${id}/admin/index.ts must default-export defineAdminPlugin({ id: '${id}', … })`);
  }
  return definition;
}
