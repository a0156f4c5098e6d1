import { inject, injectable } from '../infra/di.ts';
import { PluginEnablement } from '../plugins/plugin-enablement.ts';
import { corePermissions, type PermissionDef } from './permissions.ts';

/** One entry per name: plugins sharing a core feature declare the same permission (`phone.block`). */
const unique = (defs: PermissionDef[]) => defs.filter((d, i) => defs.findIndex((x) => x.name === d.name) === i);

/** Core's permissions plus those plugins declare; a plugin's are listed only while it is enabled. */
@injectable()
export class PermissionCatalog {
  private pluginDefs: PermissionDef[] = [];

  constructor(@inject(PluginEnablement) private readonly enablement: PluginEnablement) {}

  registerPlugin(pluginId: string, defs: Omit<PermissionDef, 'plugin'>[]) {
    this.pluginDefs = [...this.pluginDefs.filter((d) => d.plugin !== pluginId), ...defs.map((d) => ({ ...d, plugin: pluginId }))];
  }

  async forCompany(companyId: number): Promise<PermissionDef[]> {
    const enabled = new Set(await this.enablement.enabledIds(companyId));
    return unique([...corePermissions, ...this.pluginDefs.filter((d) => enabled.has(d.plugin!))]);
  }

  /** Every permission name that can ever be granted (grants of disabled plugins are kept). */
  all(): PermissionDef[] {
    return unique([...corePermissions, ...this.pluginDefs]);
  }
}
