import type { Component } from 'vue';
import type { MenuSection, PluginText } from '@/plugins/define-admin-plugin';
import { canOpen } from '@/router/access';
import { featureRoutes } from '@/router/routes';
import type { PluginMenuItem } from '@/stores/admin-plugins';
import type { useSessionStore } from '@/stores/session';

type Session = ReturnType<typeof useSessionStore>;

export const SECTION_ORDER: MenuSection[] = ['conversation', 'collaboration', 'config', 'enhanced', 'user'];

export interface NavEntry {
  section: MenuSection;
  path: string;
  order: number;
  /** Catalogue key (core screens) or text per language (plugin screens). */
  label: { key: string } | { text: PluginText };
  icon?: Component;
}

/** Every screen the agent may open from the main navigation, in menu order (SPEC MENU-NAV-1). */
export function navEntries(session: Session, pluginMenus: readonly PluginMenuItem[]): NavEntry[] {
  const core: NavEntry[] = featureRoutes
    .filter((route) => route.meta?.menu && canOpen(session, route.meta))
    .map((route) => ({
      section: route.meta!.menu!.section,
      order: route.meta!.menu!.order,
      path: route.path,
      label: { key: route.meta!.titleKey ?? String(route.name) },
    }));
  const plugins: NavEntry[] = pluginMenus
    .filter((menu) => session.can(menu.permission))
    .map((menu) => ({ section: 'enhanced', order: menu.order ?? 50, path: menu.path, label: { text: menu.label }, icon: menu.icon }));
  return [...core, ...plugins].sort((a, b) => SECTION_ORDER.indexOf(a.section) - SECTION_ORDER.indexOf(b.section) || a.order - b.order);
}

/** The first screen the agent may open: the workbench for most, the profile for everyone. */
export function landingPath(session: Session, pluginMenus: readonly PluginMenuItem[]): string {
  return navEntries(session, pluginMenus)[0]?.path ?? '/profile';
}
